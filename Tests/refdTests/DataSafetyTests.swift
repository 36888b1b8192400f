import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

/// A tired user under pressure gives refd the wrong directory, the wrong file, or two commands
/// at once: nothing of theirs is deleted, overwritten or silently lost.
@Suite("Never lose a user's data")
struct DataSafetyTests {
    let directory: URL
    let database: String

    init() throws {
        directory = try Programs.temporaryDirectory()
        database = directory.appendingPathComponent("s.sqlite").path
    }

    func loadSmallStore() throws {
        let load = try Programs.run(
            "refd", ["load", "--database", database, "--buildings", "1500", "--progress", "none"])
        #expect(load.status == 0, "\(load.stderr)")
    }

    func simulate(_ extra: [String], in working: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try Programs.run(
            "refd",
            ["simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "5"]
                + extra + ["--progress", "none"],
            in: working)
    }

    func files(_ url: URL) throws -> [String: Data] { try Programs.files(below: url) }

    @Test func simulateRefusesEveryOutputThatIsNotItsOwn() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        // A directory of the user's.
        let mine = directory.appendingPathComponent("mine")
        try FileManager.default.createDirectory(
            at: mine.appendingPathComponent("drafts"), withIntermediateDirectories: true)
        try Data("修士論文".utf8).write(to: mine.appendingPathComponent("drafts/thesis.txt"))
        let before = try files(mine)
        for option in ["--out", "--report"] {
            let extra =
                option == "--out"
                ? ["--out", mine.path] : ["--out", directory.appendingPathComponent("r").path, "--report", mine.path]
            let run = try simulate(extra)
            #expect(
                run.status != 0 && run.stderr.contains("\(option) \(mine.path)") && run.stderr.contains("drafts"),
                "\(run.stderr)")
            #expect(try files(mine) == before)
        }
        // A file of that name.
        let notes = directory.appendingPathComponent("notes.txt")
        try Data("keep me".utf8).write(to: notes)
        let onFile = try simulate(["--out", notes.path])
        #expect(onFile.status != 0 && onFile.stderr.contains("it is a file"), "\(onFile.stderr)")
        #expect(try Data(contentsOf: notes) == Data("keep me".utf8))
        // The current directory, by `.` and by name.
        let working = directory.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: working, withIntermediateDirectories: false)
        try Data("x".utf8).write(to: working.appendingPathComponent("data.csv"))
        for out in [".", working.path, directory.path] {
            let run = try simulate(["--out", out], in: working)
            #expect(run.status != 0 && run.stderr.contains("current directory"), "\(out): \(run.stderr)")
        }
        #expect(try files(working) == ["data.csv": Data("x".utf8)])
        // Nothing was left beside them either: no staging directory, no half run.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix("s.sqlite") }
                .sorted() == ["mine", "notes.txt", "work"])
    }

    @Test func simulateReplacesItsOwnEarlierRunAndReport() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        let out = directory.appendingPathComponent("run")
        let report = directory.appendingPathComponent("report")
        for seed in ["1", "2"] {
            let run = try simulate(["--seed", seed, "--out", out.path, "--report", report.path])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let record = try String(contentsOf: out.appendingPathComponent("inputs/run.json"), encoding: .utf8)
        #expect(record.contains("\"seed\" : 2"))
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("report.ja.html").path))
        // Once the user adds a file to it, the run is theirs too.
        try Data("my notes".utf8).write(to: out.appendingPathComponent("notes.md"))
        let refused = try simulate(["--out", out.path])
        #expect(refused.status != 0 && refused.stderr.contains("notes.md"), "\(refused.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("notes.md")) == Data("my notes".utf8))
        // The same directory for both outputs is refused before any work.
        let same = try simulate(["--out", out.path, "--report", out.path])
        #expect(same.status != 0 && same.stderr.contains("the same directory"), "\(same.stderr)")
    }

    @Test func aMitigationNameCannotWriteOutsideTheRun() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        for name in ["../escape", "a/b", ".hidden", "nul\\u0000byte", ""] {
            let scenario = directory.appendingPathComponent("m.json")
            try Data(#"{"name": "\#(name)", "description": "x", "seed": 1, "breakerInstallation": 0.5}"#.utf8)
                .write(to: scenario)
            let run = try simulate([
                "--out", directory.appendingPathComponent("run").path, "--fire", "--fire-classes",
                "wooden=fire_preventive,non_wooden=fire_resistant", "--mitigation", scenario.path,
            ])
            #expect(run.status != 0 && run.stderr.contains("m.json: name:"), "\(name): \(run.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix("s.sqlite") }
                    == ["m.json"])
        }
    }

    @Test func loadNeverReplacesAFileThatIsNotOurs() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        // A GeoPackage is an SQLite database, but not ours; a text file is not a database at all.
        let geoPackage = directory.appendingPathComponent("facilities.gpkg")
        #expect(try Programs.run("refd", ["export", "--database", database, geoPackage.path]).status == 0)
        let notes = directory.appendingPathComponent("notes.txt")
        try Data("keep me".utf8).write(to: notes)
        for file in [geoPackage, notes] {
            let before = try Data(contentsOf: file)
            let load = try Programs.run("refd", ["load", "--database", file.path, "--replace", "--buildings", "10"])
            #expect(load.status != 0 && load.stderr.contains("is not a SuginamiKit database"), "\(load.stderr)")
            let facilities = directory.appendingPathComponent("f.geojson")
            _ = try Programs.run("refd", ["export", "--database", database, facilities.path])
            let imported = try Programs.run("refd", ["import", "--database", file.path, facilities.path])
            #expect(
                imported.status != 0 && imported.stderr.contains("is not a SuginamiKit database"), "\(imported.stderr)")
            #expect(try Data(contentsOf: file) == before)
        }
        // Without --replace an existing store is refused, and says how.
        let again = try Programs.run("refd", ["load", "--database", database])
        #expect(again.status != 0 && again.stderr.contains("pass --replace"), "\(again.stderr)")
    }

    @Test func singleFileOutputsKeepAFileThatIsThereUnlessToldToReplaceIt() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        let kept = Data("keep me".utf8)
        let sites = directory.appendingPathComponent("sites.geojson")
        let tree = directory.appendingPathComponent("tree.csv")
        for file in [sites, tree] { try kept.write(to: file) }
        let export = try Programs.run("refd", ["export", "--database", database, sites.path])
        #expect(
            export.status != 0 && export.stderr.contains("\(sites.path) already exists; pass --replace"),
            "\(export.stderr)")
        let route = try Programs.run("refd", ["route", "--database", database, "--tree-csv", tree.path])
        #expect(
            route.status != 0 && route.stderr.contains("--tree-csv \(tree.path) already exists; pass --replace"),
            "\(route.stderr)")
        #expect(try Data(contentsOf: sites) == kept && Data(contentsOf: tree) == kept)
        // Told to: replaced whole, in one step, nothing left beside.
        let replaced = try Programs.run("refd", ["export", "--database", database, "--replace", sites.path])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let features = try JSONSerialization.jsonObject(with: Data(contentsOf: sites)) as? [String: Any]
        #expect((features?["features"] as? [Any])?.isEmpty == false)
        let geoPackage = directory.appendingPathComponent("sites.gpkg")
        #expect(try Programs.run("refd", ["export", "--database", database, geoPackage.path]).status == 0)
        #expect(try Programs.run("refd", ["export", "--database", database, geoPackage.path]).status != 0)
        #expect(try Programs.run("refd", ["export", "--database", database, "--replace", geoPackage.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["s.sqlite", "sites.geojson", "sites.gpkg", "tree.csv"], "\(names)")
    }

    /// `load --replace` works inside the database file, under SQLite's lock: an import that
    /// arrives while it runs waits, then stores its buildings in the same file.
    @Test func replaceAndImportAtOnceLoseNothing() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try loadSmallStore()
        let inode = try FileManager.default.attributesOfItem(atPath: database)[.systemFileNumber] as? Int
        let dataset = try SuginamiDataset.bundled()
        let register = SyntheticBuildingGenerator(seed: 9).buildings(
            in: dataset.towns[3], townIndex: 3, count: 500, stock: dataset.buildingStock
        ).enumerated().map { index, building in
            var building = building
            building.id = "REG-\(index)"
            building.isSynthetic = false
            return building
        }
        let registerFile = directory.appendingPathComponent("register.csv")
        try BuildingRegisterFormat.csv(register).write(to: registerFile)

        let progress = Pipe()
        let replace = try Programs.start(
            "refd", ["load", "--database", database, "--replace", "--buildings", "60000", "--progress", "lines"],
            standardError: progress)
        // Wait until the replacement is inside its transaction.
        _ = progress.fileHandleForReading.availableData
        let imported = try Programs.run("refd", ["import", "--database", database, "--buildings", registerFile.path])
        replace.waitUntilExit()
        #expect(replace.terminationStatus == 0)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 500 buildings"))

        let store = try SuginamiStore(path: database)
        #expect(try await store.buildingCount() == 60_500, "the import's buildings are stored, after the replacement")
        #expect(try await store.buildings(inTown: dataset.towns[3].code).contains { $0.id == "REG-499" })
        #expect(try FileManager.default.attributesOfItem(atPath: database)[.systemFileNumber] as? Int == inode)
    }
}
