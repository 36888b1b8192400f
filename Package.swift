// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SuginamiKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SuginamiKit", targets: ["SuginamiKit", "SuginamiCore"]),
        .library(name: "SuginamiPostgreSQL", targets: ["SuginamiPostgreSQL"]),
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
        // The daemon: Hummingbird 2 without its swift-configuration trait (see ServerConfiguration).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // The store's second back end: PostgreSQL + PostGIS, for several daemons on one database.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
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
        // FreeType from Debian's libfreetype-dev: map text in Japanese (Noto Sans CJK from
        // fonts-noto-cjk), which the bitmap font cannot draw.
        .systemLibrary(
            name: "CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"])]
        ),
        // renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE) and fsync, which the Swift Glibc module
        // does not declare: the all-or-nothing switch of output directories.
        .target(name: "CAtomicRename"),
        .target(name: "CMallocTuning"),
        // What every library shares and that needs nothing else: the one input-error shape, CSV,
        // all-or-nothing output directories, checks on names that become paths.
        .target(name: "SuginamiCore", dependencies: ["CAtomicRename"]),
        .target(
            name: "SuginamiKit",
            dependencies: [
                "SuginamiCore", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("BundledData/Resources")]
        ),
        // The store's second back end, for several daemons on one database: its own library, so
        // that an app on SQLite (and the fuzzers) links no SwiftNIO or TLS.
        .target(
            name: "SuginamiPostgreSQL",
            dependencies: [
                "SuginamiKit", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "SuginamiGIS",
            dependencies: [
                "CProj", "CZlib", "CFreeType", "SuginamiCore", "SuginamiKit",
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
        // The daemon's HTTP front end over the facades: OGC API – Features, routes, health, metrics.
        .target(
            name: "SuginamiServer",
            dependencies: [
                "SuginamiCore",
                "SuginamiGIS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "refd",
            dependencies: [
                "CMallocTuning",
                "SuginamiCore",
                "SuginamiKit",
                "SuginamiPostgreSQL",
                "SuginamiGIS",
                "SuginamiSecurity",
                "SuginamiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
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
        .target(
            name: "SuginamiTestSupport",
            dependencies: [
                "SuginamiCore", "SuginamiKit", "SuginamiPostgreSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SuginamiTestSupport"
        ),
        .testTarget(name: "SuginamiCoreTests", dependencies: ["SuginamiCore", "SuginamiTestSupport"]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["SuginamiFuzzing", "SuginamiTestSupport"]),
        .testTarget(
            name: "SuginamiKitTests",
            dependencies: [
                "SuginamiKit", "SuginamiPostgreSQL", "SuginamiTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // CProj too: the tests compare the pure-Swift projection with the real PROJ.
        .testTarget(
            name: "SuginamiGISTests",
            dependencies: ["SuginamiGIS", "CProj", "SuginamiTestSupport"],
            exclude: ["Reference"]  // read from the source tree by path
        ),
        .testTarget(
            name: "SuginamiSecurityTests", dependencies: ["SuginamiSecurity", "SuginamiCore", "SuginamiTestSupport"]),
        // The daemon over a socket on 127.0.0.1, with the bundled data.
        .testTarget(
            name: "SuginamiServerTests",
            dependencies: [
                "SuginamiServer", "SuginamiPostgreSQL", "SuginamiTestSupport", "refd",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "refdTests",
            dependencies: [
                "SuginamiTestSupport", "refd", "NearestReliefCentres", "SimulateWithMitigation", "RouteWithClosure",
                "CheckISMS",
                "SuginamiCore", "SuginamiKit", "SuginamiGIS", "SuginamiSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The damage engine alone, in a process of its own: its peak memory is the engine's and
        // its inputs', not every other benchmark's fixtures.
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "SuginamiKit",
                "SuginamiGIS",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SuginamiBenchmarks",
            dependencies: [
                "SuginamiKit",
                "SuginamiGIS",
                "SuginamiSecurity",
                "SuginamiServer",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SuginamiBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
