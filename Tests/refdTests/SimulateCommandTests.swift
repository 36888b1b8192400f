import Foundation
import Testing

/// `refd simulate` as a user runs it, on a small synthetic stock.
@Suite("refd simulate")
struct SimulateCommandTests {
    @Test func writesEveryOutputAndRefusesBadInput() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("s.sqlite").path
        let load = try Programs.run(
            "refd", ["load", "--database", database, "--buildings", "3000", "--progress", "none"])
        #expect(load.status == 0, "\(load.stderr)")
        let out = directory.appendingPathComponent("run")
        let run = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "60",
                "--out", out.path, "--progress", "none",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("全壊 (collapse):") && run.stdout.contains("60 events, seed 42"))
        for name in [
            "cells.csv", "cells.geojson", "towns.csv", "events.csv", "buildings.csv", "provenance.txt",
            "inputs/scenario.json", "inputs/run.json", "buildings.geojson", "damage.gpkg",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let buildings = try String(contentsOf: out.appendingPathComponent("buildings.csv"), encoding: .utf8)
        #expect(buildings.split(whereSeparator: \.isNewline).count == 3_001)
        let provenance = try String(contentsOf: out.appendingPathComponent("provenance.txt"), encoding: .utf8)
        #expect(
            provenance.contains("SYNTHETIC") == false && provenance.contains("NOT MODELLED")
                && provenance.contains("derived"))
        // The GeoPackage passes GDAL's validator.
        let validator = Process()
        validator.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        validator.arguments = [
            "-m", "osgeo_utils.samples.validate_gpkg", out.appendingPathComponent("damage.gpkg").path,
        ]
        try validator.run()
        validator.waitUntilExit()
        #expect(validator.terminationStatus == 0)
        let geojson = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("cells.geojson")))
        #expect((geojson as? [String: Any])?["type"] as? String == "FeatureCollection")
        // The same seed gives the same numbers.
        let again = directory.appendingPathComponent("again")
        #expect(
            try Programs.run(
                "refd",
                [
                    "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "60",
                    "--out", again.path, "--progress", "none",
                ]
            ).status == 0)
        #expect(
            try Data(contentsOf: out.appendingPathComponent("cells.csv"))
                == Data(contentsOf: again.appendingPathComponent("cells.csv")))

        let unknown = try Programs.run(
            "refd", ["simulate", "--database", database, "--scenario", "tokyo-bay-m9", "--out", out.path])
        #expect(unknown.status != 0 && unknown.stderr.contains("no bundled scenario of that name"))
        let badFragility = directory.appendingPathComponent("f.csv")
        try "era,ground,damage_state,form,mu,sigma,points,status,source\nwooden_-1962,any,collapse,normal,6,-1,,x,y\n"
            .write(to: badFragility, atomically: true, encoding: .utf8)
        let bad = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--fragility",
                badFragility.path, "--out", directory.appendingPathComponent("never").path,
            ])
        #expect(bad.status != 0 && bad.stderr.contains("f.csv:2: sigma:"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("never").path))
        let zero = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "0",
                "--out", out.path,
            ])
        #expect(zero.status != 0 && zero.stderr.contains("--events must be"))
    }
}
