import Benchmark
import Foundation
import SuginamiSecurity

/// ISMS checks at the scale: 10,000 assets and 100,000 flows. The whole check as
/// `refd isms check` runs it (read and verify the evidence, read and validate the inventory,
/// assess, write every report), from JSON and from YAML, and its parts: reading alone and the
/// assessment alone.
func ismsBenchmarks() {
    let time = Timestamp("2026-11-27T09:00:00+09:00")!
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
        "suginami-isms-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
    // The fixtures are made once, by `refd isms synthetic` when `make benchmark` runs (so that the
    // check starts in a process that did not just make 13 MB of YAML, as the command does), or
    // here when they are missing; they are deterministic, so a kept one is the same one.
    let fixtures = FileManager.default.temporaryDirectory.appendingPathComponent("suginami-isms-fixtures")

    for format in SyntheticInventory.Format.allCases {
        let fixture = fixtures.appendingPathComponent(format.rawValue)
        Benchmark(
            "ISMS: refd isms check end to end, 10,000 assets and 100,000 flows, from \(format.rawValue.uppercased())",
            configuration: .init(metrics: memoryMetrics, maxDuration: .seconds(20), maxIterations: 10)
        ) { benchmark in
            for run in benchmark.scaledIterations {
                let out = scratch.appendingPathComponent("out-\(format.rawValue)-\(run)")
                benchmark.startMeasurement()
                // Released inside the measurement, as the command releases it before it exits.
                do {
                    let check = try ISMSCheck(
                        inventory: fixture.appendingPathComponent("inventory.\(format.rawValue)"),
                        evidence: fixture.appendingPathComponent("evidence"), at: time)
                    try check.write(to: out)
                }
                benchmark.stopMeasurement()
                try FileManager.default.removeItem(at: out)
            }
        } setup: {
            let inventory = fixture.appendingPathComponent("inventory.\(format.rawValue)")
            if !FileManager.default.fileExists(atPath: inventory.path) {
                try SyntheticInventory.writeFixture(to: fixture, assets: 10_000, flows: 100_000, format: format)
            }
        } teardown: {
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    Benchmark("ISMS: assess 10,000 assets and 100,000 flows", configuration: .init(maxDuration: .seconds(10))) {
        benchmark in
        let inventory = SyntheticInventory.make(assets: 10_000, flows: 100_000)
        let evidence = SyntheticInventory.evidence()
        let assessor = Assessor(rules: try RuleCatalogue.bundled().rules, annexA: try AnnexACatalogue.bundled())
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(assessor.assess(inventory, evidence: evidence, at: time))
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "ISMS: read and validate the 10,000-asset inventory from JSON",
        configuration: .init(maxDuration: .seconds(10), maxIterations: 10)
    ) { benchmark in
        let data = try JSONEncoder().encode(SyntheticInventory.make(assets: 10_000, flows: 100_000))
        let evidence = SyntheticInventory.evidence()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try InventoryLoader.load(data, name: "synthetic.json", evidence: evidence, at: time))
        }
        benchmark.stopMeasurement()
    }
}
