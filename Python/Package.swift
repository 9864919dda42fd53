// swift-tools-version: 6.2
// The CPython extension `zipindex._zipindex`: the Importer, reachable from
// Python. Its own package so that building and testing the root package
// never needs Python's headers. Build it through the Python distribution
// (`python3 -m pip install ./Python`); the backend (build_backend/) runs
//
//   swift build -c release --product _zipindex -Xswiftc -static-stdlib \
//       -Xcc -I<Python include dir> -Xlinker --version-script=exports.map
//
// and packs the library as zipindex/_zipindex.abi3.so.
import PackageDescription

let package = Package(
    name: "ZipIndexPython",
    products: [
        .library(name: "_zipindex", type: .dynamic, targets: ["CZipIndexPython", "ZipIndexBridge"]),
    ],
    dependencies: [
        .package(name: "ZipIndex", path: ".."),
    ],
    targets: [
        // The CPython module: argument checking, objects, the GIL and the
        // fork gate. Written against the stable ABI of CPython 3.11.
        .target(
            name: "CZipIndexPython",
            cSettings: [.define("Py_LIMITED_API", to: "0x030B0000")]
        ),
        // The operations, over the Importer's public API, behind a C ABI of
        // plain pointers and integers: no Python header is imported here.
        .target(
            name: "ZipIndexBridge",
            dependencies: [
                .product(name: "Importer", package: "ZipIndex"),
                .product(name: "ZipIndex", package: "ZipIndex"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
