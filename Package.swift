// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "ZipIndex",
    products: [
        .library(name: "ZipIndex", targets: ["ZipIndex"]),
        .library(name: "Importer", targets: ["Importer"]),
        .executable(name: "zipls", targets: ["zipls"]),
    ],
    traits: [
        // Intel's ISA-L decodes deflate and computes CRC-32 about three
        // times as fast as zlib. Off by default, so that the library needs
        // nothing but zlib: `swift build --traits ISAL` (apt libisal-dev).
        .trait(name: "ISAL", description: "Inflate and CRC-32 with Intel's ISA-L (libisal-dev) instead of zlib"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only for `swift package generate-documentation`: a command plugin,
        // not linked into anything.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        // The system-call loops and the write-then-link file that ZipIndex,
        // the Importer and zipls share; `package` access only, so it adds
        // nothing to any library's public API.
        .target(name: "SystemFiles"),
        .target(
            name: "ZipIndex",
            dependencies: ["CZlib", "SystemFiles", .target(name: "CISAL", condition: .when(traits: ["ISAL"]))]
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
