import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

/// `refd recovery` and `refd people check` as the ward's staff run them: households and surveys
/// imported (a bad row named, nothing written), the figures printed, a safety check recorded
/// by a token's holder; retention; on an SQLite file and on a PostgreSQL database.
@Suite("refd recovery")
struct RecoveryCommandTests {
    @Test(arguments: StoreBackend.allCases)
    func householdsSurveysReportAndChecks(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 200)
        let store = try await backend.open(database)
        let buildings = Array(try await store.buildings().map(\.id).prefix(2))
        try await store.close()
        let key = directory.appendingPathComponent("people.key").path
        #expect(try await Programs.running("refd", ["people", "key", "--out", key]).status == 0)

        let households = directory.appendingPathComponent("households.csv")
        try """
        household_id,head,address,building_id,members
        H-1,杉並 太郎,東京都杉並区阿佐谷南一丁目15番1号,\(buildings[0]),3
        H-2,高円寺 花子,東京都杉並区高円寺南四丁目2番3号,\(buildings[1]),1

        """.data(using: .shiftJIS)!.write(to: households)
        let kept = try await Programs.running(
            "refd",
            ["recovery", "households", "--database", database, "--key", key, "--retain-days", "30", households.path])
        #expect(kept.status == 0 && kept.stdout.contains("kept 2 households from households.csv"), "\(kept.stderr)")

        let surveys = directory.appendingPathComponent("surveys.csv")
        let header = "survey_id,building_id,surveyor,surveyed_at,round,collapsed,parts\n"
        try
            (header
            + "S-1,\(buildings[0]),調査班3,2027-04-10T10:00:00+09:00,first,,roof=100;exterior_walls=40;foundation=50\n"
            + "S-2,\(buildings[1]),調査班3,2027-04-10T11:00:00+09:00,first,1,\n").write(
                to: surveys, atomically: true, encoding: .utf8)
        let filed = try await Programs.running("refd", ["recovery", "surveys", "--database", database, surveys.path])
        #expect(filed.status == 0 && filed.stdout.contains("filed 2 surveys from surveys.csv: 全壊 2"), "\(filed.stderr)")

        // A bad row: named by file, row and column; nothing of the file is filed.
        let bad = directory.appendingPathComponent("bad.csv")
        try
            (header
            + "S-3,\(buildings[0]),調査班3,2027-04-11T10:00:00+09:00,first,,\n"
            + "S-4,\(buildings[1]),調査班3,2027-04-11T10:00:00+09:00,first,,pillars=20\n").write(
                to: bad, atomically: true, encoding: .utf8)
        let refused = try await Programs.running("refd", ["recovery", "surveys", "--database", database, bad.path])
        #expect(
            refused.status != 0 && refused.stderr.contains("bad.csv: row 2 (line 3), column parts"), "\(refused.stderr)"
        )
        // Filed twice, or of a dwelling the store lacks: refused naming the file, nothing kept.
        let twice = try await Programs.running("refd", ["recovery", "surveys", "--database", database, surveys.path])
        #expect(
            twice.status != 0 && twice.stderr.contains("surveys.csv: survey_id: S-1 is already stored"),
            "\(twice.stderr)")
        let stray = directory.appendingPathComponent("stray.csv")
        try (header + "S-9,B-404,調査班3,2027-04-11T10:00:00+09:00,first,,\n").write(
            to: stray, atomically: true, encoding: .utf8)
        let unknown = try await Programs.running("refd", ["recovery", "surveys", "--database", database, stray.path])
        #expect(
            unknown.status != 0 && unknown.stderr.contains("stray.csv: building_id: B-404 is not a building"),
            "\(unknown.stderr)")
        let report = try await Programs.running("refd", ["recovery", "report", "--database", database])
        #expect(report.status == 0, "\(report.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(figures["surveys"] as? Int == 2 && figures["households"] as? Int == 2)
        #expect((figures["surveyedByGrade"] as? [String: Int])?["destroyed"] == 2, "\(report.stdout)")
        #expect(!report.stdout.contains("杉並 太郎"))

        // A safety check from the command line, by a staff token of the person's centre.
        let roster = directory.appendingPathComponent("roster.csv")
        try (PeopleCommandTests.roster).write(to: roster, atomically: true, encoding: .utf8)
        #expect(
            try await Programs.running(
                "refd", ["people", "import", "--database", database, "--key", key, "--retain-days", "30", roster.path]
            ).status == 0)
        let staff = try await Programs.running(
            "refd",
            [
                "token", "issue", "--database", database, "--role", "staff", "--facility", "RC-E1311500001111",
                "--label", "救援所",
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        func check(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await Programs.running(
                "refd", ["people", "check", "--database", database, "--key", key, "--token", staff] + arguments)
        }
        let safe = try await check(["--person", "P-0001", "--state", "safe_at_home", "--source", "救援所職員（訪問）"])
        #expect(safe.status == 0 && safe.stdout.contains("recorded P-0001: safe_at_home"), "\(safe.stderr)")
        let dead = try await check(["--person", "P-0001", "--state", "deceased", "--source", "x"])
        #expect(dead.status != 0 && dead.stderr.contains("only headquarters records a death"), "\(dead.stderr)")
        let nonsense = try await check(["--person", "P-0001", "--state", "fine", "--source", "x"])
        #expect(nonsense.status != 0 && nonsense.stderr.contains("--state: fine is not one of"), "\(nonsense.stderr)")

        let expired = try await Programs.running("refd", ["recovery", "expire", "--database", database])
        #expect(expired.status == 0 && expired.stdout.contains("deleted 0 households"))
    }
}
