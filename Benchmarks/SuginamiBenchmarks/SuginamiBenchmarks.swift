import Benchmark
import Foundation
import SuginamiKit

/// Benchmarks for the foundation: open-data import throughput and nearest-facility queries.
///
/// Run with `swift package benchmark --target SuginamiBenchmarks`. Figures are per iteration;
/// rows/s = rows per iteration ÷ wall-clock time.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))
    let dataset = try! SuginamiDataset.bundled()
    let emergencySites = dataset.facilities.filter { $0.kind == .emergencyEvacuationSite }

    // A 10,000-row standard (39-column) CSV made from the real sites with fresh ids and jittered positions.
    var random = SplitMix64(seed: 1)
    let manySites = (0..<10_000).map { index -> Facility in
        var site = emergencySites[index % emergencySites.count]
        site.id = "BENCH-\(index)"
        site.position = try! GeoPoint(
            latitude: site.position.latitude + (random.nextUnit() - 0.5) * 0.01,
            longitude: site.position.longitude + (random.nextUnit() - 0.5) * 0.01)
        return site
    }
    let standardCSV = try! FacilityExporter.data(manySites, format: .csv, layout: .standardEmergencySites)
    let gsiGeoJSON = try! FacilityExporter.data(manySites, format: .geoJSON, layout: .gsiEmergencySites)
    let shiftJISCSV = try! FacilityExporter.data(
        manySites, format: .csv, layout: .standardEmergencySites, encoding: .shiftJIS)

    Benchmark("Import standard CSV, 10,000 rows (UTF-8)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(standardCSV, file: "bench.csv", format: .csv))
        }
    }
    Benchmark("Import standard CSV, 10,000 rows (Shift_JIS)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(shiftJISCSV, file: "bench.csv", format: .csv))
        }
    }
    Benchmark("Import GSI GeoJSON, 10,000 features") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try FacilityImporter.read(gsiGeoJSON, file: "bench.geojson", format: .geoJSON))
        }
    }

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("suginami-bench-\(getpid())")
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

    Benchmark("Store save, 10,000 facilities (one transaction)") { benchmark in
        let store = try SuginamiStore(path: directory.appendingPathComponent("save-\(UUID().uuidString).sqlite").path)
        benchmark.startMeasurement()
        try await store.save(manySites)
        benchmark.stopMeasurement()
    }

    let queryStore = try! SuginamiStore(path: directory.appendingPathComponent("query.sqlite").path)
    let points = (0..<1_000).map { _ in
        try! GeoPoint(latitude: 35.66 + random.nextUnit() * 0.07, longitude: 139.58 + random.nextUnit() * 0.10)
    }
    Benchmark(
        "Nearest 3 relief centres, 1,000 queries (bundled data)",
        configuration: .init(
            setup: {
                if try await queryStore.facilityCounts().isEmpty { try await dataset.load(into: queryStore) }
            })
    ) { benchmark in
        for point in points {
            blackHole(try await queryStore.nearestFacilities(to: point, count: 3, kinds: [.reliefCentre]))
        }
    }
    let largeStore = try! SuginamiStore(path: directory.appendingPathComponent("large.sqlite").path)
    Benchmark(
        "Nearest 3 facilities among 10,000, 1,000 queries",
        configuration: .init(
            setup: {
                if try await largeStore.facilityCounts().isEmpty { try await largeStore.save(manySites) }
            })
    ) { benchmark in
        for point in points {
            blackHole(try await largeStore.nearestFacilities(to: point, count: 3))
        }
    }
}
