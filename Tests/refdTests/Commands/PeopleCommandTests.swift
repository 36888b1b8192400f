import Foundation
import SuginamiTestSupport
import Testing

/// `refd people` as the ward's staff run it: a key, a roster imported sealed, read with a
/// token (each read audited), expired; and what bad input gets; on an SQLite file and on a
/// PostgreSQL database.
@Suite("refd people")
struct PeopleCommandTests {
    static let roster = """
        person_id,name,kana,address,longitude,latitude,date_of_birth,needs,phone,supporter_names,supporter_phones,consent,relief_centre_id
        P-0001,杉並 花子,すぎなみ はなこ,東京都杉並区阿佐谷南一丁目15番1号,139.6365,35.7002,1941-03-09,車いす,03-3312-0000,阿佐谷 次郎,090-1111-2222,同意,RC-E1311500001111
        P-0002,高円寺 一郎,こうえんじ いちろう,東京都杉並区高円寺南四丁目,139.6490,35.7040,1938-11-30,寝たきり,,,,不同意,RC-E1311500001111

        """

    @Test(arguments: StoreBackend.allCases)
    func keyImportListAndExpire(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database =
            backend == .sqlite
            ? directory.appendingPathComponent("p.sqlite").path : try await TestPostgres.freshDatabase()
        #expect(try await Programs.running("refd", ["load", "--database", database, "--progress", "none"]).status == 0)
        let key = directory.appendingPathComponent("people.key").path
        let made = try await Programs.running("refd", ["people", "key", "--out", key])
        #expect(made.status == 0 && made.stdout.contains("(mode 600)"), "\(made.stderr)")
        // A key is never replaced.
        let again = try await Programs.running("refd", ["people", "key", "--out", key])
        #expect(again.status != 0 && again.stderr.contains("a key is never replaced"), "\(again.stderr)")

        let file = directory.appendingPathComponent("roster.csv")
        try Self.roster.data(using: .shiftJIS)!.write(to: file)
        let imported = try await Programs.running(
            "refd", ["people", "import", "--database", database, "--key", key, "--retain-days", "30", file.path])
        #expect(imported.status == 0 && imported.stdout.contains("kept 2 people from roster.csv"), "\(imported.stderr)")
        let stored = try await backend.open(database)
        let raw = try await StoreBackend.restingBytes(of: stored)
        try await stored.close()
        #expect(raw.range(of: Data("P-0001".utf8)) != nil)
        #expect(raw.range(of: Data("杉並 花子".utf8)) == nil && raw.range(of: Data("03-3312-0000".utf8)) == nil)

        func token(_ arguments: [String]) async throws -> String {
            let issued = try await Programs.running("refd", ["token", "issue", "--database", database] + arguments)
            #expect(issued.status == 0, "\(issued.stderr)")
            return issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let headquarters = try await token(["--role", "headquarters", "--label", "本部"])
        let staff = try await token(["--role", "staff", "--facility", "RC-E1311500001111", "--label", "救援所1"])
        func list(_ secret: String, _ extra: [String] = []) async throws -> [String] {
            let run = try await Programs.running(
                "refd",
                ["people", "list", "--database", database, "--key", key, "--token", secret, "--purpose", "安否確認"] + extra
            )
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.split(separator: "\n").map(String.init)
        }
        let all = try await list(headquarters)
        #expect(all.count == 2 && all[0].contains("\"name\":\"杉並 花子\"") && all[0].contains("1941-03-09"))
        let own = try await list(staff)
        #expect(own.count == 1 && own[0].contains("P-0001") && !own[0].contains("1941"))
        #expect(try await list(staff, ["--disaster-declared"]).count == 2)
        let audit = try await Programs.running("refd", ["audit", "verify", "--database", database])
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")

        // Bad input: a bad row, a key readable by others, a dead token.
        let bad = directory.appendingPathComponent("bad.csv")
        try (Self.roster + "P-0003,名前,なまえ,住所,139.6,35.7,1950-02-30,infant,,,,consented,\n").write(
            to: bad, atomically: true, encoding: .utf8)
        let refused = try await Programs.running(
            "refd", ["people", "import", "--database", database, "--key", key, "--retain-days", "30", bad.path])
        #expect(
            refused.status != 0 && refused.stderr.contains("bad.csv: row 3 (line 4), column date_of_birth"),
            "\(refused.stderr)")
        #expect(try await list(headquarters).count == 2)
        let dead = try await Programs.running(
            "refd", ["people", "list", "--database", database, "--key", key, "--token", "nope", "--purpose", "x"])
        #expect(dead.status != 0 && dead.stderr.contains("--token: not a live token"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let open = try await Programs.running(
            "refd", ["people", "list", "--database", database, "--key", key, "--token", headquarters, "--purpose", "x"])
        #expect(open.status != 0 && open.stderr.contains("chmod 600"), "\(open.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)

        // PFIF for Person Finder: headquarters only, the people who consented, valid PFIF 1.4,
        // never over an existing file.
        let pfif = directory.appendingPathComponent("people.pfif.xml")
        let exported = try await Programs.running(
            "refd",
            ["people", "pfif", "--database", database, "--key", key, "--token", headquarters, "--out", pfif.path])
        #expect(exported.status == 0 && exported.stdout.contains("wrote 1 people who consented"), "\(exported.stderr)")
        let document = try String(contentsOf: pfif, encoding: .utf8)
        #expect(document.contains("city.suginami.tokyo.jp/P-0001") && !document.contains("P-0002"))
        // It names people: readable by its owner only.
        let mode = try FileManager.default.attributesOfItem(atPath: pfif.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "mode \(String(mode ?? 0, radix: 8))")
        let valid = try await Programs.running(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/pfif/validate.py").path, pfif.path])
        #expect(valid.status == 0, "\(valid.stdout)")
        let twice = try await Programs.running(
            "refd",
            ["people", "pfif", "--database", database, "--key", key, "--token", headquarters, "--out", pfif.path])
        #expect(twice.status != 0 && twice.stderr.contains("already exists"))
        #expect(try String(contentsOf: pfif, encoding: .utf8) == document)
        let byStaff = try await Programs.running(
            "refd",
            ["people", "pfif", "--database", database, "--key", key, "--token", staff, "--out", pfif.path + ".2"])
        #expect(byStaff.status != 0 && byStaff.stderr.contains("only a headquarters token"), "\(byStaff.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pfif.path + ".2"))
        let nowhere = try await Programs.running(
            "refd",
            [
                "people", "pfif", "--database", database, "--key", key, "--token", headquarters, "--out",
                directory.appendingPathComponent("absent/people.xml").path,
            ])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("absent does not exist"), "\(nowhere.stderr)")

        let expired = try await Programs.running("refd", ["people", "expire", "--database", database])
        #expect(expired.status == 0 && expired.stdout.contains("deleted 0 people"))
    }
}
