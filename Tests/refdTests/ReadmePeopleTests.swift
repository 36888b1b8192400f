import Foundation
import SuginamiTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The README's "People after the earthquake" walk-through, as a user runs it: the example files
/// into the store `refd load` writes, tokens issued, `refd serve --people-key` started as a
/// process, and every step of the section sent over a socket on 127.0.0.1.
@Suite("README: people after the earthquake")
struct ReadmePeopleTests {
    @Test func theWalkThroughWorksAsWritten() async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("suginami.sqlite").path
        #expect(try Programs.run("refd", ["load", "--database", database, "--progress", "none"]).status == 0)
        let examples = Programs.repositoryRoot.appendingPathComponent("Examples/People")
        let key = directory.appendingPathComponent("people.key").path
        for arguments in [
            ["people", "key", "--out", key],
            [
                "people", "import", "--database", database, "--key", key, "--retain-days", "365",
                examples.appendingPathComponent("roster.csv").path,
            ],
            [
                "recovery", "households", "--database", database, "--key", key, "--retain-days", "1825",
                examples.appendingPathComponent("households.csv").path,
            ],
            ["recovery", "surveys", "--database", database, examples.appendingPathComponent("surveys.csv").path],
        ] {
            let run = try Programs.run("refd", arguments)
            #expect(run.status == 0, "refd \(arguments.prefix(2).joined(separator: " ")): \(run.stderr)")
        }
        func token(_ arguments: [String]) throws -> String {
            try Programs.run("refd", ["token", "issue", "--database", database] + arguments).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let hq = try token(["--role", "headquarters", "--label", "本部"])
        let staff = try token(["--role", "staff", "--facility", "RC-E1311500001111", "--label", "阿佐ヶ谷中学校"])
        let daemon = try await ServeCommandTests.start(
            ["--database", database, "--people-key", key, "--disaster-declared", "true"], in: directory)
        defer { daemon.process.terminate() }
        let session = URLSession(configuration: .ephemeral)
        func send(_ method: String, _ path: String, _ token: String, _ body: String? = nil, xml: Bool = false)
            async throws -> (status: Int, text: String)
        {
            var request = URLRequest(url: try #require(URL(string: daemon.base + path)))
            request.httpMethod = method
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue(xml ? "application/xml" : "application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        // Safety confirmation.
        let safe = try await send(
            "POST", "/people/P-0001/safety", staff, #"{"state":"safe_at_home","source":"救援所職員（訪問）"}"#)
        #expect(safe.status == 201, "\(safe.text)")
        let summary = try await send("GET", "/people/summary", hq)
        #expect(summary.status == 200 && summary.text.contains("\"unconfirmed\":3"), "\(summary.text)")
        #expect(summary.text.contains("阿佐ヶ谷中学校") && summary.text.contains("阿佐谷南一丁目"))
        let map = try await send("GET", "/people?state=unconfirmed&f=geojson", hq)
        #expect(map.status == 200 && map.text.contains("FeatureCollection") && !map.text.contains("P-0001"))
        let priority = try await send("GET", "/people/priority?limit=20", hq)
        #expect(priority.status == 503 && priority.text.contains("needs a damage simulation"), "\(priority.text)")
        let offline = try Programs.run(
            "refd",
            [
                "people", "check", "--database", database, "--key", key, "--token", staff, "--person", "P-0001",
                "--state", "safe_at_home", "--source", "電話",
            ])
        #expect(offline.status == 0, "\(offline.stderr)")

        // Person Finder, out and back.
        let pfif = try await send("GET", "/people/pfif", hq)
        #expect(pfif.status == 200 && pfif.text.contains("P-0001") && !pfif.text.contains("P-0002"))
        let notes = try String(
            contentsOf: Programs.repositoryRoot.appendingPathComponent(
                "Tests/Clients/pfif/samples/person-finder-notes.xml"),
            encoding: .utf8
        ).replacingOccurrences(of: "2027-04-02", with: "2026-11-21")
        let back = try await send("POST", "/people/pfif", hq, notes, xml: true)
        #expect(back.status == 200 && back.text.contains("\"recorded\":2"), "\(back.text)")

        // Survey → certificate → register.
        let issued = try await send(
            "POST", "/households/H-0001/certificate", hq,
            #"{"disaster":"令和8年11月20日 東京都心南部を震源とする地震","disaster_at":"2026-11-20T05:00:00+09:00","cause":"地震による建物倒壊"}"#
        )
        #expect(issued.status == 201 && issued.text.contains("\"grade_ja\":\"全壊\""), "\(issued.text)")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let number = "\(year)-000001"
        #expect(issued.text.contains(number))
        let page = try await send("GET", "/certificates/\(number)?f=html", hq)
        #expect(page.status == 200 && page.text.contains("阿佐谷 太郎") && page.text.contains("り災証明書"))
        #expect(try await send("POST", "/certificates/\(number)/reissue", hq, #"{"reason":"紛失"}"#).status == 201)
        #expect(
            try await send("POST", "/households/H-0001/resurvey-requests", hq, #"{"reason":"柱の損傷が見落とされている"}"#).status
                == 201)
        let support = try await send(
            "POST", "/households/H-0001/support", hq, #"{"state":"applied","methods":"repair"}"#)
        #expect(support.status == 201 && support.text.contains("\"total_yen\":2000000"), "\(support.text)")
        let record = try await send("GET", "/households/H-0001", hq)
        #expect(record.status == 200 && record.text.contains("\"certificate_versions\":2"), "\(record.text)")
        #expect(record.text.contains("\"safety\":{\"person\":\"P-0001\",\"state\":\"safe_at_home\""))
        let report = try await send("GET", "/recovery/report", hq)
        #expect(report.status == 200 && report.text.contains("\"households\":4"), "\(report.text)")
        let offlineReport = try Programs.run("refd", ["recovery", "report", "--database", database])
        #expect(
            offlineReport.status == 0 && offlineReport.stdout.contains("\"surveys\" : 4"), "\(offlineReport.stdout)")

        // Staff see none of the register.
        #expect(try await send("GET", "/households/H-0001", staff).status == 403)
    }
}
