import Benchmark
import SuginamiKit

/// The damage engine's benchmarks, alone in their process: "Memory (resident peak)" is then the
/// engine's with its inputs (the bundled dataset and the building stock), which is what the
/// engine's memory target means, and not every other benchmark's fixtures as well; and
/// `refd simulate` end to end in a child process, whose own peak is measured.
///
/// Run with `swift package benchmark --target EngineBenchmarks` (part of `make benchmark`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: memoryMetrics, maxDuration: .seconds(20))
    let dataset: SuginamiDataset
    do { dataset = try SuginamiDataset.bundled() } catch { fatalError("cannot read the bundled dataset: \(error)") }
    earthquakeBenchmarks(dataset: dataset)
    simulateCommandBenchmarks()
}

/// Wall clock, the process's peak resident memory and its growth during the measured part (what
/// the work itself adds).
let memoryMetrics: [BenchmarkMetric] = [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal]
