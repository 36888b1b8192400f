import Benchmark
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The peak resident memory of the measured `refd` process, from the kernel's account of the
/// child (`wait4`'s `ru_maxrss`), in megabytes.
let refdPeakMemory = BenchmarkMetric.custom(
    "refd peak resident (MB)", polarity: .prefersSmaller, useScalingFactor: false)

/// `refd simulate` end to end on the ward, as `make run` runs it: the real buildings read from the
/// store, 1,000 events with fire and the example mitigation, every file written and the report
/// drawn, in a process of its own, whose wall clock and peak memory are the figures (the issue's
/// target: ≤ 200 MB). The release `refd` is the one `make benchmark` builds; the store is made
/// once with `refd load` and kept in the temporary directory.
func simulateCommandBenchmarks() {
    let refd = FileManager.default.currentDirectoryPath + "/.build/release/refd"
    let fixtures = FileManager.default.temporaryDirectory.appendingPathComponent("suginami-simulate-fixture")
    let database = fixtures.appendingPathComponent("suginami.sqlite").path
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
        "suginami-simulate-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
    for (name, options) in [
        ("shaking only", [String]()),
        (
            "with fire, mitigation and report (make run's run)",
            ["--fire", "--mitigation", "Examples/Mitigation/promotion-1.json", "--report", "REPORT"]
        ),
    ] {
        Benchmark(
            "Simulate: refd simulate end to end on the ward's 118,522 buildings, 1,000 events, \(name)",
            configuration: .init(metrics: [.wallClock, refdPeakMemory], maxDuration: .seconds(60), maxIterations: 3)
        ) { benchmark in
            for run in benchmark.scaledIterations {
                let out = scratch.appendingPathComponent("out-\(run)").path
                let report = scratch.appendingPathComponent("report-\(run)").path
                let arguments =
                    [
                        "simulate", "--database", database, "--scenario", "toshin-nanbu-chokka-m7.3", "--events",
                        "1000", "--out", out, "--progress", "none",
                    ] + options.map { $0 == "REPORT" ? report : $0 }
                benchmark.startMeasurement()
                let child = try MeasuredProcess.run(refd, arguments)
                benchmark.stopMeasurement()
                benchmark.measurement(refdPeakMemory, child.peakResidentKilobytes / 1024)
                try? FileManager.default.removeItem(atPath: out)
                try? FileManager.default.removeItem(atPath: report)
            }
        } setup: {
            guard FileManager.default.isExecutableFile(atPath: refd) else {
                throw MeasuredProcess.Failure("\(refd) is missing: run `make benchmark`, which builds it first")
            }
            if !FileManager.default.fileExists(atPath: database) {
                try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
                _ = try MeasuredProcess.run(refd, ["load", "--database", database, "--progress", "none"])
            }
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } teardown: {
            try? FileManager.default.removeItem(at: scratch)
        }
    }
}

/// A child process run to its end, with the kernel's account of its peak memory.
///
/// Written here because Foundation's `Process` reaps its child itself and does not give its
/// resource usage; `posix_spawn` and `wait4` do.
enum MeasuredProcess {
    /// Why a child could not be run, or failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `path` with `arguments` (output discarded, errors kept) and waits for it.
    /// - Throws: ``Failure`` when it cannot start or does not exit with 0 (with its error output).
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, peakResidentKilobytes: Int) {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errors) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure("cannot start \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw Failure("waiting for \(path): \(String(cString: strerror(errno)))") }
        }
        // Exited normally (no signal) and with code 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure("\(path) \(arguments.joined(separator: " ")) failed (status \(status)): \(message)")
        }
        return (status, Int(usage.ru_maxrss))
    }
}
