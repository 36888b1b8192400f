import Foundation
import SuginamiTestSupport
import Testing

/// `refd export-site` as an operator runs it before a USB stick goes to a relief centre.
@Suite("refd export-site")
struct ExportSiteCommandTests {
    @Test("Writes the site, replaces its own previous export, and refuses a folder holding anything else")
    func writeReplaceRefuse() throws {
        let directory = try Programs.temporaryDirectory()
        let database = try Programs.loadedDatabase(in: directory, buildings: 0)
        let site = directory.appendingPathComponent("site")
        let arguments = ["export-site", "--database", database, "--zooms", "12-12", "--progress", "none"]
        let first = try Programs.run("refd", arguments + [site.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("open \(site.path)/index.html"))
        let written = try Programs.files(below: site)
        for path in [
            "index.html", "map/map.js", "map/site.js", "vendor/leaflet/leaflet.js", "data/routes.js",
            "data/relief_centres.geojson", "data/towns.js", "README.txt",
        ] {
            #expect(written[path] != nil, "\(path)")
        }
        // No simulation given: no hazard layer, so no tiles.
        #expect(!written.keys.contains { $0.hasPrefix("tiles/") })

        // Its own previous export is replaced in one step.
        let again = try Programs.run("refd", arguments + [site.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Programs.files(below: site).keys.sorted() == written.keys.sorted())

        // A user's file in the folder: refused, and nothing of theirs or ours is touched.
        let note = site.appendingPathComponent("my-notes.txt")
        try Data("keep me".utf8).write(to: note)
        let refused = try Programs.run("refd", arguments + [site.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("export-site \(site.path)"), "\(refused.stderr)")
        #expect(try Data(contentsOf: note) == Data("keep me".utf8))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path))

        // A file of that name is not turned into a folder.
        let file = directory.appendingPathComponent("plain.txt")
        try Data("text".utf8).write(to: file)
        #expect(try Programs.run("refd", arguments + [file.path]).status != 0)
        #expect(try Data(contentsOf: file) == Data("text".utf8))
    }

    @Test("Bad zooms and a missing database are refused before anything is written")
    func badArguments() throws {
        let directory = try Programs.temporaryDirectory()
        let site = directory.appendingPathComponent("site")
        for (arguments, message) in [
            (["--zooms", "12"], "FIRST-LAST"), (["--zooms", "14-12"], "FIRST-LAST"), (["--zooms", "0-19"], "0 to 18"),
            (["--database", directory.appendingPathComponent("none.sqlite").path], "does not exist"),
        ] {
            let result = try Programs.run("refd", ["export-site", "--progress", "none"] + arguments + [site.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: site.path))
        }
    }
}
