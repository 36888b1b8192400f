import Benchmark
import Foundation
import SuginamiKit

/// Benchmarks for the foundation: open-data import throughput, store writes and
/// nearest-facility queries.
///
/// Run with `make benchmark` (`swift package benchmark --target SuginamiBenchmarks`). Each
/// iteration handles 10,000 rows or 1,000 queries, so rows/s = 10,000 ÷ the wall-clock time of
/// one iteration, and queries/s = 1,000 ÷ that time.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(3))
    let fixtures: Fixtures
    do { fixtures = try Fixtures() } catch { fatalError("cannot build the benchmark fixtures: \(error)") }
    projectionBenchmarks()
    indexBenchmarks(towns: fixtures.dataset.towns)
    ismsBenchmarks()
    fireBenchmarks(dataset: fixtures.dataset)
    routingBenchmarks()
    serverBenchmarks(dataset: fixtures.dataset)
    operationsBenchmarks(dataset: fixtures.dataset)
    recoveryBenchmarks()
    inputBenchmarks()

    Benchmark("Import standard 39-column CSV, 10,000 rows, UTF-8") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(fixtures.standardCSV, file: "bench.csv", format: .csv))
        }
    }
    Benchmark("Import standard 39-column CSV, 10,000 rows, Shift_JIS") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(fixtures.shiftJISCSV, file: "bench.csv", format: .csv))
        }
    }
    Benchmark("Import GSI GeoJSON, 10,000 features") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(fixtures.gsiGeoJSON, file: "bench.geojson", format: .geoJSON))
        }
    }
    Benchmark("Store save, 10,000 facilities in one transaction") { benchmark in
        let store = try fixtures.newStore()
        benchmark.startMeasurement()
        try await store.save(fixtures.manySites)
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Nearest 3 relief centres, 1,000 queries, bundled data",
        configuration: .init(setup: { try await fixtures.prepareQueryStores() })
    ) { _ in
        for point in fixtures.queryPoints {
            blackHole(try await fixtures.bundledStore.nearestFacilities(to: point, count: 3, kinds: [.reliefCentre]))
        }
    }
    Benchmark(
        "Nearest 3 facilities among 10,000, 1,000 queries",
        configuration: .init(setup: { try await fixtures.prepareQueryStores() })
    ) { _ in
        for point in fixtures.queryPoints {
            blackHole(try await fixtures.largeStore.nearestFacilities(to: point, count: 3))
        }
    }
}

/// Wall clock, the process's peak resident memory (which includes every benchmark's fixtures) and
/// its growth during the measured part (what the work itself adds). The damage engine's own
/// benchmarks run in a process of their own (`EngineBenchmarks`).
let memoryMetrics: [BenchmarkMetric] = [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal]

/// Data the benchmarks share: the real sites multiplied to 10,000 rows, and stores to query.
struct Fixtures: Sendable {
    let dataset: SuginamiDataset
    let manySites: [Facility]
    let standardCSV: Data
    let shiftJISCSV: Data
    let gsiGeoJSON: Data
    let queryPoints: [GeoPoint]
    let directory: URL
    let bundledStore: SuginamiStore
    let largeStore: SuginamiStore

    init() throws {
        dataset = try SuginamiDataset.bundled()
        let sites = dataset.facilities.filter { $0.kind == .emergencyEvacuationSite }
        var random = SplitMix64(seed: 1)
        manySites = try (0..<10_000).map { index in
            var site = sites[index % sites.count]
            site.id = "BENCH-\(index)"
            site.position = try GeoPoint(
                latitude: site.position.latitude + (random.nextUnit() - 0.5) * 0.01,
                longitude: site.position.longitude + (random.nextUnit() - 0.5) * 0.01)
            return site
        }
        standardCSV = try FacilityExporter.data(manySites, format: .csv, layout: .standardEmergencySites)
        shiftJISCSV = try FacilityExporter.data(
            manySites, format: .csv, layout: .standardEmergencySites, encoding: .shiftJIS)
        gsiGeoJSON = try FacilityExporter.data(manySites, format: .geoJSON, layout: .gsiEmergencySites)
        queryPoints = try (0..<1_000).map { _ in
            try GeoPoint(latitude: 35.66 + random.nextUnit() * 0.07, longitude: 139.58 + random.nextUnit() * 0.10)
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("suginami-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        bundledStore = try SuginamiStore(path: directory.appendingPathComponent("bundled.sqlite").path)
        largeStore = try SuginamiStore(path: directory.appendingPathComponent("large.sqlite").path)
    }

    func newStore() throws -> SuginamiStore {
        try SuginamiStore(path: directory.appendingPathComponent("save-\(UUID().uuidString).sqlite").path)
    }

    func prepareQueryStores() async throws {
        if try await bundledStore.facilityCounts().isEmpty { try await dataset.load(into: bundledStore) }
        if try await largeStore.facilityCounts().isEmpty { try await largeStore.save(manySites) }
    }
}
