import Foundation
import SuginamiKit
import Testing

/// Every command that writes, killed with SIGKILL at random moments, leaves the old state or
/// the new one, never a half. Each test first times one whole run, then kills runs at delays
/// drawn across that time (and a little past it, so that some finish).
@Suite("Crash consistency", .serialized)
struct CrashConsistencyTests {
    static let trials = 10

    /// Delays spread over a run's length: one per trial, shuffled, so early, middle and late
    /// kills all happen every time.
    static func delays(across duration: Double) -> [Double] {
        (0..<trials).map { duration * 1.1 * (Double($0) + Double.random(in: 0..<1)) / Double(trials) }.shuffled()
    }

    /// What a store holds, to tell the old state from the new.
    struct State: Equatable, CustomStringConvertible {
        var buildings: Int
        var facilities: Int
        var towns: Int
        var firstBuilding: String?

        init(_ path: String) async throws {
            let store = try SuginamiStore(path: path)
            #expect(try await store.integrityProblems() == [])
            buildings = try await store.buildingCount()
            facilities = try await store.facilities().count
            towns = try await store.towns().count
            let box = try BoundingBox(
                minLatitude: 35.70, minLongitude: 139.60, maxLatitude: 35.72, maxLongitude: 139.63)
            firstBuilding = try await store.buildings(in: box).first.map { "\($0.id)@\($0.position)" }
        }

        var description: String {
            "\(buildings) buildings, \(facilities) facilities, \(towns) towns, \(firstBuilding ?? "-")"
        }
    }

    @Test func loadReplaceKilledAtRandomMomentsKeepsTheOldOrTheNewStore() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("replace.sqlite").path
        let replace = [
            "load", "--database", database, "--replace", "--buildings", "20000", "--seed", "2", "--progress", "none",
        ]
        #expect(
            try Programs.run("refd", ["load", "--database", database, "--buildings", "3000", "--seed", "1"]).status == 0
        )
        let old = try await State(database)
        let duration = try Programs.timed("refd", replace)
        let new = try await State(database)
        #expect(old.buildings == 3_000 && new.buildings == 20_000 && old.firstBuilding != new.firstBuilding)

        var seen: [String] = []
        for delay in Self.delays(across: duration) {
            // Start each trial from the old state, so that a kill can land on either side.
            #expect(
                try Programs.run(
                    "refd", ["load", "--database", database, "--replace", "--buildings", "3000", "--seed", "1"]
                ).status == 0)
            let killed = try Programs.kill("refd", replace, after: delay)
            let state = try await State(database)
            #expect(state == old || state == new, "killed after \(delay) s: \(state)")
            seen.append(killed ? (state == old ? "old" : "new") : "finished")
        }
        #expect(seen.contains("old"), "no kill landed inside the transaction: \(seen)")
    }

    @Test func freshLoadKilledAtRandomMomentsLeavesNoDatabaseOrAWholeOne() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("fresh.sqlite").path
        let load = ["load", "--database", database, "--buildings", "20000", "--progress", "none"]
        let duration = try Programs.timed("refd", load)
        let whole = try await State(database)
        var outcomes: [String] = []
        for delay in Self.delays(across: duration) {
            try? FileManager.default.removeItem(atPath: database)
            try Programs.kill("refd", load, after: delay)
            if FileManager.default.fileExists(atPath: database) {
                #expect(try await State(database) == whole, "killed after \(delay) s")
                outcomes.append("whole")
            } else {
                #expect(!FileManager.default.fileExists(atPath: database + "-wal"))
                outcomes.append("none")
            }
        }
        #expect(outcomes.contains("none"), "no kill landed before the switch: \(outcomes)")
    }

    @Test func simulateKilledAtRandomMomentsLeavesTheOldRunOrTheNew() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("s.sqlite").path
        #expect(try Programs.run("refd", ["load", "--database", database, "--buildings", "2000"]).status == 0)
        let out = directory.appendingPathComponent("run")
        func simulate(seed: Int) -> [String] {
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "20",
                "--seed", String(seed), "--out", out.path, "--progress", "none",
            ]
        }
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: out.path)
            while let relative = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let path = out.appendingPathComponent(relative).path
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                if !isDirectory.boolValue, !relative.hasPrefix(".suginamikit") {
                    files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
                }
            }
            return files
        }
        _ = try Programs.timed("refd", simulate(seed: 1))
        let old = try snapshot()
        let duration = try Programs.timed("refd", simulate(seed: 2))
        let new = try snapshot()
        // Only the time stamps of the GeoPackage differ between two equal runs; compare the tables.
        func same(_ a: [String: Data], _ b: [String: Data]) -> Bool {
            a.keys == b.keys && a.allSatisfy { $0.key.hasSuffix(".gpkg") || b[$0.key] == $0.value }
        }
        #expect(!same(old, new))
        var outcomes: [String] = []
        for delay in Self.delays(across: duration) {
            #expect(try Programs.run("refd", simulate(seed: 1)).status == 0)
            try Programs.kill("refd", simulate(seed: 2), after: delay)
            let now = try snapshot()
            #expect(same(now, old) || same(now, new), "killed after \(delay) s: \(now.keys.sorted())")
            outcomes.append(same(now, old) ? "old" : "new")
        }
        #expect(outcomes.contains("old"), "\(outcomes)")
    }
}
