import Foundation
import SuginamiTestSupport
import SuginamiGIS
import SuginamiKit
import Testing

/// Every command that writes, killed with SIGKILL at random moments, leaves the old state or
/// the new one, never a half. Each test first times one whole run, then kills runs at delays
/// drawn across that time (and a little past it, so that some finish). The commands that write
/// a store run on both back ends: an SQLite file, and a database of the test command's
/// PostgreSQL cluster.
@Suite("Crash consistency", .serialized)
struct CrashConsistencyTests {
    static let trials = 10

    /// Delays spread over a run's length: one per trial, shuffled, so early, middle and late
    /// kills all happen every time.
    static func delays(across duration: Double, trials: Int = trials) -> [Double] {
        (0..<trials).map { duration * 1.1 * (Double($0) + Double.random(in: 0..<1)) / Double(trials) }.shuffled()
    }

    /// What a store holds, to tell the old state from the new.
    struct State: Equatable, CustomStringConvertible {
        var buildings: Int
        var facilities: Int
        var towns: Int
        var firstBuilding: String?

        init(_ database: String, on backend: StoreBackend = .sqlite) async throws {
            try await self.init(of: backend.open(database))
        }

        /// What `store` holds; closes it.
        init(of store: any SuginamiDatabase) async throws {
            if let file = store as? SuginamiStore { #expect(try await file.integrityProblems() == []) }
            buildings = try await store.buildingCount()
            facilities = try await store.facilities().count
            towns = try await store.towns().count
            let box = try BoundingBox(
                minLatitude: 35.70, minLongitude: 139.60, maxLatitude: 35.72, maxLongitude: 139.63)
            firstBuilding = try await store.buildings(in: box).first.map { "\($0.id)@\($0.position)" }
            try await store.close()
        }

        /// Nothing at all: what a load killed before its first record leaves.
        var isEmpty: Bool { buildings == 0 && facilities == 0 && towns == 0 }

        var description: String {
            "\(buildings) buildings, \(facilities) facilities, \(towns) towns, \(firstBuilding ?? "-")"
        }
    }

    /// A new place for a store: a file name in `directory`, or a new PostgreSQL database.
    static func newDatabase(_ backend: StoreBackend, in directory: URL, named name: String) async throws -> String {
        switch backend {
        case .sqlite: directory.appendingPathComponent(name + ".sqlite").path
        case .postgres: try await TestPostgres.freshDatabase()
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func loadReplaceKilledAtRandomMomentsKeepsTheOldOrTheNewStore(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Self.newDatabase(backend, in: directory, named: "replace")
        let replace = [
            "load", "--database", database, "--replace", "--buildings", "20000", "--seed", "2", "--progress", "none",
        ]
        #expect(
            try await Programs.running("refd", ["load", "--database", database, "--buildings", "3000", "--seed", "1"])
                .status == 0
        )
        let old = try await State(database, on: backend)
        let duration = try await Programs.timing("refd", replace)
        let new = try await State(database, on: backend)
        #expect(old.buildings == 3_000 && new.buildings == 20_000 && old.firstBuilding != new.firstBuilding)

        var seen: [String] = []
        for delay in Self.delays(across: duration) {
            // Start each trial from the old state, so that a kill can land on either side.
            #expect(
                try await Programs.running(
                    "refd", ["load", "--database", database, "--replace", "--buildings", "3000", "--seed", "1"]
                ).status == 0)
            let killed = try await Programs.killing("refd", replace, after: delay)
            let state = try await State(database, on: backend)
            #expect(state == old || state == new, "killed after \(delay) s: \(state)")
            seen.append(killed ? (state == old ? "old" : "new") : "finished")
        }
        #expect(seen.contains("old"), "no kill landed inside the transaction: \(seen)")
    }

    /// On SQLite the new file appears whole or not at all; on PostgreSQL the database (made
    /// beforehand, as an operator makes it) holds the whole ward or no record, and a load then
    /// takes it as a new one (no `--replace` needed: nothing half-made stands in the way).
    @Test(arguments: StoreBackend.allCases)
    func freshLoadKilledAtRandomMomentsLeavesNoDatabaseOrAWholeOne(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func load(_ database: String, buildings: Int = 20_000) -> [String] {
            ["load", "--database", database, "--buildings", "\(buildings)", "--progress", "none"]
        }
        let first = try await Self.newDatabase(backend, in: directory, named: "fresh")
        let duration = try await Programs.timing("refd", load(first))
        let whole = try await State(first, on: backend)
        var outcomes: [String] = []
        for delay in Self.delays(across: duration) {
            let database = try await Self.newDatabase(backend, in: directory, named: "fresh")
            try? FileManager.default.removeItem(atPath: database)
            try await Programs.killing("refd", load(database), after: delay)
            var state: State?
            if let left = try await backend.openIfPresent(database) { state = try await State(of: left) }
            if let state, !state.isEmpty {
                #expect(state == whole, "killed after \(delay) s")
                outcomes.append("whole")
            } else {
                if backend == .sqlite {
                    let listing = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                    #expect(state == nil && !FileManager.default.fileExists(atPath: database + "-wal"), "\(listing)")
                    // What the killed load left beside the file goes with the next load, said (a
                    // file killed while being claimed is left for a minute: see Staging).
                    let claimed = { (name: String) in name.hasPrefix(".fresh") && !name.hasSuffix(".claiming") }
                    let left = listing.filter(claimed)
                    let again = try await Programs.running("refd", load(database, buildings: 100))
                    #expect(again.status == 0, "killed after \(delay) s, then: \(again.stderr)")
                    let removed = again.stderr.split(separator: "\n").filter {
                        $0.hasSuffix("left by a load that did not finish")
                    }
                    #expect(removed.count == left.count, "\(left) left, then: \(again.stderr)")
                    let after = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                    #expect(!after.contains(where: claimed), "\(after)")
                } else {
                    let again = try await Programs.running("refd", load(database, buildings: 100))
                    #expect(again.status == 0, "killed after \(delay) s, then: \(again.stderr)")
                }
                outcomes.append("none")
            }
        }
        #expect(outcomes.contains("none"), "no kill landed before the switch: \(outcomes)")
    }

    @Test func simulateKilledAtRandomMomentsLeavesTheOldRunOrTheNew() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("s.sqlite").path
        #expect(
            try await Programs.running("refd", ["load", "--database", database, "--buildings", "2000"]).status == 0)
        let out = directory.appendingPathComponent("run")
        func simulate(seed: Int) -> [String] {
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "20",
                "--seed", String(seed), "--out", out.path, "--progress", "none",
            ]
        }
        // The run's files, less the marker (which records when it was written).
        func snapshot() throws -> [String: Data] {
            try Programs.files(below: out).filter { !$0.key.hasPrefix(".suginamikit") }
        }
        _ = try await Programs.timing("refd", simulate(seed: 1))
        let old = try snapshot()
        let duration = try await Programs.timing("refd", simulate(seed: 2))
        let new = try snapshot()
        // Only the time stamps of the GeoPackage differ between two equal runs; compare the tables.
        func same(_ a: [String: Data], _ b: [String: Data]) -> Bool {
            a.keys == b.keys && a.allSatisfy { $0.key.hasSuffix(".gpkg") || b[$0.key] == $0.value }
        }
        #expect(!same(old, new))
        var outcomes: [String] = []
        // What a killed run left beside its directory goes with the next run (one killed while
        // claiming its staging directory is left for a minute: see Staging).
        func leftBeside() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasPrefix(".run.") && !$0.hasSuffix(".claiming") }
        }
        for delay in Self.delays(across: duration) {
            #expect(try await Programs.running("refd", simulate(seed: 1)).status == 0)
            let left = try leftBeside()
            #expect(left.isEmpty, "\(left)")
            try await Programs.killing("refd", simulate(seed: 2), after: delay)
            let now = try snapshot()
            #expect(same(now, old) || same(now, new), "killed after \(delay) s: \(now.keys.sorted())")
            outcomes.append(same(now, old) ? "old" : "new")
        }
        #expect(outcomes.contains("old"), "\(outcomes)")
        #expect(try await Programs.running("refd", simulate(seed: 1)).status == 0)
        let left = try leftBeside()
        #expect(left.isEmpty, "\(left)")
    }

    @Test(arguments: StoreBackend.allCases)
    func importKilledAtRandomMomentsStoresTheWholeRegisterOrNothing(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func loaded() async throws -> String {
            let database = try await Self.newDatabase(backend, in: directory, named: "import")
            #expect(
                try await Programs.running("refd", ["load", "--database", database, "--buildings", "1000"]).status == 0)
            return database
        }
        let first = try await loaded()
        let dataset = try SuginamiDataset.bundled()
        let register = SyntheticBuildingGenerator(seed: 11, totalBuildings: 40_000).allocation(for: dataset.towns)
            .enumerated().flatMap { index, count in
                SyntheticBuildingGenerator(seed: 11).buildings(
                    in: dataset.towns[index], townIndex: index, count: count, stock: dataset.buildingStock)
            }.map { building in
                var building = building
                building.id = "REG-" + building.id
                building.footprint = nil
                return building
            }
        let file = directory.appendingPathComponent("register.csv")
        try BuildingRegisterFormat.csv(register).write(to: file)
        func importing(_ database: String) -> [String] {
            ["import", "--database", database, "--buildings", file.path, "--progress", "none"]
        }
        let old = try await State(first, on: backend)
        let copy = directory.appendingPathComponent("pristine.sqlite").path
        if backend == .sqlite { try FileManager.default.copyItem(atPath: first, toPath: copy) }
        let duration = try await Programs.timing("refd", importing(first))
        #expect(try await State(first, on: backend).buildings == 41_000)
        var outcomes: [String] = []
        for delay in Self.delays(across: duration, trials: 6) {
            // Each trial from the old state: the file copied back, or a database loaded anew.
            let database: String
            if backend == .sqlite {
                database = first
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
                try FileManager.default.copyItem(atPath: copy, toPath: database)
            } else {
                database = try await loaded()
            }
            try await Programs.killing("refd", importing(database), after: delay)
            let state = try await State(database, on: backend)
            #expect(state == old || state.buildings == 41_000, "killed after \(delay) s: \(state)")
            outcomes.append(state == old ? "old" : "new")
        }
        #expect(outcomes.contains("old"), "\(outcomes)")
    }

    @Test func saveNetworkKilledAtRandomMomentsLeavesTheOldFileOrTheNew() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let seeds = Programs.repositoryRoot.appendingPathComponent("Fuzz/Seeds")
        let saved = directory.appendingPathComponent("area.sgknet")
        // The old file: the 40-node sample. The new: the real Shibuya extract, ordered anew.
        try FileManager.default.copyItem(
            at: seeds.appendingPathComponent("network-file/synthetic-40.sgknet"), to: saved)
        let old = try RoadNetworkFile.read(saved).graph.nodeCount
        let osm = directory.appendingPathComponent("shibuya.osm")
        try Gzip.decompress(
            try Data(
                contentsOf: Programs.repositoryRoot.appendingPathComponent(
                    "Tests/SuginamiGISTests/Reference/routing/shibuya_overpass_2025-07-02.osm.gz"))
        ).write(to: osm)
        let save = ["route", "--osm", osm.path, "--save-network", saved.path]
        let pristine = try Data(contentsOf: saved)
        let duration = try await Programs.timing("refd", save)
        let new = try RoadNetworkFile.read(saved).graph.nodeCount
        #expect(new > old)
        var outcomes: [String] = []
        for delay in Self.delays(across: duration, trials: 6) {
            try pristine.write(to: saved)
            try await Programs.killing("refd", save, after: delay)
            let nodes = try RoadNetworkFile.read(saved).graph.nodeCount
            #expect(nodes == old || nodes == new, "killed after \(delay) s")
            outcomes.append(nodes == old ? "old" : "new")
        }
        #expect(outcomes.contains("old"), "\(outcomes)")
    }

    @Test func ismsCheckKilledAtRandomMomentsLeavesTheOldReportsOrTheNew() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let example = Programs.repositoryRoot.appendingPathComponent("Examples/ISMS")
        let out = directory.appendingPathComponent("isms-out")
        func check(at time: String) -> [String] {
            [
                "isms", "check", example.appendingPathComponent("inventory.yaml").path, "--evidence",
                example.appendingPathComponent("evidence").path, "--waivers",
                example.appendingPathComponent("waivers.yaml").path, "--out", out.path, "--at", time,
                "--fail-on", "never",
            ]
        }
        func results() throws -> Data { try Data(contentsOf: out.appendingPathComponent("results.json")) }
        _ = try await Programs.timing("refd", check(at: "2026-11-27T09:00:00+09:00"))
        let old = try results()
        let duration = try await Programs.timing("refd", check(at: "2026-11-28T09:00:00+09:00"))
        let new = try results()
        #expect(old != new)
        var outcomes: [String] = []
        for delay in Self.delays(across: duration, trials: 6) {
            _ = try await Programs.running("refd", check(at: "2026-11-27T09:00:00+09:00"))
            try await Programs.killing("refd", check(at: "2026-11-28T09:00:00+09:00"), after: delay)
            let now = try results()
            #expect(now == old || now == new, "killed after \(delay) s")
            // The reports always belong together.
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
            #expect(
                names.sorted() == [
                    "assessment-results.json", "junit.xml", "report.html", "results.json", "results.sarif",
                    "statement-of-applicability.csv",
                ])
            outcomes.append(now == old ? "old" : "new")
        }
        #expect(outcomes.contains("old"), "\(outcomes)")
    }
}
