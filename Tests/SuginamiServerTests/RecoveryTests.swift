import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiServer
import SuginamiTestSupport
import Testing

/// Survey → り災証明書 → 被災者台帳 through the daemon, over a socket, as the ward's counter uses
/// it: a survey filed, the certificate issued, printed, re-issued and changed by a re-survey,
/// support applied for, the household's record and the ward's figures; headquarters only.
@Suite("Recovery counter", .serialized)
struct RecoveryTests {
    actor Fixture {
        static let sqlite = Fixture(backend: .sqlite)
        static let postgres = Fixture(backend: .postgres)

        /// The daemon on one back end.
        static func shared(_ backend: StoreBackend) -> Fixture { backend == .sqlite ? sqlite : postgres }

        let backend: StoreBackend

        init(backend: StoreBackend) { self.backend = backend }

        struct Served: Sendable {
            let base: String
            let store: any SuginamiDatabase
            let buildings: [String]
            let headquarters: String
            let staff: String
            let directory: URL
        }

        private let once = MadeOnce<Served>()

        func served() async throws -> Served { try await once.value { [backend] in try await Self.start(backend) } }

        private static func start(_ backend: StoreBackend) async throws -> Served {
            let directory = try Programs.temporaryDirectory()
            let store = try await backend.open(
                try await Programs.loadingDatabase(backend, in: directory, buildings: 500))
            let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
            let buildings = Array(try await store.buildings().map(\.id).prefix(3))
            try await store.saveHouseholds(
                [
                    Household(
                        id: "H-1", head: "杉並 太郎", address: "東京都杉並区阿佐谷南一丁目15番1号", buildingID: buildings[0],
                        members: 3),
                    Household(
                        id: "H-2", head: "高円寺 花子", address: "東京都杉並区高円寺南四丁目2番3号", buildingID: buildings[1],
                        members: 1),
                ], key: key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
            let headquarters = try await store.issueToken(role: .headquarters, label: "本部", by: .localTool("test"))
                .secret
            let staff = try await store.issueToken(
                role: .staff, facilityID: OperationsFixture.centreA, label: "救援所", by: .localTool("test")
            ).secret
            let network = try await RoadNetwork.load(.bundledSynthetic)
            let routing = try await ReliefCentreRouting(store: store, network: network)
            let catalogue = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.logLevel = .error
            let server = ReferenceServer(
                configuration: configuration, store: store, catalogue: catalogue, routing: routing,
                recovery: RecoveryDesk(store: store, key: key, issuer: "杉並区長"), registry: ServerFixture.registry)
            let base = try await server.startInBackground()
            return Served(
                base: base, store: store, buildings: buildings, headquarters: headquarters, staff: staff,
                directory: directory)
        }
    }

    /// A past time (surveys and disasters must not be in the future).
    static func past(days: Int) -> String { Date(timeIntervalSinceNow: -Double(days) * 86_400).formatted(.iso8601) }

    @Test(
        "A survey filed, the certificate issued, printed, re-issued and re-surveyed; support and the register",
        arguments: StoreBackend.allCases)
    func counter(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let (base, hq) = (served.base, served.headquarters)
        let filed = try await HTTP.send(
            "POST", "\(base)/surveys", token: hq,
            body: """
                {"id":"S-001","building_id":"\(served.buildings[0])","surveyor":"調査班3","surveyed_at":"\(Self.past(days: 20))",
                 "round":"first","parts":"roof=100,exterior_walls=40,foundation=50","photos":"s001-1.jpg"}
                """)
        #expect(filed.status == 201, "\(filed.text)")
        #expect(
            try filed.json["grade"] as? String == "destroyed" && (try filed.json["loss_ratio_percent"] as? Double) == 50
        )

        let certificateBody = """
            {"disaster":"令和9年 東京都心南部を震源とする地震","disaster_at":"\(Self.past(days: 30))","cause":"地震による建物倒壊"}
            """
        let issued = try await HTTP.send("POST", "\(base)/households/H-1/certificate", token: hq, body: certificateBody)
        #expect(issued.status == 201, "\(issued.text)")
        let number = try #require(try issued.json["number"] as? String)
        #expect(issued.header("Location") == "/certificates/\(number)")
        #expect(try issued.json["grade_ja"] as? String == "全壊")
        let again = try await HTTP.send("POST", "\(base)/households/H-1/certificate", token: hq, body: certificateBody)
        #expect(again.status == 409 && again.text.contains("already has certificate \(number)"), "\(again.text)")
        let unsurveyed = try await HTTP.send(
            "POST", "\(base)/households/H-2/certificate", token: hq, body: certificateBody)
        #expect(unsurveyed.status == 400 && unsurveyed.text.contains("has no survey yet"), "\(unsurveyed.text)")

        // Printed: Japanese A4 HTML with the head, address and grade.
        let page = try await HTTP.send("GET", "\(base)/certificates/\(number)?f=html", token: hq)
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("杉並 太郎") && page.text.contains("全壊") && page.text.contains("@page"))

        let reissued = try await HTTP.send(
            "POST", "\(base)/certificates/\(number)/reissue", token: hq, body: #"{"reason":"紛失"}"#)
        #expect(reissued.status == 201, "\(reissued.text)")
        #expect(try reissued.json["version"] as? Int == 2)
        let noReason = try await HTTP.send("POST", "\(base)/certificates/\(number)/reissue", token: hq, body: "{}")
        #expect(noReason.status == 400 && noReason.text.contains("reason"))
        let request = try await HTTP.send(
            "POST", "\(base)/households/H-1/resurvey-requests", token: hq, body: #"{"reason":"柱の損傷が見落とされている"}"#)
        #expect(request.status == 201, "\(request.text)")
        let second = try await HTTP.send(
            "POST", "\(base)/surveys", token: hq,
            body: """
                {"id":"S-002","building_id":"\(served.buildings[0])","surveyor":"調査班7","surveyed_at":"\(Self.past(days: 5))",
                 "round":"second","parts":"roof=80,pillars=60,exterior_walls=70,interior_walls=60,foundation=40"}
                """)
        #expect(second.status == 201)
        #expect(try second.json["grade"] as? String == "large_scale_half_destroyed")
        let resurveyed = try await HTTP.send("POST", "\(base)/certificates/\(number)/resurvey", token: hq)
        #expect(resurveyed.status == 201, "\(resurveyed.text)")
        #expect(try resurveyed.json["version"] as? Int == 3)
        #expect(try resurveyed.json["change"] as? String == "再調査による判定の変更")
        let versions = try await HTTP.send("GET", "\(base)/certificates/\(number)", token: hq)
        #expect(try (versions.json["versions"] as? [[String: Any]])?.count == 3)
        let first = try await HTTP.send("GET", "\(base)/certificates/\(number)?f=html&version=1", token: hq)
        #expect(first.text.contains("全壊") && !first.text.contains("第3版"))

        let support = try await HTTP.send(
            "POST", "\(base)/households/H-1/support", token: hq, body: #"{"state":"granted","methods":"repair"}"#)
        #expect(support.status == 201, "\(support.text)")
        #expect(try support.json["total_yen"] as? Int == 1_500_000)

        let entry = try await HTTP.send("GET", "\(base)/households/H-1", token: hq)
        #expect(entry.status == 200 && entry.header("Cache-Control") == "no-store")
        let record = try entry.json
        #expect((record["surveys"] as? [Any])?.count == 2 && record["certificate_versions"] as? Int == 3)
        #expect((record["resurvey_requests"] as? [[String: Any]])?.first?["reason"] as? String == "柱の損傷が見落とされている")
        #expect(record["expected_basic_grant_yen"] as? Int == 500_000)

        let report = try await HTTP.send("GET", "\(base)/recovery/report", token: hq).json
        #expect((report["certificates_by_grade"] as? [String: Int])?["large_scale_half_destroyed"] == 1)
        #expect(report["granted_yen"] as? Int == 1_500_000 && report["later_versions"] as? Int == 2)
        #expect(!String(describing: report).contains("杉並 太郎"))

        let entries = try await served.store.auditEntries().map(\.payload)
        #expect(entries.contains { $0.contains("\"certificate.issue\"") && $0.contains(number) })
        #expect(entries.contains { $0.contains("\"register.read\"") && $0.contains("被災者台帳: GET /households") })
    }

    @Test("Only headquarters; bad input named; unknown things are 404", arguments: StoreBackend.allCases)
    func refusals(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        for token in [served.staff, nil] {
            let answer = try await HTTP.send("GET", "\(base)/households/H-1", token: token)
            #expect(answer.status == (token == nil ? 401 : 403), "\(answer.text)")
        }
        let cases: [(String, String, String?, Int, String)] = [
            ("GET", "/households/H-404", nil, 404, "H-404 is not on the register"),
            ("GET", "/certificates/2027-999999", nil, 404, "no certificate 2027-999999"),
            ("GET", "/certificates/abc", nil, 404, "is not a certificate number"),
            ("POST", "/certificates/2027-000001/retract", "{}", 404, "is not a change"),
            (
                "POST", "/surveys",
                #"{"id":"S-9","building_id":"NOPE","surveyor":"x","surveyed_at":"2020-01-01T00:00:00Z","round":"first"}"#,
                400, "NOPE is not a building"
            ),
            (
                "POST", "/surveys",
                #"{"id":"S-9","building_id":"\#(served.buildings[2])","surveyor":"x","surveyed_at":"2020-01-01T00:00:00Z","round":"first","parts":"pillars=10"}"#,
                400, "does not judge"
            ),
            (
                "POST", "/surveys",
                #"{"id":"S-9","building_id":"\#(served.buildings[2])","surveyor":"x","surveyed_at":"2099-01-01T00:00:00Z"}"#,
                400, "surveyed_at"
            ),
            (
                "POST", "/households/H-1/certificate", #"{"disaster":"x","disaster_at":"yesterday","cause":"x"}"#, 400,
                "disaster_at"
            ),
            ("POST", "/households/H-1/support", #"{"methods":"castle"}"#, 400, "castle is not one of"),
            ("GET", "/certificates/2027-000001?f=pdf", nil, 400, "neither json nor html"),
        ]
        for (method, path, body, status, words) in cases {
            let answer = try await HTTP.send(method, base + path, token: served.headquarters, body: body)
            #expect(
                answer.status == status && answer.text.contains(words),
                "\(method) \(path): \(answer.status) \(answer.text)")
        }
    }

    @Test("A daemon without the personal-data key serves no register", arguments: StoreBackend.allCases)
    func withoutKey(_ backend: StoreBackend) async throws {
        let served = try await OperationsFixture.shared(backend).served()
        let answer = try await HTTP.send("GET", "\(served.base)/recovery/report", token: served.tokens.headquarters)
        #expect(answer.status == 404 && answer.text.contains("--people-key"), "\(answer.text)")
    }
}
