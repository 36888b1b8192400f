import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

@Suite("refd command line")
struct CommandLineTests {
    @Test func loadThenQueryNearestAsJSON() throws {
        let directory = try Programs.temporaryDirectory()
        let database = directory.appendingPathComponent("s.sqlite").path
        let load = try Programs.run("refd", ["load", "--database", database, "--buildings", "2000", "--json"])
        #expect(load.status == 0, "\(load.stderr)")
        let summary = try JSONDecoder().decode(StoreSummary.self, from: Data(load.stdout.utf8))
        #expect(summary.population == 571_703)
        #expect(summary.facilitiesByKind["relief_centre"] == 65)
        #expect(summary.buildings == 2_000 && summary.syntheticBuildings == 2_000)

        let again = try Programs.run("refd", ["load", "--database", database])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists; pass --replace"))

        // A published layout exports the kind it is for, not every facility in the store.
        let csv = directory.appendingPathComponent("sites.csv").path
        let exported = try Programs.run("refd", ["export", "--database", database, "--layout", "gsi-emergency", csv])
        #expect(exported.stdout.contains("exported 76 facilities"), "\(exported.stdout) \(exported.stderr)")
        let csvRefused = try Programs.run("refd", ["export", "--database", database, csv])
        #expect(csvRefused.status != 0 && csvRefused.stderr.contains("CSV needs a published layout"))

        let near = try Programs.run(
            "refd",
            ["facilities", "--database", database, "--near", "139.6366,35.6995", "--kind", "relief_centre", "--json"])
        #expect(near.status == 0, "\(near.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(near.stdout.utf8)) as? [[String: Any]]
        #expect(json?.count == 3)
        let distances = json?.compactMap { $0["distanceMetres"] as? Double } ?? []
        #expect(distances.count == 3 && distances == distances.sorted())
    }

    @Test func aMissingOrForeignDatabaseIsAnErrorWithoutTheUsageText() throws {
        let directory = try Programs.temporaryDirectory()
        let missing = try Programs.run(
            "refd", ["facilities", "--database", directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status != 0 && missing.stderr.contains("does not exist; create it with `refd load`"))
        let foreign = directory.appendingPathComponent("notes.sqlite")
        try Data("not a database".utf8).write(to: foreign)
        let refused = try Programs.run("refd", ["facilities", "--database", foreign.path])
        #expect(refused.status != 0 && refused.stderr.contains("is not a SuginamiKit database"), "\(refused.stderr)")
        // The arguments were right: the usage text would only hide the message.
        #expect(!missing.stderr.contains("Usage:") && !refused.stderr.contains("Usage:"))
        #expect(try String(contentsOf: foreign, encoding: .utf8) == "not a database")
    }

    @Test func meshCodes() throws {
        let point = try Programs.run("refd", ["mesh", "--point", "139.6366,35.6995", "--level", "third"])
        #expect(point.status == 0, "\(point.stderr)")
        #expect(point.stdout.contains("\"code\" : \"53394530\""))
        let bad = try Programs.run("refd", ["mesh", "533985"])
        #expect(bad.status != 0 && bad.stderr.contains("digit 5: a 2nd-mesh row is 0–7"))
        let both = try Programs.run("refd", ["mesh", "5339", "--point", "139.6,35.7"])
        #expect(both.status != 0 && both.stderr.contains("either a mesh code or --point"))
        // East of 180°: the standard's grid has it, positions here do not (it trapped before).
        let east = try Programs.run("refd", ["mesh", "6099"])
        #expect(east.status != 0 && east.stderr.contains("lies east of 180°"), "\(east.stderr)")
    }

    @Test func projectUsesGaussKrugerOrPROJAndAgrees() throws {
        let directory = try Programs.temporaryDirectory()
        let input = directory.appendingPathComponent("points.txt")
        try "139.6366 35.6995 ward-office\n\n139.58 35.66\n".write(to: input, atomically: true, encoding: .utf8)
        // EPSG:6668 → 6677 takes the pure-Swift path; EPSG:4326 → 6677 goes through PROJ.
        let swift = try Programs.run("refd", ["project", "--from", "EPSG:6668", "--to", "EPSG:6677", input.path])
        let proj = try Programs.run("refd", ["project", "--from", "EPSG:4326", "--to", "EPSG:6677", input.path])
        #expect(swift.status == 0 && proj.status == 0, "\(swift.stderr) \(proj.stderr)")
        let a = swift.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(2).compactMap { Double($0) } }
        let b = proj.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(2).compactMap { Double($0) } }
        #expect(a.count == 2 && b.count == 2)
        for (p, q) in zip(a, b) { #expect(abs(p[0] - q[0]) < 1e-6 && abs(p[1] - q[1]) < 1e-6) }
        #expect(swift.stdout.hasSuffix("ward-office\n") == false && swift.stdout.contains(" ward-office\n"))

        let csv = directory.appendingPathComponent("points.csv")
        try "name,lon,lat\nward,139.6366,35.6995\nbad,139.6,north\n".write(to: csv, atomically: true, encoding: .utf8)
        let failed = try Programs.run(
            "refd",
            [
                "project", "--csv", "--x-column", "lon", "--y-column", "lat", "--from", "EPSG:6668", "--to",
                "EPSG:3857", csv.path,
            ])
        #expect(failed.status != 0 && failed.stdout.isEmpty)
        #expect(failed.stderr.contains("points.csv: row 2 (line 3): \"north\" is not a number"))
        let unknown = try Programs.run("refd", ["project", "--from", "EPSG:6668", "--to", "EPSG:999999", input.path])
        #expect(unknown.status != 0 && unknown.stderr.contains("EPSG:999999"))
    }

    @Test func badArgumentsAreRefusedClearly() throws {
        let directory = try Programs.temporaryDirectory()
        let missing = try Programs.run(
            "refd", ["facilities", "--database", directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status != 0 && missing.stderr.contains("does not exist"))
        let badPoint = try Programs.run("refd", ["facilities", "--near", "95,139"])
        #expect(badPoint.status != 0 && badPoint.stderr.contains("--near"))
        // One order everywhere, longitude,latitude; a pair given the other way round gets the fix.
        let swapped = try Programs.run("refd", ["route", "--from", "35.70,139.63"])
        #expect(swapped.status != 0 && swapped.stderr.contains("139.63 is not a latitude"))
        #expect(swapped.stderr.contains("did you mean 139.63,35.70 (longitude,latitude)?"))
        let swappedNear = try Programs.run("refd", ["facilities", "--near", "35.6995,139.6366"])
        #expect(swappedNear.status != 0 && swappedNear.stderr.contains("did you mean 139.6366,35.6995"))
        let noDirectory = try Programs.run("refd", ["load", "--database", "/nonexistent/dir/s.sqlite"])
        #expect(noDirectory.status != 0 && noDirectory.stderr.contains("the directory /nonexistent/dir does not exist"))
        let badKind = try Programs.run("refd", ["facilities", "--kind", "castle"])
        #expect(badKind.status != 0 && badKind.stderr.contains("castle"))
        // A count no memory could hold (it trapped before), refused before anything is written.
        let huge = directory.appendingPathComponent("huge.sqlite")
        let tooMany = try Programs.run("refd", ["load", "--database", huge.path, "--buildings", "9223372036854775807"])
        #expect(tooMany.status != 0 && tooMany.stderr.contains("--buildings must be 0 to 5000000"), "\(tooMany.stderr)")
        #expect(!FileManager.default.fileExists(atPath: huge.path))
        // A count is the synthetic stock's: asked of the real one, it is refused, saying why.
        let countOfReal = try Programs.run(
            "refd", ["load", "--database", huge.path, "--stock", "plateau", "--buildings", "5"])
        #expect(
            countOfReal.status != 0 && countOfReal.stderr.contains("--buildings applies to --stock synthetic"),
            "\(countOfReal.stderr)")
        let unknownStock = try Programs.run("refd", ["load", "--database", huge.path, "--stock", "paper"])
        #expect(unknownStock.status != 0 && unknownStock.stderr.contains("paper"))
        #expect(!FileManager.default.fileExists(atPath: huge.path))
    }

    @Test func importIsAllOrNothingAndExportRoundTrips() throws {
        let directory = try Programs.temporaryDirectory()
        let database = directory.appendingPathComponent("i.sqlite").path
        let source = Programs.repositoryRoot.appendingPathComponent(
            "Sources/SuginamiKit/BundledData/Resources/emergency_131156.geojson")
        let imported = try Programs.run("refd", ["import", "--database", database, source.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 76 facilities") && imported.stdout.contains("76 new, 0 updated"))
        // The same sites over the bundled data keep the ward's capacities, and say so.
        let bundled = directory.appendingPathComponent("b.sqlite").path
        #expect(try Programs.run("refd", ["load", "--database", bundled, "--progress", "none"]).status == 0)
        let over = try Programs.run("refd", ["import", "--database", bundled, source.path])
        #expect(
            over.status == 0 && over.stdout.contains("kept stored values the file lacks: capacity"), "\(over.stdout)")
        let refused = try Programs.run("refd", ["import", "--database", bundled, "--existing", "refuse", source.path])
        #expect(refused.status != 0 && refused.stderr.contains("already stored"))

        let csv = directory.appendingPathComponent("sites.csv")
        let exported = try Programs.run(
            "refd",
            ["export", "--database", database, "--layout", "gsi-emergency", "--encoding", "shift_jis", csv.path])
        #expect(exported.status == 0, "\(exported.stderr)")

        // Break one row: the import must fail, name the place, and change nothing.
        var text = try #require(String(data: try Data(contentsOf: csv), encoding: .shiftJIS))
        text = text.replacingOccurrences(of: ",35.700322,", with: ",135.700322,")
        let broken = directory.appendingPathComponent("broken.csv")
        try #require(text.data(using: .shiftJIS)).write(to: broken)
        let fresh = directory.appendingPathComponent("fresh.sqlite").path
        let failed = try Programs.run("refd", ["import", "--database", fresh, broken.path])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("broken.csv: row 1 (line 2), column 緯度: latitude 135.700322 is out of range"))
        // Validation happens before the store is opened: not even an empty database is left behind.
        #expect(!FileManager.default.fileExists(atPath: fresh))

        let skipped = try Programs.run("refd", ["import", "--database", fresh, "--skip-bad-rows", broken.path])
        #expect(skipped.status == 0)
        #expect(skipped.stdout.contains("imported 75 facilities") && skipped.stdout.contains("skipped 1 bad rows"))
        #expect(skipped.stderr.contains("skipped: broken.csv: row 1 (line 2), column 緯度"))

        let gpkg = directory.appendingPathComponent("all.gpkg")
        #expect(try Programs.run("refd", ["export", "--database", database, gpkg.path]).status == 0)
        let third = directory.appendingPathComponent("third.sqlite").path
        #expect(try Programs.run("refd", ["import", "--database", third, gpkg.path]).stdout.contains("imported 76"))
    }

    /// A binary copied without its resource bundles says what is missing; it does not crash.
    @Test func aBinaryWithoutItsResourceBundlesSaysSo() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lonely = directory.appendingPathComponent("refd")
        try FileManager.default.copyItem(atPath: Programs.path("refd"), toPath: lonely.path)
        func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = lonely
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "refd \(arguments) crashed: \(text)")
            return (process.terminationStatus, text)
        }
        let database = directory.appendingPathComponent("s.sqlite").path
        let load = try run(["load", "--database", database, "--progress", "none"])
        #expect(load.status == 1 && load.stderr.contains("bundled resource is missing"), "\(load.stderr)")
        let route = try run([
            "route", "--shelter-nodes", "x.csv", "--tree-csv", directory.appendingPathComponent("t").path,
        ])
        #expect(route.status == 1 && route.stderr.contains("bundled"), "\(route.stderr)")
        let simulate = try run([
            "simulate", "--database", database, "--scenario", "toshin-nanbu-chokka-m7.3", "--out",
            directory.appendingPathComponent("out").path,
        ])
        #expect(simulate.status == 1 && simulate.stderr.contains("bundled resource is missing"), "\(simulate.stderr)")
    }
}
