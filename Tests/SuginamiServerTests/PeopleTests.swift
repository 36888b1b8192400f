import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiServer
import SuginamiTestSupport
import Testing

/// 要配慮者の安否確認 through the daemon, over a socket, as headquarters and relief-centre staff
/// use it: a sealed roster, reports of people's state, who is still unconfirmed per centre and
/// per town, who to check first, the Person Finder export; and that no role reads a field it
/// may not, over every endpoint.
@Suite("People who need help", .serialized)
struct PeopleTests {
    /// A daemon of its own: the bundled data in a fresh store, a personal-data key, a roster of
    /// four made-up people (two of centre A, one of whom refused sharing; one of centre B; one of
    /// no centre) and made-up damage at their homes. Before a declared disaster.
    actor Fixture {
        static let sqlite = Fixture(backend: .sqlite)
        static let postgres = Fixture(backend: .postgres)

        /// The daemon on one back end.
        static func shared(_ backend: StoreBackend) -> Fixture { backend == .sqlite ? sqlite : postgres }

        let backend: StoreBackend

        init(backend: StoreBackend) { self.backend = backend }

        static let centreA = OperationsFixture.centreA
        static let centreB = OperationsFixture.centreB

        struct Served: Sendable {
            let base: String
            let store: any SuginamiDatabase
            let people: [PersonNeedingSupport]
            let tokens: [String: String]
            let key: PersonalDataKey
            let directory: URL
        }

        private let once = MadeOnce<Served>()

        func served() async throws -> Served { try await once.value { [backend] in try await Self.start(backend) } }

        static func person(
            _ number: Int, _ id: String, _ name: String, longitude: Double, latitude: Double, needs: Set<SupportNeed>,
            consent: SharingConsent, centre: String?
        ) throws -> PersonNeedingSupport {
            PersonNeedingSupport(
                id: id, name: name, kana: "てすと", address: "東京都杉並区（テスト \(id)）",
                position: try GeoPoint(latitude: latitude, longitude: longitude),
                dateOfBirth: try CalendarDay(year: 1941, month: 3, day: 9), needs: needs, phone: "03-0000-100\(number)",
                supporters: [.init(name: "支援 \(id)", phone: "090-0000-200\(number)")], consent: consent,
                reliefCentreID: centre)
        }

        private static func start(_ backend: StoreBackend) async throws -> Served {
            let directory = try Programs.temporaryDirectory()
            let store = try await backend.open(
                try await Programs.loadingDatabase(backend, in: directory, buildings: 500))
            let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
            let people = [
                try Self.person(
                    1, "P-A1", "阿佐谷 花子", longitude: 139.6365, latitude: 35.7002, needs: [.hearing], consent: .consented,
                    centre: Self.centreA),
                try Self.person(
                    2, "P-A2", "阿佐谷 一郎", longitude: 139.6372, latitude: 35.7010, needs: [.bedridden], consent: .refused,
                    centre: Self.centreA),
                try Self.person(
                    3, "P-B1", "高円寺 次郎", longitude: 139.6490, latitude: 35.7040, needs: [.wheelchair],
                    consent: .consented, centre: Self.centreB),
                try Self.person(
                    4, "P-N1", "方南 三郎", longitude: 139.6560, latitude: 35.6830, needs: [.language], consent: .presumed,
                    centre: nil),
            ]
            try await store.saveRoster(
                people, key: key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
            // Damage at each home (made up): P-A2 in the 60 % band, P-B1 30 %, P-A1 10 %; P-N1 has
            // no building within 30 m.
            let damage = try zip(["P-A1", "P-A2", "P-B1"], [0.12, 0.61, 0.33]).map { id, collapse in
                let home = people.first { $0.id == id }!.position
                return BuildingDamage(
                    buildingID: "B-\(id)",
                    position: try GeoPoint(latitude: home.latitude + 0.00005, longitude: home.longitude),
                    collapse: collapse, burnt: 0)
            }
            var tokens: [String: String] = [:]
            for (name, role, facility) in [
                ("headquarters", AccessRole.headquarters, nil), ("staff A", .staff, Self.centreA),
                ("staff B", .staff, Self.centreB), ("public", .public, nil), ("admin", .admin, nil),
            ] as [(String, AccessRole, String?)] {
                tokens[name] =
                    try await store.issueToken(role: role, facilityID: facility, label: name, by: .localTool("test"))
                    .secret
            }
            let network = try await RoadNetwork.load(.bundledSynthetic)
            let routing = try await ReliefCentreRouting(store: store, network: network)
            let catalogue = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.logLevel = .error
            let safety = SafetyConfirmation(
                store: store, key: key, policy: PersonalDataPolicy(disasterDeclared: false),
                towns: try await store.towns(), damage: damage)
            let server = ReferenceServer(
                configuration: configuration, store: store, catalogue: catalogue, routing: routing, safety: safety,
                registry: ServerFixture.registry)
            let base = try await server.startInBackground()
            return Served(
                base: base, store: store, people: people, tokens: tokens, key: key, directory: directory)
        }
    }

    static func people(_ answer: HTTP.Answer) throws -> [[String: Any]] {
        try #require(try answer.json["people"] as? [[String: Any]], "\(answer.text.prefix(300))")
    }

    @Test("Every role on every people endpoint gets the status the access rules give", arguments: StoreBackend.allCases)
    func roleMatrix(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let roles: [(name: String, token: String?)] =
            [("none", nil)] + ["public", "admin", "staff A", "staff B", "headquarters"].map { ($0, served.tokens[$0]) }
        let rows = [
            EndpointExpectation("GET /people", [401, 403, 403, 200, 200, 200]) {
                try await HTTP.send("GET", "\(base)/people", token: $0)
            },
            EndpointExpectation("GET /people/summary", [401, 403, 403, 200, 200, 200]) {
                try await HTTP.send("GET", "\(base)/people/summary", token: $0)
            },
            EndpointExpectation("GET /people/priority", [401, 403, 403, 200, 200, 200]) {
                try await HTTP.send("GET", "\(base)/people/priority", token: $0)
            },
            // An unknown state, so that nothing is recorded whoever may: 400 once the role may.
            EndpointExpectation("POST /people/P-A1/safety", [401, 403, 403, 400, 400, 400]) {
                try await HTTP.send(
                    "POST", "\(base)/people/P-A1/safety", token: $0, body: #"{"state":"fine","source":"x"}"#)
            },
            EndpointExpectation("GET /people/pfif", [401, 403, 403, 403, 403, 200]) {
                try await HTTP.send("GET", "\(base)/people/pfif", token: $0)
            },
        ]
        let mismatches = try await EndpointExpectation.mismatches(rows, roles: roles) { endpoint, answer in
            if answer.status == 200 { #expect(answer.header("Cache-Control") == "no-store", "\(endpoint)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(
        "No role reads a field it may not, over every answer that holds people (0 leaks)",
        arguments: StoreBackend.allCases)
    func roleFieldMatrix(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let policy = PersonalDataPolicy(disasterDeclared: false)
        let principals: [String: Principal] = [
            "headquarters": Principal(tokenID: "t", role: .headquarters, label: "hq"),
            "staff A": Principal(tokenID: "t", role: .staff, facilityID: Fixture.centreA, label: "a"),
            "staff B": Principal(tokenID: "t", role: .staff, facilityID: Fixture.centreB, label: "b"),
        ]
        let jsonKey: [PersonField: String] = [
            .name: "name", .kana: "kana", .address: "address", .position: "position", .dateOfBirth: "date_of_birth",
            .needs: "needs", .phone: "phone", .supporters: "supporters", .consent: "consent",
            .reliefCentre: "relief_centre",
        ]
        // The values of a person's fields that are theirs alone, to find them anywhere in an answer.
        func secrets(of person: PersonNeedingSupport) -> [String] {
            [person.name, person.address, person.phone ?? ""] + person.supporters.flatMap { [$0.name, $0.phone ?? ""] }
        }
        var leaks: [String] = []
        var checked = 0
        for (name, principal) in principals {
            let token = try #require(served.tokens[name])
            let answers = [
                ("GET /people", try await HTTP.send("GET", "\(served.base)/people", token: token)),
                ("GET /people?f=geojson", try await HTTP.send("GET", "\(served.base)/people?f=geojson", token: token)),
                ("GET /people/priority", try await HTTP.send("GET", "\(served.base)/people/priority", token: token)),
            ]
            for (endpoint, answer) in answers {
                #expect(answer.status == 200, "\(endpoint) as \(name): \(answer.text.prefix(200))")
                let json = try answer.json
                let objects: [[String: Any]] =
                    (json["people"] as? [[String: Any]])
                    ?? (json["features"] as? [[String: Any]] ?? []).map { feature in
                        var properties = feature["properties"] as? [String: Any] ?? [:]
                        properties["id"] = feature["id"]
                        if feature["geometry"] != nil { properties["position"] = feature["geometry"] }
                        return properties
                    }
                let given = Set(objects.compactMap { $0["id"] as? String })
                for person in served.people {
                    let allowed = policy.readableFields(of: person, by: principal)
                    // The priority list holds the unconfirmed only; the others hold everyone visible.
                    if allowed.isEmpty {
                        if given.contains(person.id) { leaks.append("\(endpoint) as \(name): \(person.id) given") }
                        for secret in secrets(of: person) where answer.text.contains(secret) {
                            leaks.append("\(endpoint) as \(name): \(person.id)'s \(secret) appears")
                        }
                        continue
                    }
                    guard let object = objects.first(where: { $0["id"] as? String == person.id }) else {
                        if endpoint != "GET /people/priority" {
                            leaks.append("\(endpoint) as \(name): \(person.id) missing")
                        }
                        continue
                    }
                    for field in PersonField.allCases {
                        checked += 1
                        let present = object[jsonKey[field]!] != nil
                        if present != allowed.contains(field) {
                            leaks.append("\(endpoint) as \(name): \(person.id).\(field) present=\(present)")
                        }
                    }
                }
            }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
        #expect(checked > 100)
    }

    @Test(
        "Staff record their area's people; headquarters sees the unconfirmed drop per centre and per town, audited",
        arguments: StoreBackend.allCases)
    func recordAndOverview(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let hq = served.tokens["headquarters"]!
        let staffA = served.tokens["staff A"]!
        let before = try await HTTP.send("GET", "\(base)/people/summary", token: hq).json
        #expect(before["people"] as? Int == 4)
        let unconfirmedBefore = try #require(before["unconfirmed"] as? Int)

        // Staff A: P-A1 safe at home; the retry with the same key records nothing more.
        let body = #"{"state":"safe_at_home","source":"救援所職員（訪問）"}"#
        let recorded = try await HTTP.send(
            "POST", "\(base)/people/P-A1/safety", token: staffA, body: body, headers: ["Idempotency-Key": "visit-1"])
        #expect(recorded.status == 201, "\(recorded.text)")
        let retry = try await HTTP.send(
            "POST", "\(base)/people/P-A1/safety", token: staffA, body: body, headers: ["Idempotency-Key": "visit-1"])
        #expect(retry.status == 201 && retry.header("Idempotent-Replayed") == "true")
        #expect(try retry.json["check"] as? Int == (try recorded.json["check"] as? Int))

        let after = try await HTTP.send("GET", "\(base)/people/summary", token: hq).json
        #expect(after["unconfirmed"] as? Int == unconfirmedBefore - 1)
        let centres = try #require(after["by_centre"] as? [[String: Any]])
        let a = try #require(centres.first { $0["centre"] as? String == Fixture.centreA })
        #expect(a["people"] as? Int == 2 && a["unconfirmed"] as? Int == 1 && a["name"] as? String == "阿佐ヶ谷中学校")
        let towns = try #require(after["by_town"] as? [[String: Any]])
        #expect(towns.reduce(0) { $0 + ($1["people"] as? Int ?? 0) } == 4)
        #expect(towns.contains { ($0["name"] as? String)?.hasPrefix("阿佐谷南") == true }, "\(towns)")

        let unconfirmed = try Self.people(
            try await HTTP.send("GET", "\(base)/people?state=unconfirmed", token: hq))
        #expect(!unconfirmed.contains { $0["id"] as? String == "P-A1" } && unconfirmed.count == unconfirmedBefore - 1)
        let confirmed = try Self.people(try await HTTP.send("GET", "\(base)/people?state=confirmed", token: hq))
        let latest = try #require(confirmed.first?["latest"] as? [String: Any])
        #expect(latest["state"] as? String == "safe_at_home" && latest["source"] as? String == "救援所職員（訪問）")
        let inTown = try Self.people(
            try await HTTP.send(
                "GET", "\(base)/people?town=\((try #require(confirmed.first?["town"] as? [String: Any]))["code"]!)",
                token: hq))
        #expect(inTown.contains { $0["id"] as? String == "P-A1" })

        // The store holds the check sealed, and the audit log names the reads and the record,
        // never their content.
        let entries = try await served.store.auditEntries().map(\.payload)
        #expect(entries.contains { $0.contains("\"safety.record\"") && $0.contains("P-A1") })
        #expect(entries.contains { $0.contains("\"person.read\"") && $0.contains("安否確認: GET /people/summary") })
        #expect(!entries.contains { $0.contains("救援所職員（訪問）") || $0.contains("阿佐谷 花子") })
        let verification = try await served.store.verifyAuditLog()
        #expect(verification.isIntact)
    }

    @Test("What staff may not record is refused, saying why; nothing is written", arguments: StoreBackend.allCases)
    func refusals(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let staffA = served.tokens["staff A"]!
        let staffB = served.tokens["staff B"]!
        func post(_ person: String, _ token: String, _ body: String) async throws -> HTTP.Answer {
            try await HTTP.send("POST", "\(base)/people/\(person)/safety", token: token, body: body)
        }
        let checksBefore = try await served.store.auditEntries().count { $0.payload.contains("\"safety.record\"") }
        let cases: [(String, String, String, Int, String)] = [
            ("P-A1", staffB, #"{"state":"safe_at_home","source":"x"}"#, 404, "no person P-A1 in this token's area"),
            ("P-XX", staffA, #"{"state":"safe_at_home","source":"x"}"#, 404, "no person P-XX in this token's area"),
            ("P-A1", staffA, #"{"state":"deceased","source":"x"}"#, 403, "only headquarters records a death"),
            ("P-A1", staffA, #"{"state":"safe_at_home"}"#, 400, "source: is required"),
            ("P-A1", staffA, #"{"state":"safe_at_centre","source":"x"}"#, 400, "centre_id: missing"),
            (
                "P-A1", staffA, #"{"state":"safe_at_centre","source":"x","centre":"RC-NONE"}"#, 400,
                "no facility RC-NONE"
            ),
            (
                "P-A1", staffA, #"{"state":"injured","source":"x","centre":"\#(Fixture.centreA)"}"#, 400,
                "centre: is for safe_at_centre"
            ),
            (
                "P-A1", staffA, #"{"state":"injured","source":"x","observed_at":"2099-01-01T00:00:00Z"}"#, 400,
                "in the future"
            ),
            ("P-A1", staffA, #"{"state":"injured","source":"x","sorce":"y"}"#, 400, "sorce"),
            ("P-A1", staffA, #"{"state":"injured","source":"x""#, 400, "the body is"),
        ]
        for (person, token, body, status, words) in cases {
            let answer = try await post(person, token, body)
            #expect(answer.status == status && answer.text.contains(words), "\(body): \(answer.status) \(answer.text)")
        }
        let checksAfter = try await served.store.auditEntries().count { $0.payload.contains("\"safety.record\"") }
        #expect(checksAfter == checksBefore)
        // Headquarters records a death; it is never exported to Person Finder.
        let hq = served.tokens["headquarters"]!
        let death = try await post("P-B1", hq, #"{"state":"deceased","source":"警察"}"#)
        #expect(death.status == 201, "\(death.text)")
        let pfif = try await HTTP.send("GET", "\(base)/people/pfif", token: hq)
        #expect(pfif.status == 200 && !pfif.text.contains("believed_dead") && !pfif.text.contains("P-A2"))
    }

    @Test(
        "Who to check first: by the damage at the home in bands, then needs, each with its reason",
        arguments: StoreBackend.allCases)
    func priority(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let answer = try await HTTP.send(
            "GET", "\(served.base)/people/priority", token: served.tokens["headquarters"]!)
        let people = try Self.people(answer)
        let ids = people.map { $0["id"] as? String ?? "" }
        // Only the unconfirmed, in order; P-N1 has no building at the address and comes last.
        let expected = ["P-A2", "P-B1", "P-A1", "P-N1"].filter { ids.contains($0) }
        #expect(ids == expected && ids.first == "P-A2" && ids.last == "P-N1", "\(ids)")
        #expect((people.first?["reason"] as? String)?.contains("全壊または焼失の確率 61 %") == true)
        #expect((people.last?["reason"] as? String)?.hasPrefix("住所の30 m以内に建物が見つからない") == true)
        #expect(people.first?["rank"] as? Int == 1 && people.first?["building"] as? String == "B-P-A2")
        // Staff A ranks only their area's people who consented: P-A1 at most.
        let own = try Self.people(
            try await HTTP.send("GET", "\(served.base)/people/priority", token: served.tokens["staff A"]!))
        #expect(own.allSatisfy { $0["id"] as? String == "P-A1" })
        let limited = try await HTTP.send(
            "GET", "\(served.base)/people/priority?limit=0", token: served.tokens["headquarters"]!)
        #expect(limited.status == 400 && limited.text.contains("limit"))
    }

    @Test("Person Finder gets valid PFIF 1.4 of the people who consented only", arguments: StoreBackend.allCases)
    func personFinder(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let answer = try await HTTP.send("GET", "\(served.base)/people/pfif", token: served.tokens["headquarters"]!)
        #expect(answer.status == 200 && answer.header("Content-Type")?.hasPrefix("application/xml") == true)
        #expect(answer.text.contains("city.suginami.tokyo.jp/P-A1") && !answer.text.contains("P-A2"))
        #expect(!answer.text.contains("P-N1"), "a presumed consent is not consent to Person Finder")
        let file = served.directory.appendingPathComponent("served.pfif.xml")
        try answer.body.write(to: file)
        let valid = try await Programs.running(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/pfif/validate.py").path, file.path])
        #expect(valid.status == 0, "\(valid.stdout) \(valid.stderr)")
    }

    @Test("A daemon without the personal-data key serves no people, and says how to", arguments: StoreBackend.allCases)
    func withoutKey(_ backend: StoreBackend) async throws {
        let served = try await OperationsFixture.shared(backend).served()
        let answer = try await HTTP.send("GET", "\(served.base)/people", token: served.tokens.headquarters)
        #expect(answer.status == 404 && answer.text.contains("--people-key"), "\(answer.text)")
    }

    @Test(
        "Headquarters' page in a real browser shows what the API says, on a list and a map, and records through its form",
        arguments: StoreBackend.allCases)
    func pageInABrowser(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let screenshot = served.directory.appendingPathComponent("people-page.png")
        let run = try await Programs.running(
            "/usr/bin/python3",
            [
                Programs.repositoryRoot.appendingPathComponent("Tests/Clients/people-page.py").path,
                "\(served.base)/map/people.html", served.tokens["headquarters"]!, screenshot.path,
            ])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("PASS the page shows one unconfirmed fewer"), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
    }

    @Test(
        "Person Finder's notes come in as safety reports: headquarters only, each once, bad documents named",
        arguments: StoreBackend.allCases)
    func personFinderNotes(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let url = "\(served.base)/people/pfif"
        let hq = served.tokens["headquarters"]!
        let written =
            Date(timeIntervalSinceNow: -3_600).formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: false)) + "Z"
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
              <pfif:note>
                <pfif:note_record_id>google.org/note.77</pfif:note_record_id>
                <pfif:person_record_id>city.suginami.tokyo.jp/P-N1</pfif:person_record_id>
                <pfif:entry_date>\(written)</pfif:entry_date>
                <pfif:author_name>方南 家族</pfif:author_name>
                <pfif:source_date>\(written)</pfif:source_date>
                <pfif:status>believed_alive</pfif:status>
                <pfif:text>無事です。</pfif:text>
              </pfif:note>
              <pfif:note>
                <pfif:note_record_id>google.org/note.78</pfif:note_record_id>
                <pfif:person_record_id>city.suginami.tokyo.jp/P-N1</pfif:person_record_id>
                <pfif:entry_date>\(written)</pfif:entry_date>
                <pfif:author_name>不明</pfif:author_name>
                <pfif:source_date>\(written)</pfif:source_date>
                <pfif:status>believed_dead</pfif:status>
                <pfif:text>噂</pfif:text>
              </pfif:note>
            </pfif:pfif>
            """
        let file = served.directory.appendingPathComponent("notes.xml")
        try Data(document.utf8).write(to: file)
        let valid = try await Programs.running(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/pfif/validate.py").path, file.path])
        #expect(valid.status == 0, "\(valid.stdout)")
        let xml = ["Content-Type": "application/xml"]
        let taken = try await HTTP.send("POST", url, token: hq, body: document, headers: xml)
        #expect(taken.status == 200, "\(taken.text)")
        #expect(try taken.json["recorded"] as? Int == 1)
        #expect(taken.text.contains("a death is recorded by headquarters"))
        let twice = try await HTTP.send("POST", url, token: hq, body: document, headers: xml)
        #expect(try twice.json["recorded"] as? Int == 0)
        #expect(twice.text.contains("already recorded"))
        let people = try Self.people(try await HTTP.send("GET", "\(served.base)/people?state=confirmed", token: hq))
        let latest = try #require(people.first { $0["id"] as? String == "P-N1" }?["latest"] as? [String: Any])
        #expect(latest["state"] as? String == "safe_elsewhere")
        #expect((latest["source"] as? String)?.hasPrefix("Person Finder: 方南 家族") == true)

        let byStaff = try await HTTP.send("POST", url, token: served.tokens["staff A"]!, body: document, headers: xml)
        #expect(byStaff.status == 403)
        let asJSON = try await HTTP.send("POST", url, token: hq, body: document)
        #expect(asJSON.status == 400 && asJSON.text.contains("application/xml"))
        let broken = try await HTTP.send("POST", url, token: hq, body: "<pfif:pfif>\n<oops>", headers: xml)
        #expect(broken.status == 400 && broken.text.contains("line"), "\(broken.text)")
    }

    @Test(
        "The daemon deletes the people and households whose retention has ended, audited",
        arguments: StoreBackend.allCases)
    func retention(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await backend.open(try await Programs.loadingDatabase(backend, in: directory, buildings: 50))
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        let building = try #require(try await store.buildings().first?.id)
        let person = try Fixture.person(
            1, "P-OLD", "古い 記録", longitude: 139.6365, latitude: 35.7002, needs: [.hearing], consent: .consented,
            centre: nil)
        try await store.saveRoster(
            [person], key: key, retainUntil: Date(timeIntervalSinceNow: -60), by: .localTool("test"))
        try await store.saveHouseholds(
            [Household(id: "H-OLD", head: "古い 世帯", address: "杉並区", buildingID: building, members: 1)], key: key,
            retainUntil: Date(timeIntervalSinceNow: -60), by: .localTool("test"))
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .critical
        var server = ReferenceServer(
            configuration: configuration, store: store,
            catalogue: try await FeatureCatalogue.build(store: store, routing: await routing.snapshot),
            routing: routing,
            safety: SafetyConfirmation(
                store: store, key: key, policy: PersonalDataPolicy(disasterDeclared: true), towns: [], damage: nil),
            recovery: RecoveryDesk(store: store, key: key, issuer: "杉並区長"), registry: ServerFixture.registry)
        server.retentionInterval = .milliseconds(200)
        let running = Task { try await server.run(gracefulShutdownSignals: []) }
        defer { running.cancel() }
        let headquarters = Principal(tokenID: "t", role: .headquarters, label: "hq")
        var remaining = 1
        for _ in 0..<50 where remaining > 0 {
            try await Task.sleep(for: .milliseconds(100))
            remaining = try await store.people(
                visibleTo: headquarters, from: "test", policy: PersonalDataPolicy(disasterDeclared: true), key: key,
                purpose: "test"
            ).count
        }
        #expect(remaining == 0)
        #expect(try await store.recoveryReport().households == 0)
        let actions = try await store.auditEntries().map(\.payload)
        #expect(actions.contains { $0.contains("\"roster.expire\"") && $0.contains("P-OLD") })
        #expect(actions.contains { $0.contains("\"households.expire\"") && $0.contains("H-OLD") })
    }
}
