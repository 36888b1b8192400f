import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

/// `refd` on a PostgreSQL + PostGIS database, given as `--database postgres://…`, in the test
/// command's throw-away cluster.
@Suite("refd on PostgreSQL")
struct PostgresCommandTests {
    @Test("refd load fills a PostgreSQL database as it fills a file, refuses to replace without --replace")
    func load() async throws {
        let url = try await TestPostgres.freshDatabase()
        let loaded = try await Programs.running("refd", ["load", "--database", url, "--buildings", "2000", "--json"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let summary = try JSONDecoder().decode(StoreSummary.self, from: Data(loaded.stdout.utf8))
        // The same load into a file gives the same summary.
        let file = try Programs.temporaryDirectory().appendingPathComponent("s.sqlite").path
        let fileLoad = try await Programs.running(
            "refd", ["load", "--database", file, "--buildings", "2000", "--json"])
        #expect(try JSONDecoder().decode(StoreSummary.self, from: Data(fileLoad.stdout.utf8)) == summary)
        #expect(summary.population == 571_703 && summary.buildings == 2_000)
        let again = try await Programs.running("refd", ["load", "--database", url, "--buildings", "10"])
        #expect(again.status != 0 && again.stderr.contains("already holds records; pass --replace"), "\(again.stderr)")
        let password = try #require(URLComponents(string: url)?.password)
        #expect(!again.stderr.contains(password))
        let replaced = try await Programs.running(
            "refd", ["load", "--database", url, "--buildings", "10", "--replace", "--json"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try JSONDecoder().decode(StoreSummary.self, from: Data(replaced.stdout.utf8)).buildings == 10)
        let text = try await Programs.running("refd", ["load", "--database", url, "--buildings", "10", "--replace"])
        #expect(text.stdout.contains("postgres://") && !text.stdout.contains(password), "\(text.stdout)")
    }

    @Test("A bad URL or a server that is not there: one clear line, no usage text, no hang")
    func badDatabases() async throws {
        let port = try LoopbackSocket.unusedPort()
        let cases: [([String], String)] = [
            (["--database", "postgres://ward@/x"], "names no host"),
            (["--database", "postgres://ward@db/x?sslmode=sometimes"], "sslmode=sometimes"),
            (["--database", "mysql://ward@db/x"], "mysql:// is not a database"),
            (["--database", "postgres://ward:secret@127.0.0.1:\(port)/x?sslmode=disable"], "cannot be reached"),
        ]
        for (arguments, reason) in cases {
            let result = try await Programs.running("refd", ["load"] + arguments + ["--buildings", "5"])
            #expect(result.status != 0 && result.stderr.contains(reason), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("USAGE") && !result.stderr.contains("secret"), "\(result.stderr)")
        }
    }

    @Test("import, export, facilities and token on a PostgreSQL database answer as on a file")
    func storeCommands() async throws {
        let directory = try Programs.temporaryDirectory()
        let url = try await TestPostgres.freshDatabase()
        let file = directory.appendingPathComponent("s.sqlite").path
        let sites = Programs.repositoryRoot.appendingPathComponent(
            "Sources/SuginamiKit/BundledData/Resources/emergency_131156.geojson")
        for database in [url, file] {
            let loaded = try await Programs.running(
                "refd", ["load", "--database", database, "--buildings", "500", "--progress", "none"])
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let over = try await Programs.running("refd", ["import", "--database", database, sites.path])
            #expect(over.status == 0 && over.stdout.contains("kept stored values the file lacks: capacity"), "\(over)")
            let refused = try await Programs.running(
                "refd", ["import", "--database", database, "--existing", "refuse", sites.path])
            #expect(refused.status != 0 && refused.stderr.contains("already stored"), "\(refused.stderr)")
        }
        // The same exports, byte for byte, and the same nearest centres.
        for layout in ["gsi-emergency", "gsi-shelter", "standard-emergency"] {
            var exports: [Data] = []
            for (index, database) in [url, file].enumerated() {
                let csv = directory.appendingPathComponent("\(layout)-\(index).csv")
                let exported = try await Programs.running(
                    "refd", ["export", "--database", database, "--layout", layout, csv.path])
                #expect(exported.status == 0, "\(exported.stderr)")
                exports.append(try Data(contentsOf: csv))
            }
            #expect(exports[0] == exports[1] && !exports[0].isEmpty, "\(layout)")
        }
        var nearest: [String] = []
        for database in [url, file] {
            let near = try await Programs.running(
                "refd", ["facilities", "--database", database, "--near", "139.6366,35.6995", "--count", "5", "--json"])
            #expect(near.status == 0, "\(near.stderr)")
            nearest.append(near.stdout)
        }
        #expect(nearest[0] == nearest[1] && nearest[0].contains("distanceMetres"))
        // A building register streamed into PostgreSQL, and a token issued there.
        let register = directory.appendingPathComponent("register.csv")
        let dataset = try SuginamiDataset.bundled()
        let buildings = SyntheticBuildingGenerator(seed: 9).buildings(
            in: dataset.towns[3], townIndex: 3, count: 800, stock: dataset.buildingStock
        ).map { building in
            var building = building
            building.id = "R-" + building.id
            building.footprint = nil
            building.isSynthetic = false
            return building
        }
        try BuildingRegisterFormat.csv(buildings).write(to: register)
        let imported = try await Programs.running(
            "refd", ["import", "--database", url, "--buildings", "--progress", "none", register.path])
        #expect(imported.status == 0 && imported.stdout.contains("imported 800 buildings"), "\(imported)")
        let token = try await Programs.running(
            "refd", ["token", "issue", "--database", url, "--role", "headquarters", "--label", "本部"])
        #expect(token.status == 0 && token.stdout.contains("sgk_"), "\(token)")
        let listed = try await Programs.running("refd", ["token", "list", "--database", url])
        #expect(listed.status == 0 && listed.stdout.contains("本部"), "\(listed)")
        // A database that holds no store is not made one by a command that only reads.
        let empty = try await TestPostgres.freshDatabase()
        let nothing = try await Programs.running("refd", ["facilities", "--database", empty, "--json"])
        #expect(nothing.status != 0 && nothing.stderr.contains("holds no SuginamiKit store yet"), "\(nothing.stderr)")
    }
}
