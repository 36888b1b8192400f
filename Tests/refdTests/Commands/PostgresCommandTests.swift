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
}
