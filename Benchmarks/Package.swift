// swift-tools-version: 6.2
// Apart from the library, so that its users never build benchmark dependencies.
// zipbench: ZipIndex's side of every comparison; zipindex-once: one open, for
// whole-process peak RSS; zipfoundation-bench: the ZIPFoundation peer;
// ZipIndexBenchmarks: the package-benchmark suite (wall clock and mallocs).
import PackageDescription

let package = Package(
    name: "ZipIndexBenchmarks",
    platforms: [.macOS(.v15)],
    traits: [
        // Benchmarks the library's ISA-L inflate: `swift build -c release --traits ISAL`.
        .trait(name: "ISAL", description: "Build ZipIndex with its ISAL trait (ISA-L inflate and CRC-32)"),
    ],
    dependencies: [
        .package(name: "ZipIndex", path: "..", traits: [.trait(name: "ISAL", condition: .when(traits: ["ISAL"]))]),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .executableTarget(
            name: "zipbench",
            dependencies: [
                .product(name: "ZipIndex", package: "ZipIndex"),
                .product(name: "Importer", package: "ZipIndex"),
            ]
        ),
        .executableTarget(
            name: "zipindex-once",
            dependencies: [
                .product(name: "ZipIndex", package: "ZipIndex"),
            ],
            path: "peers/zipindex-once"
        ),
        .executableTarget(
            name: "zipfoundation-bench",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "peers/zipfoundation"
        ),
        .executableTarget(
            name: "ZipIndexBenchmarks",
            dependencies: [
                .product(name: "ZipIndex", package: "ZipIndex"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ZipIndexBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
