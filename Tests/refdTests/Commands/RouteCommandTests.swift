import Foundation
import SuginamiTestSupport
import Testing

/// `refd route` as a user runs it.
@Suite("refd route")
struct RouteCommandTests {
    @Test func routesToTheNearestOpenCentreAndRefusesBadInput() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("r.sqlite").path
        #expect(
            try Programs.run("refd", ["load", "--database", database, "--buildings", "0", "--progress", "none"]).status
                == 0)
        // The default network once, saved with its hierarchy; every later run loads the file
        // instead of ordering the network again.
        let network = directory.appendingPathComponent("suginami.sgknet").path
        let run = try Programs.run(
            "refd", ["route", "--database", database, "--from", "139.6366,35.6995", "--save-network", network])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((answer?["network"] as? String)?.contains("SYNTHETIC") == true)
        #expect(((answer?["destination"] as? [String: Any])?["name"] as? String)?.isEmpty == false)
        #expect((answer?["length_m"] as? Double ?? 0) > 0)

        let tree = directory.appendingPathComponent("tree.csv")
        #expect(
            try Programs.run("refd", ["route", "--network", network, "--database", database, "--tree-csv", tree.path])
                .status == 0)
        let rows = try String(contentsOf: tree, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 21_778 && rows[0] == "node_id,distance_m")

        let assignment = try Programs.run("refd", ["route", "--network", network, "--database", database, "--assign"])
        #expect(assignment.status == 0, "\(assignment.stderr)")
        let assigned = try JSONSerialization.jsonObject(with: Data(assignment.stdout.utf8)) as? [String: Any]
        #expect(assigned?["optimal"] as? Bool == true)
        let people = assigned?["people"] as? Int ?? 0
        let placed = assigned?["placed"] as? Int ?? -1
        let unplaced = (assigned?["unplaced_by_town"] as? [String: Int])?.values.reduce(0, +) ?? -1
        #expect(people > 500_000 && placed > 0 && placed + unplaced == people)

        let far = try Programs.run(
            "refd", ["route", "--network", network, "--database", database, "--from", "140.5,35.0"])
        #expect(far.status != 0 && far.stderr.contains("more than 1000 m from every road"))
        let closures = directory.appendingPathComponent("closed.csv")
        try "edge_index\n12\n99999999\n".write(to: closures, atomically: true, encoding: .utf8)
        let bad = try Programs.run(
            "refd",
            [
                "route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--closures",
                closures.path,
            ])
        #expect(
            bad.status != 0
                && bad.stderr.contains("closed.csv: row 2 (line 3), column edge_index: \"99999999\" is not an edge"),
            "\(bad.stderr)")
        let area = directory.appendingPathComponent("fire.geojson")
        try """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
        "coordinates":[[[139.640,35.700],[139.645,35.700],[139.645,35.704],[139.640,35.704],[139.640,35.700]]]}}]}
        """.write(to: area, atomically: true, encoding: .utf8)
        let around = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--no-go", area.path])
        #expect(around.status == 0, "\(around.stderr)")
        #expect(around.stderr.contains("fire.geojson: no-go area 1 closes "), "\(around.stderr)")
        // An area that closes nothing (off the network) is said, not taken silently.
        try """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
        "coordinates":[[[140.0,35.0],[140.01,35.0],[140.01,35.01],[140.0,35.0]]]}}]}
        """.write(to: area, atomically: true, encoding: .utf8)
        let offNetwork = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--no-go", area.path])
        #expect(
            offNetwork.stderr.contains("no-go area 1 closes no road: it lies off the network"), "\(offNetwork.stderr)")
        try
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[139.6,35.7]}}]}"#
            .write(to: area, atomically: true, encoding: .utf8)
        let point = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--no-go", area.path])
        #expect(
            point.status != 0 && point.stderr.contains("fire.geojson: feature 1, property geometry:"), "\(point.stderr)"
        )
        let wrongOrder = try Programs.run(
            "refd", ["route", "--network", network, "--database", database, "--from", "35.6995,139.6366"])
        #expect(wrongOrder.status != 0 && wrongOrder.stderr.contains("did you mean 139.6366,35.6995"))

        // Instructions in the language asked for; the nearest centre with room, or a clear no.
        let korean = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--lang", "ko"])
        let steps = (try JSONSerialization.jsonObject(with: Data(korean.stdout.utf8)) as? [String: Any])?[
            "instructions"]
        #expect((steps as? [String])?.last?.hasSuffix("에 도착합니다.") == true, "\(korean.stdout)")
        let nearest = (answer?["destination"] as? [String: Any])?["name"] as? String
        // The nearest, 阿佐ヶ谷中学校, has 1,545 places: asking for room for 1,600 sends the
        // resident on to a larger centre.
        #expect(nearest == "阿佐ヶ谷中学校")
        let roomy = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--room", "1600"])
        #expect(roomy.status == 0, "\(roomy.stderr)")
        let roomyAnswer = try JSONSerialization.jsonObject(with: Data(roomy.stdout.utf8)) as? [String: Any]
        #expect(((roomyAnswer?["destination"] as? [String: Any])?["name"] as? String) == "杉並第二小学校")
        #expect((roomyAnswer?["length_m"] as? Double ?? 0) > (answer?["length_m"] as? Double ?? 0))
        let none = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--room", "100000"])
        #expect(none.status != 0 && none.stderr.contains("has room for 100000"), "\(none.stderr)")
        let badLanguage = try Programs.run(
            "refd",
            ["route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--lang", "xx"])
        #expect(badLanguage.status != 0)
        // Penalty areas: the answer reports the weighted cost; a factor below 1 is refused.
        let penalty = directory.appendingPathComponent("penalty.geojson")
        let square = "[[[139.630,35.695],[139.645,35.695],[139.645,35.705],[139.630,35.705],[139.630,35.695]]]"
        try Data(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"factor":3},"geometry":{"type":"Polygon","coordinates":\#(square)}}]}"#
                .utf8
        ).write(to: penalty)
        let weighted = try Programs.run(
            "refd",
            [
                "route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--penalty",
                penalty.path,
            ])
        #expect(weighted.status == 0, "\(weighted.stderr)")
        let weightedAnswer = try JSONSerialization.jsonObject(with: Data(weighted.stdout.utf8)) as? [String: Any]
        #expect((weightedAnswer?["cost_m"] as? Double ?? 0) > (weightedAnswer?["length_m"] as? Double ?? .infinity))
        try Data(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"factor":0.2},"geometry":{"type":"Polygon","coordinates":\#(square)}}]}"#
                .utf8
        ).write(to: penalty)
        let lighter = try Programs.run(
            "refd",
            [
                "route", "--network", network, "--database", database, "--from", "139.6366,35.6995", "--penalty",
                penalty.path,
            ])
        #expect(
            lighter.status != 0
                && lighter.stderr.contains("feature 1, property factor: must be a number of at least 1"),
            "\(lighter.stderr)")
    }

    /// The tree written by `--tree-csv` towards the peer script's shelter nodes equals SciPy's
    /// distances on the same network (the reference the library tests use), loaded from a
    /// saved network file; damaged files and bad option values are named errors.
    @Test func treeCsvEqualsScipyAndNetworkFilesAreChecked() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reference = Programs.repositoryRoot.appendingPathComponent("Tests/SuginamiGISTests/Reference/routing")
        func gunzip(_ name: String) throws -> String {
            let gz = directory.appendingPathComponent(name + ".gz")
            try Data(contentsOf: reference.appendingPathComponent(name + ".gz")).write(to: gz)
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gzip.arguments = ["-d", "-k", gz.path]
            try gzip.run()
            gzip.waitUntilExit()
            #expect(gzip.terminationStatus == 0)
            return directory.appendingPathComponent(name).path
        }
        let shelters = try gunzip("suginami_synth_v1_shelters.csv")
        let expected = try gunzip("suginami_synth_v1_dist.csv")
        let network = directory.appendingPathComponent("n.sgknet").path
        let save = try Programs.run("refd", ["route", "--save-network", network])
        #expect(save.status == 0, "\(save.stderr)")
        let tree = directory.appendingPathComponent("tree.csv").path
        let run = try Programs.run(
            "refd", ["route", "--network", network, "--shelter-nodes", shelters, "--tree-csv", tree])
        #expect(run.status == 0, "\(run.stderr)")
        func table(_ path: String) throws -> [Int64: Double] {
            var rows: [Int64: Double] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",")
                rows[Int64(fields[0])!] = fields[1] == "inf" ? .infinity : Double(fields[1])!
            }
            return rows
        }
        let ours = try table(tree)
        let scipy = try table(expected)
        #expect(ours.count == 21_777 && scipy.count == 21_777)
        let worst = scipy.map { id, metres in abs((ours[id] ?? .nan) - metres) }.max() ?? .nan
        #expect(worst < 1e-4, "worst difference \(worst) m")

        // A damaged network file, a missing one, and option values that do not fit (each with a
        // tree file not yet written: the one written above would be refused first).
        let unwritten = directory.appendingPathComponent("unwritten.csv").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: network))
        bytes[bytes.count / 2] ^= 1
        let damaged = directory.appendingPathComponent("damaged.sgknet").path
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let broken = try Programs.run("refd", ["route", "--network", damaged, "--tree-csv", unwritten])
        #expect(broken.status != 0 && broken.stderr.contains("damaged.sgknet: not a usable network file: checksum"))
        let missing = try Programs.run(
            "refd", ["route", "--network", directory.path + "/none.sgknet", "--tree-csv", unwritten])
        #expect(missing.status != 0 && missing.stderr.contains("none.sgknet"))
        let arity = try Programs.run("refd", ["route", "--csv-network", "only-one.csv", "--tree-csv", unwritten])
        #expect(arity.status != 0 && arity.stderr.contains("--csv-network takes NODES,EDGES"))
        let both = try Programs.run("refd", ["route", "--network", network, "--osm", "x.osm", "--tree-csv", unwritten])
        #expect(both.status != 0 && both.stderr.contains("give one of --network, --osm and --csv-network"))
        let strangers = directory.appendingPathComponent("strangers.csv")
        try "node_id\n5061\n-4\n".write(to: strangers, atomically: true, encoding: .utf8)
        let unknown = try Programs.run(
            "refd", ["route", "--network", network, "--shelter-nodes", strangers.path, "--tree-csv", unwritten])
        #expect(
            unknown.status != 0
                && unknown.stderr.contains("strangers.csv: row 2 (line 3), column node_id: \"-4\" is not a node"))
    }
}
