import Foundation
import SuginamiTestSupport
import SuginamiCore
import Testing

/// `refd simulate` as a user runs it, on a small synthetic stock.
@Suite("refd simulate")
struct SimulateCommandTests {
    @Test func writesEveryOutputAndRefusesBadInput() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Programs.loadedDatabase(in: directory, buildings: 3000)
        let out = directory.appendingPathComponent("run")
        let run = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "60",
                "--out", out.path, "--progress", "none", "--survey-teams", "2", "--survey-rate", "3.5",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("全壊 (collapse):") && run.stdout.contains("60 events, seed 42"))
        for name in [
            "cells.csv", "cells.geojson", "towns.csv", "events.csv", "buildings.csv", "provenance.txt",
            "inputs/scenario.json", "inputs/run.json", "buildings.geojson", "damage.gpkg", "survey-workload.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        // The survey workload: a row per town and the ward's. The bundled DERIVED set gives 全壊
        // only, so the dwellings to survey are the run's expected 全壊, a lower bound, and the
        // days two teams at 3.5 a day need for them are whole days, enough for them.
        let workload = try String(contentsOf: out.appendingPathComponent("survey-workload.csv"), encoding: .utf8)
        let ward = try #require(workload.split(whereSeparator: \.isNewline).last)
            .split(separator: ",", omittingEmptySubsequences: false)
        #expect(ward.count == 11 && ward[0] == "ward" && ward[3] == "" && ward[5] == "collapse", "\(ward)")
        let collapse = try #require(
            run.stdout.split(separator: "\n").first { $0.hasPrefix("全壊 (collapse):") }?.split(separator: " ")[2])
        let toSurvey = try #require(Double(ward[6]))
        #expect(abs(toSurvey - (try #require(Double(collapse)))) < 0.1, "\(ward) \(collapse)")
        #expect(run.stdout.contains("住家被害認定調査 (first pass): at least"), "\(run.stdout)")
        let plan = try #require(
            run.stdout.components(separatedBy: "2 teams at 3.5 a day: ").last?.split(separator: " ").first)
        let days = try #require(Double(plan))
        // Whole days, enough for the dwellings (the CSV rounds them to hundredths).
        #expect(days >= toSurvey / 7 - 0.01 && days < toSurvey / 7 + 1, "\(run.stdout)")
        let buildings = try String(contentsOf: out.appendingPathComponent("buildings.csv"), encoding: .utf8)
        #expect(buildings.split(whereSeparator: \.isNewline).count == 3_001)
        let provenance = try String(contentsOf: out.appendingPathComponent("provenance.txt"), encoding: .utf8)
        #expect(
            provenance.contains("scenario description: SYNTHETIC rupture") && provenance.contains("NOT MODELLED")
                && provenance.contains("derived"))
        // The GeoPackage passes GDAL's validator.
        #expect(try Programs.isValidGeoPackage(out.appendingPathComponent("damage.gpkg")))
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
        #expect(bad.status != 0 && bad.stderr.contains("f.csv: line 2, field sigma:"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("never").path))
        let zero = try Programs.run(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--events", "0",
                "--out", out.path,
            ])
        #expect(zero.status != 0 && zero.stderr.contains("--events: must be 1 to 1,000,000"))
        // A survey plan is checked before the simulation runs.
        for (options, message) in [
            (["--survey-teams", "3"], "--survey-teams and --survey-rate go together"),
            (["--survey-teams", "0", "--survey-rate", "20"], "survey teams: 0 is not 1 to 100,000"),
            (["--survey-teams", "3", "--survey-rate", "nan"], "buildings per team and day: nan"),
        ] {
            let plan = try Programs.run(
                "refd",
                [
                    "simulate", "--database", database, "--scenario", "synthetic-southern-tokyo-m7.3", "--out",
                    directory.appendingPathComponent("never").path,
                ] + options)
            #expect(plan.status != 0 && plan.stderr.contains(message), "\(options): \(plan.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("never").path))
        }
    }

    /// Fire, a mitigation scenario and the report, end to end; and what bad fire input gets.
    @Test func fireMitigationAndReport() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("f.sqlite").path
        #expect(
            try Programs.run("refd", ["load", "--database", database, "--buildings", "4000", "--progress", "none"])
                .status == 0)
        let mitigation = directory.appendingPathComponent("m.json")
        try Data(
            #"{"name": "m1", "description": "test", "seed": 2, "retrofit": {"targetRate": 0.95}, "fireproofing": {"targetRate": 0.8}, "initialExtinguishment": 0.6}"#
                .utf8
        ).write(to: mitigation)
        let out = directory.appendingPathComponent("run")
        let report = directory.appendingPathComponent("report")
        let common = [
            "simulate", "--database", database, "--scenario", "toshin-nanbu-chokka-m7.3", "--events", "40",
            "--progress", "none",
        ]
        let run = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant", "--mitigation",
                mitigation.path, "--report", report.path, "--out", out.path,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("焼失 (burnt):") && run.stdout.contains("mitigation m1, collapsed:"))
        for name in [
            "comparison.csv", "fire-footprints.geojson", "mitigation-m1/towns.csv", "inputs/mitigation.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        for name in [
            "collapse-mesh.png", "collapse-towns.png", "burnt-mesh.png", "burnt-towns.png",
            "collapse-reduction-towns.png",
            "report.ja.html", "report.en.html", "towns.geojson", "layers.gpkg",
        ] {
            #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(name).path), "\(name)")
        }
        let towns = try String(contentsOf: out.appendingPathComponent("towns.csv"), encoding: .utf8)
        #expect(
            towns.split(whereSeparator: \.isNewline)[0].hasSuffix("burnt_mean,burnt_p5,burnt_p50,burnt_p95,fire_deaths")
        )
        let comparison = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
        #expect(comparison.contains("ward,collapsed") && comparison.contains("ward,burnt"))
        // Every burnt footprint is a valid geometry to GDAL (touching footprints once made invalid
        // MultiPolygons).
        let footprints = try Programs.invalidGeometries(out.appendingPathComponent("fire-footprints.geojson"))
        #expect(footprints.total > 0 && footprints.invalid == 0, "\(footprints)")
        // The burnt count's sensitivity: each assumption low and high around the run's own value
        // over the same events, drawn as a tornado in the report.
        let sensitivity = try CSVTable(
            parsing: try String(contentsOf: out.appendingPathComponent("fire-sensitivity.csv"), encoding: .utf8),
            file: "fire-sensitivity.csv")
        #expect(
            sensitivity.header == ["assumption", "low", "high", "burnt_low", "burnt_baseline", "burnt_high", "events"])
        #expect(
            Set(sensitivity.records.map { $0[0] })
                == ["spread-limit distances", "non-collapse ignition", "wind speed"])
        for record in sensitivity.records {
            let (low, base, high) = (Double(record[3]) ?? -1, Double(record[4]) ?? -1, Double(record[5]) ?? -1)
            #expect(low >= 0 && low <= base + 0.1 && base <= high + 0.1, "\(record)")
            #expect(record[6] == "40")
        }
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("burnt-sensitivity.png").path))
        // Every relief centre's demand against its capacity; the demands add up to the ward's
        // evacuees that the comparison reports, and a load is demand over capacity.
        let demand = try CSVTable(
            parsing: try String(contentsOf: out.appendingPathComponent("shelter-demand.csv"), encoding: .utf8),
            file: "shelter-demand.csv")
        #expect(demand.records.count == 65)
        let ward = try #require(
            comparison.split(whereSeparator: \.isNewline).first { $0.hasPrefix("ward,evacuees,") }?
                .split(separator: ",").dropFirst(2).first.flatMap { Double($0) })
        let demanded = demand.records.reduce(0) { $0 + (Double($1[3]) ?? 0) }
        #expect(ward > 0 && abs(demanded - ward) < 0.001 * ward + 1, "\(demanded) vs \(ward)")
        var lastLoad = Double.infinity
        for record in demand.records where !record[2].isEmpty {
            let load = try #require(Double(record[7]))
            #expect(abs(load - (Double(record[3]) ?? 0) / (Double(record[2]) ?? 1)) < 0.001)
            #expect(load <= lastLoad)
            lastLoad = load
            let overflow = try #require(Double(record[8]))
            #expect((0...1).contains(overflow))
        }
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("shelter-load-mesh.png").path))
        // The report's GeoPackage passes GDAL's validator.
        #expect(try Programs.isValidGeoPackage(report.appendingPathComponent("layers.gpkg")))
        let html = try String(contentsOf: report.appendingPathComponent("report.ja.html"), encoding: .utf8)
        #expect(html.contains("対策効果の大きい町丁目") && html.contains("collapse-towns.png"))
        #expect(html.contains("建物100棟あたり") && html.contains("建物は合成データ") && html.contains("あふれる救援所"))
        // The Japanese page's sources and assumptions are in Japanese, each saying what it is;
        // the technical list (English, as provenance.txt) follows under its own heading.
        let sources = try #require(
            html.components(separatedBy: "<h2>出典と仮定</h2><ul>").last?.components(separatedBy: "</ul>").first)
        let items = sources.components(separatedBy: "<li>").dropFirst().map {
            $0.replacingOccurrences(of: "</li>", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(items.count >= 10, "\(items)")
        for item in items {
            let japanese = item.unicodeScalars.filter { $0.value >= 0x3000 }.count
            #expect(japanese * 3 >= item.unicodeScalars.count, "not Japanese: \(item)")
        }
        #expect(items.contains { $0.hasPrefix("建物：合成データ") })
        #expect(items.contains { $0.hasPrefix("消火：公設消防・消防団の消火は考慮せず") })
        #expect(items.contains { $0.hasPrefix("延焼：延焼クラスター") && $0.contains("2.25倍") })
        #expect(items.contains { $0.hasPrefix("死者（建物倒壊）") && $0.contains("午前5時") })
        #expect(html.contains("<h3>詳細（実行記録 provenance.txt と同じ内容、英語）</h3>"))
        let englishPage = try String(contentsOf: report.appendingPathComponent("report.en.html"), encoding: .utf8)
        #expect(!englishPage.contains("詳細（実行記録"))
        // Each term of the evacuee formula is said on its own: none of them is in with the
        // bundled damage functions and no lifeline share.
        #expect(
            englishPage.contains(
                "半壊 is left out (the damage functions have none). Lifeline evacuees are left out (their rates were "
                    + "not found). So it is a floor."))
        #expect(englishPage.contains("5 h, occupancy 1 by definition"))
        // Every image a page shows is a PNG the report wrote (the English page once showed the
        // Japanese page as an image).
        let english = try String(contentsOf: report.appendingPathComponent("report.en.html"), encoding: .utf8)
        for page in [html, english] {
            let images = page.components(separatedBy: "<img src=\"").dropFirst().compactMap {
                $0.split(separator: "\"").first.map(String.init)
            }
            #expect(!images.isEmpty)
            for image in images {
                #expect(image.hasSuffix(".png"), "\(image)")
                #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(image).path), "\(image)")
            }
        }
        // Towns by risk per building: the rows' per-100 column decreases.
        let section = try #require(english.components(separatedBy: "Towns by risk").last)
        let table = try #require(section.components(separatedBy: "</table>").first)
        let per100 = table.components(separatedBy: "<tr><td>").dropFirst().compactMap { row -> Double? in
            let cells = row.components(separatedBy: "</td><td>")
            return cells.count > 2 ? Double(cells[2]) : nil
        }
        #expect(per100.count >= 10)
        #expect(per100 == per100.sorted(by: >))
        let provenance = try String(contentsOf: out.appendingPathComponent("provenance.txt"), encoding: .utf8)
        #expect(provenance.contains("scenario ASSUMPTION:") && provenance.contains("延焼クラスター"))
        // The evening runs with the DERIVED 時刻係数 and says what each fire default is.
        let evening = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant", "--hour", "18",
                "--out", directory.appendingPathComponent("evening").path,
            ])
        #expect(evening.status == 0, "\(evening.stderr)")
        #expect(evening.stdout.contains("non-collapse ignition DERIVED") && evening.stdout.contains("×2.25 downwind"))
        #expect(evening.stdout.contains("Monte Carlo noise only"))
        #expect(!evening.stdout.contains("no occupancy was found"))
        #expect(
            evening.stdout.contains(
                "deaths in wooden collapses (18 h, occupancy 0.717 wooden, 0.717 non-wooden, DERIVED"))
        // At noon (no fire) the collapse deaths take the DERIVED midday occupancy: the same
        // collapses (same seed), 0.633 times the 5 a.m. deaths; given ratios replace it.
        func woodenDeaths(_ stdout: String) -> Double? {
            stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("deaths in wooden collapses") }?
                .split(separator: " ").last.flatMap { Double($0) }
        }
        let dawn = try Programs.run("refd", common + ["--out", directory.appendingPathComponent("dawn").path])
        let noon = try Programs.run(
            "refd", common + ["--hour", "12", "--out", directory.appendingPathComponent("noon").path])
        let given = try Programs.run(
            "refd",
            common + [
                "--hour", "21", "--occupancy-wooden", "0.5", "--occupancy-non-wooden", "2", "--out",
                directory.appendingPathComponent("given").path,
            ])
        #expect(dawn.status == 0 && noon.status == 0 && given.status == 0, "\(noon.stderr) \(given.stderr)")
        #expect(dawn.stdout.contains("deaths in wooden collapses (5 h, occupancy 1 by definition)"))
        #expect(noon.stdout.contains("(12 h, occupancy 0.633 wooden, 0.633 non-wooden, DERIVED"))
        #expect(!noon.stdout.contains("no occupancy was found"))
        let atDawn = try #require(woodenDeaths(dawn.stdout))
        let atNoon = try #require(woodenDeaths(noon.stdout))
        let atNine = try #require(woodenDeaths(given.stdout))
        #expect(atDawn > 1)
        #expect(abs(atNoon - atDawn * 2_840 / 4_489) <= 0.06, "\(atNoon) vs \(atDawn)")
        #expect(abs(atNine - atDawn * 0.5) <= 0.06, "\(atNine) vs \(atDawn)")
        // The lifeline term of TMG's evacuee formula, when its share is given: more people at the
        // centres than from damage alone, and the run says it is no longer without lifelines.
        let lifeline = try Programs.run(
            "refd",
            common + ["--lifeline-evacuation", "0.1", "--out", directory.appendingPathComponent("lifeline").path])
        #expect(lifeline.status == 0, "\(lifeline.stderr)")
        func shelterDemandTotal(_ run: String) throws -> Double {
            let table = try CSVTable(
                parsing: try String(
                    contentsOf: directory.appendingPathComponent("\(run)/shelter-demand.csv"), encoding: .utf8),
                file: "shelter-demand.csv")
            return table.records.reduce(0) { $0 + (Double($1[3]) ?? 0) }
        }
        let withLifelines = try shelterDemandTotal("lifeline")
        let fromDamage = try shelterDemandTotal("dawn")
        #expect(withLifelines > fromDamage + 1, "\(withLifelines) vs \(fromDamage)")
        let lifelineProvenance = try String(
            contentsOf: directory.appendingPathComponent("lifeline/provenance.txt"), encoding: .utf8)
        #expect(lifelineProvenance.contains("evacuees: lifelines (断水, lifts) = the other residents × 0.1 (given"))
        let noonProvenance = try String(
            contentsOf: directory.appendingPathComponent("noon/provenance.txt"), encoding: .utf8)
        #expect(noonProvenance.contains("occupancy (建物内滞留率) at 12 h: wooden 0.633, non-wooden 0.633, DERIVED"))
        let noonRecord = try String(
            contentsOf: directory.appendingPathComponent("noon/inputs/run.json"), encoding: .utf8)
        #expect(noonRecord.contains(#""hour":12"#) || noonRecord.contains(#""hour" : 12"#), "\(noonRecord)")
        let eveningProvenance = try String(
            contentsOf: directory.appendingPathComponent("evening/provenance.txt"), encoding: .utf8)
        #expect(eveningProvenance.contains("時刻係数 2.5 (hour 18, DERIVED"))
        #expect(eveningProvenance.contains("Hamada's 1951 downwind speed factor"))
        let floor = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant",
                "--non-collapse-ignition", "0", "--wind-reach", "1", "--out",
                directory.appendingPathComponent("floor").path,
            ])
        #expect(floor.status == 0, "\(floor.stderr)")
        #expect(floor.stdout.contains("a FLOOR: only collapse-driven ignition") && floor.stdout.contains("as given"))
        #expect(floor.stdout.contains("no fire-service suppression: its inputs are not bundled"))
        // TMG's suppression formula on the ward's (here made-up) inputs, over the stored towns'
        // area: fewer buildings burn than with none, and the run says how it got the share.
        func burnt(_ stdout: String) -> Double? {
            stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("焼失 (burnt):") }?
                .split(separator: " ").dropFirst(2).first.flatMap { Double($0) }
        }
        let suppressed = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant", "--water-sources",
                "3000", "--response-minutes", "20", "--out", directory.appendingPathComponent("suppressed").path,
            ])
        #expect(suppressed.status == 0, "\(suppressed.stderr)")
        #expect(suppressed.stdout.contains("fire services and corps stop 64.2 %"), "\(suppressed.stdout)")
        let unsuppressed = try #require(burnt(run.stdout))
        let withServices = try #require(burnt(suppressed.stdout))
        #expect(withServices < unsuppressed, "\(withServices) vs \(unsuppressed)")
        let suppressedProvenance = try String(
            contentsOf: directory.appendingPathComponent("suppressed/provenance.txt"), encoding: .utf8)
        #expect(
            suppressedProvenance.contains("given 3000 water sources over")
                && suppressedProvenance.contains("(the towns' total area)"))

        // Bad fire input: named, and nothing written.
        let never = directory.appendingPathComponent("never").path
        let noClass = try Programs.run("refd", common + ["--fire", "--out", never])
        #expect(
            noClass.status != 0 && noClass.stderr.contains("no fire-resistance class recorded"), "\(noClass.stderr)")
        let wind = try Programs.run("refd", common + ["--fire", "--wind=-3", "--out", never])
        #expect(wind.status != 0 && wind.stderr.contains("--wind: "), "\(wind.stderr)")
        let hour = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=bare_wooden,non_wooden=fire_resistant", "--hour", "14", "--out",
                never,
            ])
        #expect(hour.status != 0 && hour.stderr.contains("--hour-coefficient: "), "\(hour.stderr)")
        let halfOccupancy = try Programs.run("refd", common + ["--occupancy-wooden", "0.5", "--out", never])
        #expect(
            halfOccupancy.status != 0
                && halfOccupancy.stderr.contains("--occupancy-wooden/--occupancy-non-wooden: give both"),
            "\(halfOccupancy.stderr)")
        let crowd = try Programs.run(
            "refd", common + ["--occupancy-wooden", "0.5", "--occupancy-non-wooden", "11", "--out", never])
        #expect(crowd.status != 0 && crowd.stderr.contains("outside 0–10"), "\(crowd.stderr)")
        let tooMany = try Programs.run("refd", common + ["--lifeline-evacuation", "2", "--out", never])
        #expect(tooMany.status != 0 && tooMany.stderr.contains("--lifeline-evacuation: "), "\(tooMany.stderr)")
        let lateHour = try Programs.run("refd", common + ["--hour", "24", "--out", never])
        #expect(lateHour.status != 0 && lateHour.stderr.contains("--hour: "), "\(lateHour.stderr)")
        let halfFormula = try Programs.run("refd", common + ["--fire", "--water-sources", "10", "--out", never])
        #expect(halfFormula.status != 0 && halfFormula.stderr.contains("go together"), "\(halfFormula.stderr)")
        let twoSuppressions = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=bare_wooden", "--water-sources", "10", "--response-minutes", "12",
                "--suppression", "0.3", "--out", never,
            ])
        #expect(
            twoSuppressions.status != 0 && twoSuppressions.stderr.contains("--suppression: "),
            "\(twoSuppressions.stderr)")
        let slow = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=bare_wooden", "--water-sources", "10", "--response-minutes", "0",
                "--out", never,
            ])
        #expect(slow.status != 0 && slow.stderr.contains("--response-minutes: "), "\(slow.stderr)")
        let reach = try Programs.run("refd", common + ["--fire", "--wind-reach", "0.5", "--out", never])
        #expect(reach.status != 0 && reach.stderr.contains("--wind-reach: "), "\(reach.stderr)")
        let twoWays = try Programs.run(
            "refd", common + ["--fire", "--non-collapse-ignition", "0.01", "--ignition-rates", "r.csv", "--out", never])
        #expect(twoWays.status != 0 && twoWays.stderr.contains("give one"), "\(twoWays.stderr)")
        let noFire = try Programs.run("refd", common + ["--non-collapse-ignition", "0.01", "--out", never])
        #expect(noFire.status != 0 && noFire.stderr.contains("need --fire"), "\(noFire.stderr)")
        let rate = try Programs.run("refd", common + ["--fire", "--breakers", "1.5", "--out", never])
        #expect(rate.status != 0 && rate.stderr.contains("outside [0, 1]"), "\(rate.stderr)")
        let badClass = try Programs.run("refd", common + ["--fire", "--fire-classes", "wooden=paper", "--out", never])
        #expect(badClass.status != 0 && badClass.stderr.contains("unknown fire-resistance class"), "\(badClass.stderr)")
        let badTown = directory.appendingPathComponent("t.json")
        try Data(
            #"{"name": "t", "description": "d", "seed": 1, "retrofit": {"targetRate": 0.9, "towns": ["131159999"]}}"#
                .utf8
        )
        .write(to: badTown)
        let town = try Programs.run("refd", common + ["--mitigation", badTown.path, "--out", never])
        #expect(town.status != 0 && town.stderr.contains("town 131159999 does not exist"), "\(town.stderr)")
        let spread = try Programs.run(
            "refd",
            common + [
                "--fire", "--fire-classes", "wooden=bare_wooden,non_wooden=fire_resistant", "--spread-event", "3",
                "--out", never,
            ])
        #expect(spread.status != 0 && spread.stderr.contains("no default"), "\(spread.stderr)")
        #expect(!FileManager.default.fileExists(atPath: never))
    }
}
