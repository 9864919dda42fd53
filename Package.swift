// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ZipIndex",
    products: [
        .library(name: "ZipIndex", targets: ["ZipIndex"]),
        .library(name: "Importer", targets: ["Importer"]),
        .executable(name: "zipls", targets: ["zipls"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system-call loops and the write-then-link file that ZipIndex,
        // the Importer and zipls share; `package` access only, so it adds
        // nothing to any library's public API.
        .target(name: "SystemFiles"),
        .target(
            name: "ZipIndex",
            dependencies: ["CZlib", "SystemFiles"]
        ),
        .target(
            name: "Importer",
            dependencies: ["ZipIndex", "SystemFiles"]
        ),
        .executableTarget(
            name: "zipls",
            dependencies: [
                "ZipIndex",
                "Importer",
                "SystemFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The hostile table (Fixtures/hostile), the seeded bit flips and
        // truncations, shared by the library's and zipls's tests.
        .target(
            name: "HostileTable",
            dependencies: ["ZipIndex"],
            path: "Tests/HostileTable"
        ),
        .testTarget(
            name: "SystemFilesTests",
            dependencies: ["SystemFiles"]
        ),
        .testTarget(
            name: "ZipIndexTests",
            dependencies: ["ZipIndex", "HostileTable"]
        ),
        .testTarget(
            name: "ImporterTests",
            dependencies: ["Importer", "ZipIndex"]
        ),
        .testTarget(
            name: "ziplsTests",
            dependencies: ["zipls", "ZipIndex", "HostileTable"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
