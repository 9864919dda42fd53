// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ZipIndex",
    products: [
        .library(name: "ZipIndex", targets: ["ZipIndex"]),
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
        .testTarget(
            name: "ZipIndexTests",
            dependencies: ["ZipIndex"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
