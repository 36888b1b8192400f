import Benchmark
import SuginamiGIS
import SuginamiKit

/// The damage simulation at the scale: 100,000 buildings of the synthetic ward stock ×
/// 1,000 events on the 250 m mesh, JB2009-correlated, prepared and run (wall clock, 2 cores).
func earthquakeBenchmarks(dataset: SuginamiDataset) {
    let generator = SyntheticBuildingGenerator()
    let counts = generator.allocation(for: dataset.towns)
    var buildings: [Building] = []
    for (index, town) in dataset.towns.enumerated() {
        buildings += generator.buildings(in: town, townIndex: index, count: counts[index], stock: dataset.buildingStock)
    }
    let hundredThousand = Array(buildings.prefix(100_000))
    let scenario: DamageSimulation.Scenario
    let fragility: FragilitySet
    do {
        // The OpenQuake peer job's synthetic rupture (not an official source).
        let rupture = try PlanarRupture(
            magnitude: 7.3, traceStart: try GeoPoint(latitude: 35.4407, longitude: 139.5547), strike: 45, dip: 90,
            rake: 0, topDepth: 5, bottomDepth: 25, length: 50,
            hypocentre: try GeoPoint(latitude: 35.60, longitude: 139.75), hypocentralDepth: 15, type: .crustal)
        scenario = DamageSimulation.Scenario(
            name: "synthetic M7.3", rupture: rupture, model: SiMidorikawa1999(.crustal))
        fragility = try FragilitySet.bundledDefault()
    } catch {
        fatalError("cannot build the earthquake fixtures: \(error)")
    }

    // Prepare (cells, Cholesky factor) and run 1,000 events: at the scale and for the ward.
    for (name, stock) in [
        ("100,000 buildings × 1,000 events (prepare and run)", hundredThousand),
        ("the ward's 122,900 synthetic buildings × 1,000 events", buildings),
    ] {
        Benchmark(
            "Earthquake: \(name)",
            configuration: .init(metrics: memoryMetrics, maxDuration: .seconds(20), maxIterations: 10)
        ) {
            benchmark in
            for _ in benchmark.scaledIterations {
                let simulation = try DamageSimulation(
                    scenario: scenario, buildings: stock, fragility: fragility, site: .uniformAVS30of400)
                blackHole(try simulation.run(events: 1_000, seed: 42))
            }
        }
    }

    Benchmark(
        "Earthquake: correlated residuals at each of 122,900 buildings, 2 events (circulant embedding, 250 m)",
        configuration: .init(metrics: memoryMetrics, maxDuration: .seconds(10), maxIterations: 20)
    ) { benchmark in
        let box = BoundingBox(covering: buildings.map(\.position))!
        let field = try CirculantEmbeddingField(covering: box, spacing: 0.25, model: JayaramBaker2009(.pgv))
        let random = CounterRandom(seed: 42)
        var residuals = [Double](repeating: 0, count: buildings.count * 2)
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let (first, second) = field.sample(random, event: UInt64(iteration))
            for (index, building) in buildings.enumerated() {
                residuals[2 * index] = field.value(of: first, at: building.position)
                residuals[2 * index + 1] = field.value(of: second, at: building.position)
            }
            blackHole(residuals[0] + residuals[residuals.count - 1])
        }
        benchmark.stopMeasurement()
    }
}
