import Foundation
import Benchmark
import SuginamiGIS
import SuginamiKit

/// Fire following the earthquake on the ward's bundled stock (118,522 real PLATEAU footprints,
/// attributes assumed) with the run's defaults (DERIVED non-collapse ignition, wind stretching
/// the links, the DERIVED site model): building the clusters, 1,000 events of shaking with
/// ignition and cluster burn, and one time-stepped spread of 6 hours at 1-minute steps.
func fireBenchmarks(dataset: SuginamiDataset) {
    // Fixtures are built inside the benchmarks, so that registering them costs no memory in the
    // other benchmarks' processes (peak RSS is a process figure).
    @Sendable func wardStock() throws -> [Building] {
        try PlateauBuildingStock.bundled(towns: dataset.towns, table: dataset.buildingStock).buildings()
    }
    // Each building's class is the stock's own (assumed by rule); 8 m/s stretches the links.
    @Sendable func model(_ buildings: [Building]) throws -> FireModel {
        try FireModel(
            buildings: buildings, parameters: FireParameters(), distances: try SpreadDistances.bundledDefault())
    }

    Benchmark(
        "Fire: clusters of the ward's 118,522 real footprints",
        configuration: .init(metrics: memoryMetrics, maxIterations: 20)
    ) { benchmark in
        let buildings = try wardStock()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try model(buildings)) }
        benchmark.stopMeasurement()
    }

    // The same run with and without fire: the difference is the cost of 1,000 fire events.
    for withFire in [true, false] {
        Benchmark(
            "Fire: ward × 1,000 events, shaking \(withFire ? "with fire" : "without fire (reference)")",
            configuration: .init(metrics: memoryMetrics, maxDuration: .seconds(20), maxIterations: 10)
        ) { benchmark in
            let buildings = try wardStock()
            let simulation = try DamageSimulation(
                scenario: try ScenarioFile.bundled(named: "toshin-nanbu-chokka-m7.3").scenario(), buildings: buildings,
                fragility: try FragilitySet.bundledDefault(), site: try SiteModel.bundledSuginami(),
                fire: withFire ? try model(buildings) : nil)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try simulation.run(events: 1_000, seed: 42)) }
            benchmark.stopMeasurement()
        }
    }

    Benchmark(
        "Fire: time-stepped spread, 10 ignitions, 6 h at 1-minute steps",
        configuration: .init(metrics: memoryMetrics, maxIterations: 50)
    ) {
        benchmark in
        let fire = try model(try wardStock())
        // A TEST FIXTURE for timing only (no published values were available; see TimeSteppedSpread).
        let coefficients = try SpreadTimeCoefficients(
            alpha: [3, 0.375, 8, 25, 2.5], beta: [5, 0.625, 16], downwind: [1.5, 0.1, 0.007], sideways: [1, 0.05, 0],
            upwind: [0.8, 0, 0], status: "benchmark fixture", source: "not a source")
        // Ten ignitions in the ten largest clusters.
        let largest = (0..<fire.clusters.count).sorted { fire.clusters.size(of: $0) > fire.clusters.size(of: $1) }
            .prefix(10).map { fire.clusters.members[Int(fire.clusters.memberStart[$0])] }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try TimeSteppedSpread(model: fire, ignitions: largest, coefficients: coefficients))
        }
        benchmark.stopMeasurement()
    }

    // Issue 15's memory target: ≤ 4 GB peak at a million buildings, for the whole job a user
    // runs (fire clusters, the events, and every output file written). Peak RSS is the figure.
    Benchmark(
        "Fire: 1,000,000 buildings × 1,000 events with fire, run and write every output (ScenarioRun)",
        configuration: .init(metrics: memoryMetrics, maxDuration: .seconds(1), maxIterations: 1)
    ) { benchmark in
        let generator = SyntheticBuildingGenerator(totalBuildings: 1_000_000)
        let counts = generator.allocation(for: dataset.towns)
        var buildings: [Building] = []
        for (index, town) in dataset.towns.enumerated() {
            buildings += generator.buildings(
                in: town, townIndex: index, count: counts[index], stock: dataset.buildingStock)
        }
        var configuration = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3")
        configuration.fire = .init(fireClasses: "wooden=fire_preventive,non_wooden=fire_resistant")
        let run = try ScenarioRun(configuration)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        benchmark.startMeasurement()
        let outcome = try await run.run(buildings: buildings, towns: dataset.towns)
        try outcome.write(to: output)
        benchmark.stopMeasurement()
    }
}
