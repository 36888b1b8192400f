import Foundation
import SuginamiTestSupport
import Testing

/// The example programs do what `refd` does, with the same outputs, through public API only:
/// the proof that a vendor can embed every job of the daemon without copying its code.
@Suite("Examples match refd")
struct ExampleParityTests {
    /// Every file of an output except the marker (which holds modification times), with the
    /// time a GeoPackage records for its last change (`gpkg_contents.last_change`, required by
    /// the standard) blanked: the rest must be equal byte for byte.
    func outputs(_ directory: URL) throws -> [String: Data] {
        var files = try Programs.files(below: directory).filter { !$0.key.hasSuffix(".suginamikit-output.json") }
        for (name, data) in files where name.hasSuffix(".gpkg") {
            let pattern = try NSRegularExpression(pattern: "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z")
            // Latin-1: one character per byte, so the file's length and layout are kept.
            let text = try #require(String(data: data, encoding: .isoLatin1))
            let blanked = pattern.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "0000-00-00T00:00:00.000Z")
            files[name] = blanked.data(using: .isoLatin1)
        }
        return files
    }

    @Test func simulateWithMitigationWritesWhatRefdWrites() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Programs.loadedDatabase(in: directory, buildings: 3000)
        let mitigation = directory.appendingPathComponent("m.json")
        try Data(
            #"{"name": "m1", "description": "test", "seed": 2, "retrofit": {"targetRate": 0.95}, "initialExtinguishment": 0.6}"#
                .utf8
        ).write(to: mitigation)
        let fromRefd = directory.appendingPathComponent("refd-run")
        let fromExample = directory.appendingPathComponent("example-run")
        let refd = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "toshin-nanbu-chokka-m7.3", "--events", "30",
                "--fire", "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant", "--mitigation",
                mitigation.path, "--out", fromRefd.path, "--progress", "none",
            ])
        #expect(refd.status == 0, "\(refd.stderr)")
        let example = try Programs.run(
            "SimulateWithMitigation",
            [database, "toshin-nanbu-chokka-m7.3", mitigation.path, fromExample.path, "30"])
        #expect(example.status == 0, "\(example.stdout) \(example.stderr)")
        let expected = try outputs(fromRefd)
        let found = try outputs(fromExample)
        #expect(expected.keys.sorted() == found.keys.sorted())
        #expect(expected.keys.contains("comparison.csv") && expected.keys.contains("inputs/run.json"))
        for (name, data) in expected {
            #expect(found[name] == data, "\(name) differs between refd and the example")
        }
    }

    @Test func routeWithClosureFindsWhatRefdFinds() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("r.sqlite").path
        #expect(try Programs.run("refd", ["load", "--database", database, "--progress", "none"]).status == 0)
        let closures = directory.appendingPathComponent("closed.csv")
        let origin = "139.6366,35.6995"
        try "edge_index\n0\n1\n2\n3\n4\n5\n".write(to: closures, atomically: true, encoding: .utf8)
        let refd = try Programs.run(
            "refd", ["route", "--database", database, "--from", origin, "--closures", closures.path])
        #expect(refd.status == 0, "\(refd.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(refd.stdout.utf8)) as? [String: Any])
        let centre = try #require((answer["destination"] as? [String: Any])?["facility_id"] as? String)
        let length = try #require(answer["length_m"] as? Double)
        let example = try Programs.run("RouteWithClosure", [database, origin, closures.path])
        #expect(example.status == 0, "\(example.stdout) \(example.stderr)")
        #expect(example.stdout.contains("centre: \(centre) "))
        #expect(example.stdout.contains("length_m: \(String(format: "%.1f", length))"))
        // A swapped position is refused with the fix, by the library itself.
        let swapped = try Programs.run("RouteWithClosure", [database, "35.6995,139.6366", closures.path])
        #expect(swapped.status == 1 && swapped.stdout.contains("did you mean 139.6366,35.6995"))
    }

    @Test func checkISMSWritesWhatRefdWrites() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let example = Programs.repositoryRoot.appendingPathComponent("Examples/ISMS")
        let inventory = example.appendingPathComponent("inventory.yaml").path
        let evidence = example.appendingPathComponent("evidence").path
        let waivers = example.appendingPathComponent("waivers.yaml").path
        let at = "2026-11-27T09:00:00+09:00"
        let fromRefd = directory.appendingPathComponent("refd")
        let fromExample = directory.appendingPathComponent("example")
        let refd = try Programs.run(
            "refd",
            [
                "isms", "check", inventory, "--evidence", evidence, "--waivers", waivers, "--out", fromRefd.path,
                "--at", at, "--fail-on", "never",
            ])
        #expect(refd.status == 0, "\(refd.stderr)")
        let run = try Programs.run("CheckISMS", [inventory, evidence, waivers, fromExample.path, at])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let expected = try outputs(fromRefd)
        #expect(expected.count == 6)
        #expect(try outputs(fromExample) == expected)
    }
}
