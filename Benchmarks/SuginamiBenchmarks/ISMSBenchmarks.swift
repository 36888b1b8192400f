import Benchmark
import Foundation
import SuginamiSecurity

/// ISMS checks at the scale: 10,000 assets and 100,000 flows (transitive flow checks
/// included), and reading such an inventory from JSON.
func ismsBenchmarks() {
    let inventory = SyntheticInventory.make(assets: 10_000, flows: 100_000)
    let evidence = SyntheticInventory.evidence()
    let annexA: AnnexACatalogue
    let rules: [ControlRule]
    do {
        annexA = try AnnexACatalogue.bundled()
        rules = try RuleCatalogue.bundled().rules
    } catch {
        fatalError("cannot load the catalogues: \(error)")
    }
    let assessor = Assessor(rules: rules, annexA: annexA)
    let time = Timestamp("2026-11-27T09:00:00+09:00")!

    Benchmark("ISMS: check 10,000 assets and 100,000 flows", configuration: .init(maxDuration: .seconds(10))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(assessor.assess(inventory, evidence: evidence, at: time))
        }
    }

    Benchmark(
        "ISMS: read and validate the 10,000-asset inventory from JSON",
        configuration: .init(maxDuration: .seconds(10), maxIterations: 3)
    ) { benchmark in
        let data = try JSONEncoder().encode(inventory)
        benchmark.startMeasurement()
        blackHole(try InventoryLoader.load(data, name: "synthetic.json", evidence: evidence, at: time))
        benchmark.stopMeasurement()
    }
}
