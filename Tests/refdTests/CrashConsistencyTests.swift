import Foundation
import SuginamiKit
import Testing

/// A writer killed with SIGKILL in the middle of a batch leaves a consistent database that
/// holds every batch it had committed.
@Suite("Crash consistency")
struct CrashConsistencyTests {
    @Test func sigkillDuringBuildingLoad() async throws {
        let directory = try Programs.temporaryDirectory()
        let database = directory.appendingPathComponent("crash.sqlite").path
        let batchSize = 2_000
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path("refd"))
        process.arguments = [
            "load", "--database", database, "--progress", "lines", "--batch-size", String(batchSize),
            "--buildings", "122900",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // Each "buildings: N of M" line is printed after a commit returned. Kill the writer
        // while it is inside a later batch.
        var committed = 0
        var buffer = ""
        let reader = errors.fileHandleForReading
        while committed < 5 * batchSize {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            for line in buffer.split(separator: "\n") where line.hasPrefix("buildings: ") {
                committed = max(committed, Int(line.split(separator: " ")[1]) ?? 0)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(committed >= 5 * batchSize)

        let store = try SuginamiStore(path: database)
        #expect(try await store.integrityProblems() == [])
        let count = try await store.buildingCount()
        // Nothing committed is lost, and no batch is there in part.
        #expect(count >= committed)
        #expect(count % batchSize == 0)
        #expect(count < 122_900, "the writer finished before it was killed; the test proved nothing")
        // What was committed before the buildings is whole too.
        #expect(try await store.facilities().count == 258)
        #expect(try await store.towns().count == 139)
    }
}
