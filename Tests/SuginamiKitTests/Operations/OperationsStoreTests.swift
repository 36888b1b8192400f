import Foundation
import GRDB
import PostgresNIO
import SuginamiTestSupport
import Testing

@testable import SuginamiKit
@testable import SuginamiPostgreSQL

/// The store's disaster-operations records: the report workflow, idempotent writes, tokens and
/// the audit log's chain.
@Suite("Operations in the store")
struct OperationsStoreTests {
    static var position: GeoPoint {
        get throws { try GeoPoint(latitude: 35.7048, longitude: 139.6359) }
    }

    static func actor(_ role: AccessRole, facility: String? = nil) -> Actor {
        .principal(
            Principal(tokenID: "tok_\(role)", role: role, facilityID: facility, label: "\(role)"), from: "127.0.0.1")
    }

    static func report(_ kind: DamageReport.Kind = .fire) throws -> DamageReport {
        DamageReport(
            id: "", kind: kind, position: try position, observedAt: Date(), receivedAt: Date(), text: "煙",
            authorRole: .public, state: .submitted)
    }

    @Test(
        "Reports move submitted → verified → published → withdrawn; other moves are conflicts",
        arguments: StoreBackend.allCases)
    func workflow(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let hq = Self.actor(.headquarters)
        let submitted = try await store.submit(try Self.report(), by: Self.actor(.public)).value
        #expect(submitted.state == .submitted && submitted.authorRole == .public && submitted.id.hasPrefix("rep_"))
        let staff = try await store.submit(try Self.report(), by: Self.actor(.staff, facility: "RC-1")).value
        #expect(staff.state == .verified && staff.authorFacilityID == "RC-1")
        await #expect(throws: OperationsError.self) { try await store.review(reportID: submitted.id, .publish, by: hq) }
        await #expect(throws: OperationsError.self) {
            try await store.review(reportID: submitted.id, .verify, by: Self.actor(.staff, facility: "RC-1"))
        }
        #expect(try await store.review(reportID: submitted.id, .verify, by: hq).value.state == .verified)
        let published = try await store.review(reportID: submitted.id, .publish, note: "確認済", by: hq)
        #expect(published.value.state == .published && published.events.count == 1)
        #expect(try await store.review(reportID: submitted.id, .withdraw, by: hq).value.state == .withdrawn)
        await #expect(throws: OperationsError.self) { try await store.review(reportID: submitted.id, .verify, by: hq) }
        // Duplicates: merged into a live report, never into itself, an unknown or a closed one.
        let duplicate = try await store.submit(try Self.report(), by: Self.actor(.public)).value
        await #expect(throws: OperationsError.self) {
            try await store.review(reportID: duplicate.id, .merge(into: duplicate.id), by: hq)
        }
        await #expect(throws: OperationsError.self) {
            try await store.review(reportID: duplicate.id, .merge(into: submitted.id), by: hq)
        }
        let merged = try await store.review(reportID: duplicate.id, .merge(into: staff.id), by: hq).value
        #expect(merged.state == .rejected && merged.duplicateOf == staff.id)
        // Only headquarters publishes at submission; admin tokens submit nothing.
        await #expect(throws: OperationsError.self) {
            try await store.submit(try Self.report(), by: Self.actor(.staff, facility: "RC-1"), publish: true)
        }
        await #expect(throws: OperationsError.self) {
            try await store.submit(try Self.report(), by: Self.actor(.admin))
        }
        #expect(try await store.reports(in: [.published]).isEmpty)
        // Every change is one entry of one chain; public events only for published changes.
        let entries = try await store.auditEntries()
        #expect(entries.count == 7)
        #expect(try await store.verifyAuditLog().isIntact)
        #expect(try await store.publicEvents(after: 0).map(\.type) == ["report", "report"])
    }

    @Test(
        "An idempotency key replays the first answer, refuses another request, and is kept per token",
        arguments: StoreBackend.allCases)
    func idempotency(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let claim = try IdempotencyClaim(key: "\"retry-1\"", request: Array("POST /reports\nA".utf8))
        #expect(claim.key == "retry-1")
        let first = try await store.submit(try Self.report(), by: Self.actor(.public), idempotency: claim)
        let again = try await store.submit(try Self.report(), by: Self.actor(.public), idempotency: claim)
        #expect(!first.replayed && again.replayed && again.value == first.value && again.events.isEmpty)
        let other = try IdempotencyClaim(key: "retry-1", request: Array("POST /reports\nB".utf8))
        await #expect(throws: OperationsError.keyReused("retry-1")) {
            try await store.submit(try Self.report(), by: Self.actor(.public), idempotency: other)
        }
        let elsewhere = try await store.submit(
            try Self.report(), by: Self.actor(.staff, facility: "X"), idempotency: claim)
        #expect(!elsewhere.replayed)
        #expect(try await store.reports().count == 2)
        for bad in ["", "with space", String(repeating: "k", count: 129), "ключ"] {
            #expect(throws: OperationsError.self) { try IdempotencyClaim(key: bad, request: []) }
        }
    }

    @Test(
        "Tokens: stored as digests, bound to a shelter for staff, revoked at once, every change audited",
        arguments: StoreBackend.allCases)
    func tokens(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await store.save(dataset.facilities)
        let tool = Actor.localTool("test")
        let centre = try #require(dataset.facilities.first { $0.kind == .reliefCentre })
        let issued = try await store.issueToken(role: .staff, facilityID: centre.id, label: "desk 1", by: tool)
        #expect(issued.secret.hasPrefix("sgk_") && issued.secret.count == 47)
        #expect(try await store.principal(forSecret: issued.secret)?.facilityID == centre.id)
        #expect(try await store.principal(forSecret: issued.secret + "x") == nil)
        let stored = try await store.tokens()
        #expect(!"\(stored)".contains(issued.secret))
        await #expect(throws: OperationsError.self) {
            try await store.issueToken(role: .staff, label: "no centre", by: tool)
        }
        await #expect(throws: OperationsError.self) {
            try await store.issueToken(role: .public, facilityID: centre.id, label: "bound public", by: tool)
        }
        let water = try #require(dataset.facilities.first { $0.kind == .waterStation })
        await #expect(throws: OperationsError.self) {
            try await store.issueToken(role: .staff, facilityID: water.id, label: "water", by: tool)
        }
        await #expect(throws: OperationsError.self) {
            try await store.issueToken(role: .admin, label: "x", by: Self.actor(.headquarters))
        }
        try await store.revokeToken(id: issued.token.id, by: tool)
        #expect(try await store.principal(forSecret: issued.secret) == nil)
        await #expect(throws: OperationsError.self) { try await store.revokeToken(id: issued.token.id, by: tool) }
        let actions = try await store.auditEntries().map(\.payload)
        #expect(actions.count == 2)
        #expect(actions[0].contains("\"action\":\"token.issue\"") && actions[1].contains("\"action\":\"token.revoke\""))
        #expect(!actions.joined().contains(issued.secret))
    }

    @Test(
        "The audit chain finds an edited, removed or inserted entry, and with a kept head a cut or rewritten tail",
        arguments: StoreBackend.allCases)
    func auditChain(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for _ in 0..<6 { try await store.submit(try Self.report(), by: Self.actor(.public)) }
        let entries = try await store.auditEntries()
        #expect(AuditChain.verify(entries).isIntact)
        let head = try #require(AuditChain.verify(entries).head)
        var edited = entries
        edited[2].payload = edited[2].payload.replacingOccurrences(of: "fire", with: "flooding")
        #expect(AuditChain.verify(edited).problem?.sequence == 3)
        var removed = entries
        removed.remove(at: 3)
        #expect(AuditChain.verify(removed).problem?.sequence == 5)
        var relinked = entries
        relinked[2].previousHash = relinked[0].hash
        #expect(AuditChain.verify(relinked).problem?.sequence == 3)
        // Cut short: the chain that is left is intact, but the kept head is missing.
        let cut = Array(entries.prefix(4))
        #expect(AuditChain.verify(cut).isIntact)
        #expect(AuditChain.verify(cut, expectedHead: head).problem?.reason.contains("cut short") == true)
        // Rewritten from entry 4 on with a consistent new chain: the kept head no longer matches.
        var rewritten = Array(entries.prefix(3))
        for sequence in 4...6 {
            rewritten.append(
                AuditEntry.make(
                    sequence: Int64(sequence), time: Date(), action: "report.submit", subject: "x",
                    actor: .localTool("forger"), detail: "", previousHash: rewritten.last!.hash))
        }
        #expect(AuditChain.verify(rewritten).isIntact)
        #expect(AuditChain.verify(rewritten, expectedHead: head).problem?.reason.contains("rewritten") == true)
        #expect(AuditHead(head.description) == head)
        #expect(AuditHead("12:xyz") == nil)
        // Through the database itself the log cannot be changed at all.
        switch store {
        case let store as SuginamiStore:
            let pool = try DatabasePool(path: store.path)
            #expect(throws: DatabaseError.self) {
                try pool.write { try $0.execute(sql: "UPDATE auditEntry SET payload = 'x' WHERE sequence = 1") }
            }
            #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "DELETE FROM auditEntry") } }
        case let store as PostgresStore:
            for statement in [
                "UPDATE audit_entry SET payload = 'x' WHERE sequence = 1", "DELETE FROM audit_entry",
                "TRUNCATE audit_entry",
            ] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await store.transaction { connection in
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                    }
                }
            }
            #expect(try await store.auditEntries().count == 6)
        default: Issue.record("a back end without an append-only check: \(type(of: store))")
        }
        // A line break in a value cannot forge a second line.
        let entry = AuditEntry.make(
            sequence: 1, time: Date(), action: "a", subject: "s\nforged", actor: .localTool("t"), detail: "d\r\n",
            previousHash: AuditEntry.genesis)
        #expect(!entry.payload.contains("\n") && !entry.payload.contains("\\n"))
    }

    @Test(
        "A report takes one photo, from its author or headquarters; both copies come back byte for byte",
        arguments: StoreBackend.allCases)
    func photo(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let author = Self.actor(.public)
        let report = try await store.submit(try Self.report(), by: author).value
        let photo = try ReportPhoto(
            Array(
                try Data(
                    contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Clients/photos/with-gps.jpg")))
        )
        await #expect(throws: OperationsError.self) {
            try await store.attach(
                photo, toReport: report.id,
                by: .principal(Principal(tokenID: "tok_other", role: .public, facilityID: nil, label: "o"), from: "x"))
        }
        await #expect(throws: OperationsError.self) { try await store.attach(photo, toReport: "rep_none", by: author) }
        let attached = try await store.attach(photo, toReport: report.id, by: author)
        #expect(attached.value.photoType == "image/jpeg" && attached.events.isEmpty)
        await #expect(throws: OperationsError.self) { try await store.attach(photo, toReport: report.id, by: author) }
        let copy = try #require(try await store.photo(ofReport: report.id))
        let original = try #require(try await store.photo(ofReport: report.id, original: true))
        #expect(copy.mediaType == "image/jpeg" && copy.bytes == photo.publicCopy && original.bytes == photo.original)
        #expect(try await store.photo(ofReport: "rep_none") == nil)
        let last = try #require(try await store.auditEntries().last)
        #expect(last.payload.contains("report.photo") && last.payload.contains(AccessToken.digest(of: photo.original)))
    }

    @Test(
        "Status: the latest per facility, the history in order, refusals for unknown and non-shelter facilities",
        arguments: StoreBackend.allCases)
    func shelterStatusHistoryAndCurrentState(_ backend: StoreBackend) async throws {
        let (store, _) = try await backend.loadedStore()
        let id = "RC-E1311500001111"
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let tool = Actor.localTool("test")
        try await store.record(
            ShelterStatus(facilityID: id, state: .closed, reportedAt: start, reportedBy: "staff"), by: tool)
        try await store.record(
            ShelterStatus(
                facilityID: id, state: .open, occupancy: 120, needs: .init(water: true), reportedAt: start + 600,
                reportedBy: "救援所運営連絡会"), by: tool)
        let full = try await store.record(
            ShelterStatus(facilityID: id, state: .full, occupancy: 980, reportedAt: start + 3600, reportedBy: "staff"),
            by: tool)
        #expect(full.events.map(\.sequence) == [3] && full.events.first?.status?.state == .full)
        let current = try await store.currentStatuses()
        #expect(current[id]?.state == .full)
        #expect(current[id]?.occupancy == 980)
        #expect(current.count == 1)
        #expect(try await store.statusHistory(of: id).map(\.state) == [.closed, .open, .full])
        #expect(try await store.statusHistory(of: id)[1].needs.water)
        #expect(try await store.statusHistory(of: id)[1].reportedBy == "local: test")
        await #expect(throws: OperationsError.notFound("there is no facility nowhere")) {
            try await store.record(
                ShelterStatus(facilityID: "nowhere", state: .open, reportedAt: start, reportedBy: "x"), by: tool)
        }
        await #expect(throws: StoreError.self) {
            try await store.record(
                ShelterStatus(facilityID: id, state: .open, occupancy: -1, reportedAt: start, reportedBy: "x"), by: tool
            )
        }
        await #expect(throws: OperationsError.self) {
            try await store.record(
                ShelterStatus(facilityID: "WS-01", state: .open, reportedAt: start, reportedBy: "x"), by: tool)
        }
        // Three records, three audit entries, one chain; three public events numbered 1, 2, 3.
        #expect(try await store.auditEntries().count == 3)
        #expect(try await store.verifyAuditLog().isIntact)
        #expect(try await store.publicEvents(after: 1).map(\.sequence) == [2, 3])
        #expect(try await store.lastPublicEvent() == 3)
        // Deleting the facility removes its history (foreign key ON DELETE CASCADE).
        try await store.deleteFacilities(ids: [id])
        #expect(try await store.statusHistory(of: id).isEmpty)
        if let store = store as? SuginamiStore { #expect(try await store.integrityProblems().isEmpty) }
    }

    @Test("A store written before the operations schema keeps its reports, moved to the review workflow")
    func migratesOldReports() async throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("old.sqlite").path
        // The first schema only, as a store of the previous release has it.
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.firstMigration)
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO damageReport (id, kind, latitude, longitude, reportedAt, verification, document)
                    VALUES ('old-1', 'road_blocked', 35.7, 139.63, '2026-09-01T00:00:00Z', 'confirmed',
                    '{"id":"old-1","kind":"road_blocked","position":{"latitude":35.7,"longitude":139.63},"reportedAt":"2026-09-01T00:00:00Z","reporterRole":"resident","text":"倒木","verification":"confirmed"}')
                    """)
        }
        try queue.close()
        let store = try SuginamiStore(path: path)
        let report = try #require(try await store.report(id: "old-1"))
        #expect(report.state == .verified && report.authorRole == .public && report.text == "倒木")
        #expect(report.observedAt == Date(timeIntervalSince1970: 1_788_220_800))
        #expect(try await store.reports(in: [.verified]).map(\.id) == ["old-1"])
    }
}

/// Request bodies are read by the letter of RFC 8259.
@Suite("Strict JSON")
struct StrictJSONTests {
    @Test("Valid documents read as Foundation reads them")
    func valid() throws {
        for text in [
            #"{"a":1,"b":[true,false,null],"c":{"d":"\u00e9\ud83d\ude00\n"},"e":-0.5e-3}"#, "[]", "{}", " 12 ", #""x""#,
        ] {
            #expect(try JSONValue.parseStrictly(Array(text.utf8)) == (try JSONValue.parse(Data(text.utf8), file: "t")))
        }
    }

    @Test("Trailing commas, repeated keys and everything else JSON is not are refused, with the byte")
    func invalid() {
        let cases: [(String, String)] = [
            (#"{"a":1,}"#, "after the comma"), ("[1,2,]", "trailing commas"), (#"{"a":1,"a":2}"#, "appears twice"),
            ("{'a':1}", "key in double quotes"), ("[1] x", "after the value"), ("01", "after the value"),
            ("[NaN]", "unexpected character"), ("1e999", "out of range"), (#""\x""#, "unknown escape"),
            (#""\ud800""#, "surrogate"), ("\"a\nb\"", "control character"), ("", "ends where a value"),
            (String(repeating: "[", count: 40), "nested deeper"), ("[1 2]", "expected , or ]"),
        ]
        for (text, reason) in cases {
            #expect(throws: StrictJSON.SyntaxError.self, "\(text)") { try StrictJSON.check(Array(text.utf8)) }
            do {
                _ = try StrictJSON.check(Array(text.utf8))
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error)")
            }
        }
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.check([0x22, 0xFF, 0x22]) }
    }

    @Test("Random damage to a document never crashes the reader")
    func mutations() {
        var random = SplitMix64(seed: 7)
        let base = Array(#"{"kind":"road_blocked","road":[[139.6,35.7],[139.61,35.71]],"text":"\u5012\u58ca"}"#.utf8)
        for _ in 0..<5_000 {
            var bytes = base
            for _ in 0..<Int(random.next() % 4 + 1) {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                }
            }
            _ = try? StrictJSON.check(bytes)
        }
    }
}
