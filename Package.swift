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
        .target(
            name: "ZipIndex",
            dependencies: ["CZlib"]
        ),
        .target(
            name: "Importer",
            dependencies: ["ZipIndex"]
        ),
        .executableTarget(
            name: "zipls",
            dependencies: [
                "ZipIndex",
                "Importer",
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
