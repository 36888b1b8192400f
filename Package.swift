// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SuginamiKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SuginamiKit", targets: ["SuginamiKit", "SuginamiCore"]),
        .library(name: "SuginamiGIS", targets: ["SuginamiGIS"]),
        .library(name: "SuginamiSecurity", targets: ["SuginamiSecurity"]),
        .executable(name: "refd", targets: ["refd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // PROJ from Debian's libproj-dev; only SuginamiGIS sees it.
        .systemLibrary(
            name: "CProj",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        // zlib from Debian's zlib1g-dev: gzip road networks now, OSM PBF blobs next.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE) and fsync, which the Swift Glibc module
        // does not declare: the all-or-nothing switch of output directories.
        .target(name: "CAtomicRename"),
        // What every library shares and that needs nothing else: the one input-error shape, CSV,
        // all-or-nothing output directories, checks on names that become paths.
        .target(name: "SuginamiCore", dependencies: ["CAtomicRename"]),
        .target(
            name: "SuginamiKit",
            dependencies: ["SuginamiCore", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("BundledData/Resources")]
        ),
        .target(
            name: "SuginamiGIS",
            dependencies: [
                "CProj", "CZlib", "SuginamiCore", "SuginamiKit",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "SuginamiSecurity",
            // No SuginamiKit: an ISMS check links no SQLite.
            dependencies: [
                "SuginamiCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Catalogue/Resources")]
        ),
        .executableTarget(
            name: "refd",
            dependencies: [
                "SuginamiCore",
                "SuginamiKit",
                "SuginamiGIS",
                "SuginamiSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Every kind of outside input with its reader, for libFuzzer (`make fuzz`) and for the
        // tests that replay what it found.
        .target(name: "SuginamiFuzzing", dependencies: ["SuginamiKit", "SuginamiGIS", "SuginamiSecurity"]),
        .executableTarget(name: "suginami-fuzz", dependencies: ["SuginamiFuzzing"]),
        // The README's five-minute tour, built as a program so that a test can run it.
        .executableTarget(
            name: "NearestReliefCentres",
            dependencies: ["SuginamiKit"],
            path: "Examples/NearestReliefCentres"
        ),
        // One program per facade, public API only; a test compares each with the refd command.
        .executableTarget(
            name: "SimulateWithMitigation", dependencies: ["SuginamiGIS"], path: "Examples/SimulateWithMitigation"),
        .executableTarget(name: "RouteWithClosure", dependencies: ["SuginamiGIS"], path: "Examples/RouteWithClosure"),
        .executableTarget(name: "CheckISMS", dependencies: ["SuginamiSecurity"], path: "Examples/CheckISMS"),
        // Helpers every test target shares: the repository, temporary directories, built programs.
        .target(name: "SuginamiTestSupport", path: "Tests/SuginamiTestSupport"),
        .testTarget(name: "SuginamiCoreTests", dependencies: ["SuginamiCore", "SuginamiTestSupport"]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["SuginamiFuzzing", "SuginamiTestSupport"]),
        .testTarget(
            name: "SuginamiKitTests",
            dependencies: ["SuginamiKit", "SuginamiTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // CProj too: the tests compare the pure-Swift projection with the real PROJ.
        .testTarget(
            name: "SuginamiGISTests",
            dependencies: ["SuginamiGIS", "CProj", "SuginamiTestSupport"],
            exclude: ["Reference"]  // read from the source tree by path
        ),
        .testTarget(
            name: "SuginamiSecurityTests", dependencies: ["SuginamiSecurity", "SuginamiCore", "SuginamiTestSupport"]),
        .testTarget(
            name: "refdTests",
            dependencies: [
                "SuginamiTestSupport", "refd", "NearestReliefCentres", "SimulateWithMitigation", "RouteWithClosure",
                "CheckISMS",
                "SuginamiCore", "SuginamiKit", "SuginamiGIS", "SuginamiSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "SuginamiBenchmarks",
            dependencies: [
                "SuginamiKit",
                "SuginamiGIS",
                "SuginamiSecurity",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SuginamiBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
