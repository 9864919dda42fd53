// swift-tools-version: 6.1
// The benchmark package lives apart from the library (as swift-nio keeps its
// benchmarks), so that users of ZipIndex never build benchmark dependencies.
import PackageDescription

let package = Package(
    name: "ZipIndexBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ZipIndex", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "zipbench",
            dependencies: [
                .product(name: "ZipIndex", package: "ZipIndex"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
