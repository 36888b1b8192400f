import Benchmark
import SuginamiGIS
import SuginamiKit

/// Fire following the earthquake on the ward's 122,900 synthetic buildings: building the
/// clusters, 1,000 events of shaking with ignition and cluster burn, and one time-stepped spread
/// of 6 hours at 1-minute steps.
func fireBenchmarks(dataset: SuginamiDataset) {
    let generator = SyntheticBuildingGenerator()
    let counts = generator.allocation(for: dataset.towns)
    var buildings: [Building] = []
    for (index, town) in dataset.towns.enumerated() {
        buildings += generator.buildings(in: town, townIndex: index, count: counts[index], stock: dataset.buildingStock)
    }
    let scenario: DamageSimulation.Scenario
    let fragility: FragilitySet
    let distances: SpreadDistances
    let rule: FireClassRule
    let coefficients: SpreadTimeCoefficients
    do {
        scenario = try ScenarioFile.bundled(named: "toshin-nanbu-chokka-m7.3").scenario()
        fragility = try FragilitySet.bundledDefault()
        distances = try SpreadDistances.bundledDefault()
        // Bare wood (12 m) gives the largest clusters: the hardest case for spread.
        rule = try FireClassRule(parsing: "wooden=bare_wooden,non_wooden=fire_resistant")
        // A TEST FIXTURE for timing only (no published values were available; see TimeSteppedSpread).
        coefficients = try SpreadTimeCoefficients(
            alpha: [3, 0.375, 8, 25, 2.5], beta: [5, 0.625, 16], downwind: [1.5, 0.1, 0.007], sideways: [1, 0.05, 0],
            upwind: [0.8, 0, 0], status: "benchmark fixture", source: "not a source")
    } catch {
        fatalError("cannot build the fire fixtures: \(error)")
    }

    Benchmark("Fire: clusters of the ward's 122,900 buildings", configuration: .init(maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try FireModel(buildings: buildings, parameters: FireParameters(), distances: distances, rule: rule))
        }
    }

    let model: FireModel
    do {
        model = try FireModel(buildings: buildings, parameters: FireParameters(), distances: distances, rule: rule)
    } catch {
        fatalError("cannot build the fire model: \(error)")
    }
    // The same run with and without fire: the difference is the cost of 1,000 fire events.
    for (name, fire) in [("with fire", Optional(model)), ("without fire (reference)", nil)] {
        Benchmark(
            "Fire: ward × 1,000 events, shaking \(name)",
            configuration: .init(maxDuration: .seconds(20), maxIterations: 10)
        ) { benchmark in
            let simulation = try DamageSimulation(
                scenario: scenario, buildings: buildings, fragility: fragility, site: .wardDefault, fire: fire)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try simulation.run(events: 1_000, seed: 42)) }
            benchmark.stopMeasurement()
        }
    }

    // Ten ignitions in the ten largest clusters.
    let largest = (0..<model.clusters.count).sorted { model.clusters.size(of: $0) > model.clusters.size(of: $1) }
        .prefix(10).map { model.clusters.members[Int(model.clusters.memberStart[$0])] }
    Benchmark("Fire: time-stepped spread, 10 ignitions, 6 h at 1-minute steps", configuration: .init(maxIterations: 50))
    {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try TimeSteppedSpread(model: model, ignitions: largest, coefficients: coefficients))
        }
    }
}
