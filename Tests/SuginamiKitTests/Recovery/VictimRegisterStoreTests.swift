import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// Survey → り災証明書 → 被災者台帳 in a real SQLite file: households sealed at rest, surveys
/// judged and kept, certificates numbered per year and versioned (re-issue, correction,
/// re-survey) with a number never given twice, support assessed by the rules, the register's
/// record and the ward's figures; headquarters only, every read audited.
@Suite struct VictimRegisterStoreTests {
    static let headquarters = Principal(tokenID: "hq", role: .headquarters, label: "本部")
    static let staff = Principal(tokenID: "s7", role: .staff, facilityID: "RC-07", label: "救援所7")
    static let disaster = DisasterCertificate.Disaster(
        name: "令和9年4月1日 東京都心南部を震源とする地震", date: Date(timeIntervalSince1970: 1_806_523_200))  // 2027-04-01 05:00 JST

    static func day(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    struct Fixture {
        let store: any StoreBackend.Store
        let key: PersonalDataKey
        let directory: URL
    }

    static func fixture(_ backend: StoreBackend) async throws -> Fixture {
        let directory = try Programs.temporaryDirectory()
        let store = try await backend.makeStore()
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        try await store.insert(
            try (1...3).map { index in
                Building(
                    id: "B-\(index)",
                    position: try GeoPoint(latitude: 35.70, longitude: 139.63 + 0.001 * Double(index)),
                    structure: .wooden, isSynthetic: true)
            })
        return Fixture(store: store, key: key, directory: directory)
    }

    static let households = """
        household_id,head,address,building_id,members,person_id
        H-1,杉並 太郎,東京都杉並区阿佐谷南一丁目15番1号,B-1,3,P-0001
        H-2,高円寺 花子,東京都杉並区高円寺南四丁目2番3号,B-2,1,

        """

    static let surveys = """
        survey_id,building_id,surveyor,surveyed_at,round,collapsed,tilt_offsets,plumb_length,parts,photos
        S-001,B-1,調査班3,2027-04-10T10:00:00+09:00,first,,,,roof=100;exterior_walls=40;foundation=50,s001-1.jpg;s001-2.jpg
        S-002,B-2,調査班3,2027-04-10T11:00:00+09:00,first,,,,roof=20;exterior_walls=10,
        S-003,B-3,調査班4,2027-04-10T12:00:00+09:00,first,1,,,,

        """

    @Test(
        "Households and surveys import all or nothing, each bad row named; households are sealed at rest",
        arguments: StoreBackend.allCases)
    func imports(_ backend: StoreBackend) async throws {
        let fixture = try await Self.fixture(backend)
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let store = fixture.store
        let households = try HouseholdReader.read(Data(Self.households.utf8), file: "households.csv").records
        try await store.saveHouseholds(
            households, key: fixture.key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        let surveys = try DamageSurveyReader.read(Data(Self.surveys.utf8), file: "surveys.csv", standard: .reiwa3)
        #expect(surveys.records.map(\.judgement.grade) == [.destroyed, .quasiHalfDestroyed, .destroyed])
        #expect(surveys.records[0].survey.photos == ["s001-1.jpg", "s001-2.jpg"])
        #expect(try await store.saveSurveys(surveys.records, by: .localTool("test")) == 3)

        let bytes = try await StoreBackend.restingBytes(of: store)
        #expect(bytes.range(of: Data("H-1".utf8)) != nil)
        for value in ["杉並 太郎", "阿佐谷南一丁目", "高円寺 花子"] {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value) is in the file")
        }

        func refusal(_ text: String, households: Bool = false) -> String {
            do {
                if households {
                    _ = try HouseholdReader.read(Data(text.utf8), file: "h.csv")
                } else {
                    _ = try DamageSurveyReader.read(Data(text.utf8), file: "s.csv", standard: .reiwa3)
                }
                return "accepted"
            } catch {
                return error.description
            }
        }
        let header = "survey_id,building_id,surveyor,surveyed_at,round,parts\n"
        #expect(
            refusal(header + "S-9,B-1,班,2027-04-10T10:00:00+09:00,first,pillars=10\n").contains(
                "row 1 (line 2), column parts"))
        #expect(refusal(header + "S-9,B-1,班,2027-04-10T10:00:00+09:00,first,roof=120\n").contains("120 %"))
        #expect(refusal(header + "S-9,B-1,班,2027-04-10,third,\n").contains("column surveyed_at"))
        #expect(refusal(header + "S-9,B-1,班,2027-04-10T10:00:00+09:00,third,\n").contains("neither first nor second"))
        #expect(refusal(header + "S-9,B-1,班,2027-04-10T10:00:00+09:00,first,roof\n").contains("PART=PERCENT"))
        #expect(
            refusal("household_id,head,address,building_id,members\nH-9,名,住所,B-1,0\n", households: true)
                .contains("column members"))
        #expect(
            refusal("household_id,head,address,building_id\nH-9,名,住所,B-1\n", households: true)
                .contains("required column is missing"))

        // A survey of a building the store lacks, and one already stored: nothing is written.
        var stray = surveys.records[1]
        stray.survey.id = "S-100"
        stray.survey.buildingID = "B-404"
        await #expect(throws: RecoveryStoreError.unknownBuildings(["B-404"])) {
            try await store.saveSurveys([stray], by: .localTool("test"))
        }
        await #expect(throws: RecoveryStoreError.surveyExists("S-002")) {
            try await store.saveSurveys([surveys.records[1]], by: .localTool("test"))
        }
        #expect(try await store.recoveryReport().surveys == 3)
    }

    @Test(
        "Certificates are numbered per year, versioned with history, never renumbered; support comes from the rules",
        arguments: StoreBackend.allCases)
    func certificateChain(_ backend: StoreBackend) async throws {
        let fixture = try await Self.fixture(backend)
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let (store, key) = (fixture.store, fixture.key)
        let hq = Self.headquarters
        var households = try HouseholdReader.read(Data(Self.households.utf8), file: "households.csv").records
        try await store.saveHouseholds(
            households, key: key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        try await store.saveSurveys(
            try DamageSurveyReader.read(Data(Self.surveys.utf8), file: "surveys.csv", standard: .reiwa3).records,
            by: .localTool("test"))
        func issue(_ household: String, at time: String) async throws -> DisasterCertificate {
            try await store.issueCertificate(
                householdID: household, disaster: Self.disaster, cause: "地震による建物倒壊", issuer: "杉並区長", key: key,
                by: hq, from: "127.0.0.1", now: try Self.day(time))
        }
        let first = try await issue("H-1", at: "2027-04-20T09:00:00+09:00")
        let second = try await issue("H-2", at: "2027-04-20T09:05:00+09:00")
        #expect(first.number.description == "2027-000001" && second.number.description == "2027-000002")
        #expect(first.judgement.grade == .destroyed && first.household.head == "杉並 太郎")
        await #expect(throws: CertificateError.alreadyIssued(first.number)) {
            try await issue("H-1", at: "2027-04-21T09:00:00+09:00")
        }
        await #expect(throws: RecoveryStoreError.headquartersOnly(.staff)) {
            try await store.issueCertificate(
                householdID: "H-1", disaster: Self.disaster, cause: "地震", issuer: "杉並区長", key: key, by: Self.staff,
                from: "127.0.0.1")
        }
        await #expect(throws: RecoveryStoreError.unknownHousehold("H-404")) {
            try await issue("H-404", at: "2027-04-20T10:00:00+09:00")
        }

        // Re-issue, then a correction from the household re-imported with its address fixed,
        // then a re-survey with a newer survey: four versions, each printed as it was.
        let reissued = try await store.changeCertificate(
            first.number, .reissue(reason: "紛失"), issuer: "杉並区長", key: key, by: hq, from: "127.0.0.1",
            now: try Self.day("2027-04-25T09:00:00+09:00"))
        households[0].address = "東京都杉並区阿佐谷南一丁目15番2号"
        try await store.saveHouseholds(
            households, key: key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        let corrected = try await store.changeCertificate(
            first.number, .correction(reason: "所在地の誤記"), issuer: "杉並区長", key: key, by: hq, from: "127.0.0.1",
            now: try Self.day("2027-04-26T09:00:00+09:00"))
        await #expect(throws: CertificateError.resurveyNotNewer) {
            try await store.changeCertificate(
                first.number, .resurvey, issuer: "杉並区長", key: key, by: hq, from: "127.0.0.1",
                now: try Self.day("2027-04-27T09:00:00+09:00"))
        }
        let second2 = DamageSurvey(
            id: "S-004", buildingID: "B-1", surveyor: "調査班7", surveyedAt: try Self.day("2027-05-20T10:00:00+09:00"),
            round: .second, parts: [.roof: 80, .pillars: 60, .exteriorWalls: 70, .interiorWalls: 60, .foundation: 40])
        try await store.saveSurveys(
            [JudgedSurvey(survey: second2, judgement: try second2.judged(by: .reiwa3))], by: .localTool("test"))
        try await store.requestResurvey(
            ResurveyRequest(
                householdID: "H-1", requestedAt: try Self.day("2027-05-01T09:00:00+09:00"), reason: "柱の損傷が見落とされている"),
            key: key, by: hq, from: "127.0.0.1")
        let resurveyed = try await store.changeCertificate(
            first.number, .resurvey, issuer: "杉並区長", key: key, by: hq, from: "127.0.0.1",
            now: try Self.day("2027-05-21T09:00:00+09:00"))
        #expect(reissued.version == 2 && corrected.version == 3 && resurveyed.version == 4)
        #expect(corrected.household.address.hasSuffix("15番2号") && reissued.household.address.hasSuffix("15番1号"))
        #expect(resurveyed.judgement.grade == .largeScaleHalfDestroyed && resurveyed.surveyedAt == second2.surveyedAt)
        let versions = try await store.certificateVersions(
            first.number, key: key, by: hq, from: "127.0.0.1", purpose: "窓口での確認")
        #expect(versions.map(\.version) == [1, 2, 3, 4] && versions[0].judgement.grade == .destroyed)

        // Support: the grade in force (大規模半壊) and the household's three members.
        let application = try await store.recordSupportApplication(
            householdID: "H-1", plan: SupportPlan(methods: [.repair]), state: .granted, key: key, by: hq,
            from: "127.0.0.1", now: try Self.day("2027-06-01T09:00:00+09:00"), rules: .current)
        #expect(application.grant.basic == 500_000 && application.grant.additional == 1_000_000)
        await #expect(throws: RecoveryStoreError.unknownHousehold("H-404")) {
            try await store.recordSupportApplication(
                householdID: "H-404", plan: SupportPlan(), state: .applied, key: key, by: hq, from: "127.0.0.1")
        }

        let entry = try await store.registerEntry(
            householdID: "H-1", key: key, by: hq, from: "127.0.0.1", purpose: "被災者台帳の確認")
        #expect(entry.surveys.map(\.id) == ["S-001", "S-004"] && entry.certificates.count == 4)
        #expect(entry.resurveyRequests.first?.reason == "柱の損傷が見落とされている" && entry.support == [application])
        #expect(entry.expectedBasicGrant()?.basic == 500_000 && entry.safety == nil)

        let report = try await store.recoveryReport()
        #expect(report.surveyedByGrade == [.largeScaleHalfDestroyed: 1, .quasiHalfDestroyed: 1, .destroyed: 1])
        #expect(report.certificatesByGrade == [.largeScaleHalfDestroyed: 1, .quasiHalfDestroyed: 1])
        #expect(report.laterVersions == 3 && report.resurveyRequests == 1 && report.granted == 1_500_000)
        #expect(report.households == 2 && report.surveys == 4 && report.applications == [.granted: 1])

        // Retention: the households go with their certificates, and the next number is still new.
        let gone = try await store.deleteExpiredHouseholds(
            now: Date(timeIntervalSinceNow: 2 * 86_400), by: .localTool("test"))
        #expect(gone == ["H-1", "H-2"])
        try await store.saveHouseholds(
            [Household(id: "H-3", head: "荻窪 次郎", address: "東京都杉並区荻窪五丁目", buildingID: "B-3", members: 2)], key: key,
            retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        await #expect(throws: RecoveryStoreError.noCertificate("H-3")) {
            try await store.recordSupportApplication(
                householdID: "H-3", plan: SupportPlan(), state: .applied, key: key, by: hq, from: "127.0.0.1")
        }
        let third = try await issue("H-3", at: "2027-06-02T09:00:00+09:00")
        #expect(third.number.description == "2027-000003")

        // The audit log names each issue and read, never a name or an address.
        let payloads = try await store.auditEntries().map(\.payload)
        for action in [
            "certificate.issue", "certificate.version", "certificate.read", "register.read", "support.record",
        ] {
            #expect(payloads.contains { $0.contains("\"\(action)\"") }, "\(action)")
        }
        #expect(!payloads.contains { $0.contains("杉並 太郎") || $0.contains("阿佐谷南") || $0.contains("柱の損傷") })
        #expect(try await store.verifyAuditLog().isIntact)
    }

    @Test("The register shows the safety of the household's member on the roster", arguments: StoreBackend.allCases)
    func registerShowsSafety(_ backend: StoreBackend) async throws {
        let fixture = try await Self.fixture(backend)
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let (store, key) = (fixture.store, fixture.key)
        let roster = try PeopleStoreTests.roster()
        try await store.saveRoster(
            roster, key: key, retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        try await store.saveHouseholds(
            try HouseholdReader.read(Data(Self.households.utf8), file: "households.csv").records, key: key,
            retainUntil: Date(timeIntervalSinceNow: 86_400), by: .localTool("test"))
        let check = SafetyCheck(personID: "P-0001", state: .hospitalised, observedAt: Date(), source: "救急隊")
        try await store.recordSafetyCheck(check, by: Self.headquarters, from: "127.0.0.1", key: key)
        let entry = try await store.registerEntry(
            householdID: "H-1", key: key, by: Self.headquarters, from: "127.0.0.1", purpose: "確認")
        #expect(entry.safety?.state == .hospitalised && entry.certificate == nil && entry.expectedBasicGrant() == nil)
    }
}
