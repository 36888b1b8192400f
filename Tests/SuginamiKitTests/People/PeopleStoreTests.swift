import Foundation
import GRDB
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// The roster in a real SQLite file: sealed at rest (no name, address or phone in the file's
/// bytes), opened only with its key, given to each reader as the policy says, every person
/// given audited, and deleted when its retention ends.
@Suite struct PeopleStoreTests {
    static func roster() throws -> [PersonNeedingSupport] {
        let header =
            "person_id,name,kana,address,longitude,latitude,date_of_birth,needs,phone,supporter_names,supporter_phones,consent,relief_centre_id"
        let rows = [
            "P-0001,杉並 花子,すぎなみ はなこ,東京都杉並区阿佐谷南一丁目15番1号,139.6365,35.7002,1941-03-09,車いす,03-3312-0000,阿佐谷 次郎,090-1111-2222,同意,RC-07",
            "P-0002,高円寺 一郎,こうえんじ いちろう,東京都杉並区高円寺南四丁目,139.6490,35.7040,1938-11-30,寝たきり,03-3315-9999,,,不同意,RC-07",
            "P-0003,荻窪 三子,おぎくぼ みつこ,東京都杉並区荻窪五丁目,139.6200,35.7050,1950-01-02,人工透析,,,,同意,RC-08",
        ]
        return try SupportRosterReader.read(Data(([header] + rows).joined(separator: "\n").utf8), file: "roster.csv")
            .records
    }

    static let headquarters = Principal(tokenID: "hq", role: .headquarters, label: "本部")
    static let staff = Principal(tokenID: "s7", role: .staff, facilityID: "RC-07", label: "救援所7")

    func reads(_ store: any StoreBackend.Store) async throws -> [String] {
        try await store.auditEntries().compactMap { entry in
            let payload = try JSONSerialization.jsonObject(with: Data(entry.payload.utf8)) as? [String: Any]
            return payload?["action"] as? String == "person.read" ? payload?["subject"] as? String : nil
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func sealedAtRestReadAsThePolicySaysAndAudited(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        let store = try await backend.makeStore()
        let kept = Date(timeIntervalSinceNow: 86_400)
        #expect(try await store.saveRoster(try Self.roster(), key: key, retainUntil: kept, by: .localTool("test")) == 3)

        // At rest: none of the personal values is in the database. Digits are looked for with
        // their dash: alone, four digits turn up by chance in the hex of hashes and sealed bytes.
        let bytes = try await StoreBackend.restingBytes(of: store)
        #expect(bytes.range(of: Data("P-0001".utf8)) != nil)
        for value in ["杉並 花子", "すぎなみ", "阿佐谷南一丁目", "3312-0000", "090-1111", "1941-03-09", "wheelchair", "阿佐谷 次郎"] {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value) is in the file")
        }

        let before = PersonalDataPolicy(disasterDeclared: false)
        let everyone = try await store.people(
            visibleTo: Self.headquarters, from: "127.0.0.1", policy: before, key: key, purpose: "安否確認")
        #expect(everyone.map(\.id) == ["P-0001", "P-0002", "P-0003"] && everyone[0].name == "杉並 花子")
        #expect(everyone[0].dateOfBirth?.description == "1941-03-09")
        // Staff of centre 7, before a disaster: only the person who consented, without the birth date.
        let own = try await store.people(
            visibleTo: Self.staff, from: "127.0.0.1", policy: before, key: key, purpose: "安否確認")
        #expect(own.map(\.id) == ["P-0001"] && own[0].dateOfBirth == nil && own[0].phone == "03-3312-0000")
        // Declared: everyone of centre 7, still nobody of centre 8.
        let declared = try await store.people(
            visibleTo: Self.staff, from: "127.0.0.1", policy: PersonalDataPolicy(disasterDeclared: true), key: key,
            purpose: "安否確認")
        #expect(declared.map(\.id) == ["P-0001", "P-0002"])
        let resident = Principal(tokenID: "r", role: .public, label: "住民")
        #expect(
            try await store.people(visibleTo: resident, from: "127.0.0.1", policy: before, key: key, purpose: "x")
                .isEmpty)
        // Every person given is one audited read, in order; the chain still verifies.
        #expect(try await reads(store) == ["P-0001", "P-0002", "P-0003", "P-0001", "P-0001", "P-0002"])
        #expect(try await store.verifyAuditLog().isIntact)

        // Another key: refused by name, nothing given, nothing audited.
        let other = try PersonalDataKey.generate(at: directory.appendingPathComponent("other.key"))
        await #expect(throws: PeopleStoreError.otherKey(id: "P-0001", sealedWith: key.id, given: other.id)) {
            try await store.people(
                visibleTo: Self.headquarters, from: "127.0.0.1", policy: before, key: other, purpose: "x")
        }
        #expect(try await reads(store).count == 6)

        // Retention: expired people are deleted, and the deletion audited.
        #expect(try await store.deleteExpiredPeople(now: Date(), by: .localTool("test")).isEmpty)
        #expect(
            try await store.deleteExpiredPeople(now: kept.addingTimeInterval(1), by: .localTool("test")) == [
                "P-0001", "P-0002", "P-0003",
            ])
        #expect(
            try await store.people(
                visibleTo: Self.headquarters, from: "127.0.0.1", policy: before, key: key, purpose: "x"
            ).isEmpty)
    }

    @Test func aKeyFileIsTheOwnersAndNeverReplaced() throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("people.key")
        let key = try PersonalDataKey.generate(at: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try PersonalDataKey.load(from: url).id == key.id)
        #expect(throws: PersonalDataKeyError.exists(url.path)) { try PersonalDataKey.generate(at: url) }
        #expect(try PersonalDataKey.load(from: url).id == key.id)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        #expect(throws: PersonalDataKeyError.tooOpen(url.path, mode: "644")) { try PersonalDataKey.load(from: url) }
        let notAKey = directory.appendingPathComponent("short.key")
        #expect(
            FileManager.default.createFile(
                atPath: notAKey.path, contents: Data("c2hvcnQ=\n".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: PersonalDataKeyError.notAKey(notAKey.path)) { try PersonalDataKey.load(from: notAKey) }
    }
}

/// Safety checks in the store: recorded only by whom the policy allows, sealed, and the
/// unconfirmed listed per centre from the latest checks; a person's checks go with them.
@Suite struct SafetyCheckStoreTests {
    @Test(arguments: StoreBackend.allCases)
    func checksAreRecordedByWhoMaySealedAndListTheUnconfirmed(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        let store = try await backend.makeStore()
        let kept = Date(timeIntervalSinceNow: 86_400)
        try await store.saveRoster(try PeopleStoreTests.roster(), key: key, retainUntil: kept, by: .localTool("test"))
        let staff = PeopleStoreTests.staff
        let headquarters = PeopleStoreTests.headquarters
        let now = Date()
        func check(_ id: String, _ state: SafetyState, _ minutesAgo: Double) -> SafetyCheck {
            SafetyCheck(
                personID: id, state: state, observedAt: now.addingTimeInterval(-minutesAgo * 60), source: "救援所職員")
        }
        try await store.recordSafetyCheck(check("P-0001", .hospitalised, 10), by: staff, from: "127.0.0.1", key: key)
        await #expect(throws: SafetyCheckError.notYourArea("P-0003")) {
            try await store.recordSafetyCheck(check("P-0003", .safeAtHome, 5), by: staff, from: "127.0.0.1", key: key)
        }
        await #expect(throws: SafetyCheckError.deathByHeadquartersOnly) {
            try await store.recordSafetyCheck(check("P-0002", .deceased, 5), by: staff, from: "127.0.0.1", key: key)
        }
        await #expect(throws: PeopleStoreError.notOnTheRoster("P-9999")) {
            try await store.recordSafetyCheck(
                check("P-9999", .injured, 5), by: headquarters, from: "127.0.0.1", key: key)
        }
        try await store.recordSafetyCheck(check("P-0003", .missing, 3), by: headquarters, from: "127.0.0.1", key: key)

        let declared = PersonalDataPolicy(disasterDeclared: true)
        let all = try await store.unconfirmedPeople(
            visibleTo: headquarters, from: "127.0.0.1", policy: declared, key: key, purpose: "安否確認")
        #expect(all.mapValues { $0.map(\.id) } == ["RC-07": ["P-0002"], "RC-08": ["P-0003"]])
        let mine = try await store.unconfirmedPeople(
            visibleTo: staff, from: "127.0.0.1", policy: declared, key: key, purpose: "安否確認")
        #expect(mine.mapValues { $0.map(\.id) } == ["RC-07": ["P-0002"]])
        // Sealed: no state or source in the file.
        let bytes = try await StoreBackend.restingBytes(of: store)
        for value in ["hospitalised", "救援所職員", "missing"] {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value) is in the file")
        }
        // The audit log says a check was recorded, never what it said.
        let audit = try await store.auditEntries().map(\.payload).filter { $0.contains("safety.record") }
        #expect(audit.count == 2 && audit.allSatisfy { !$0.contains("hospitalised") && !$0.contains("missing") })
        // Person Finder: headquarters only, the people who consented, each export audited.
        await #expect(throws: PeopleStoreError.exportByHeadquartersOnly) {
            try await store.peopleForPersonFinder(by: staff, from: "127.0.0.1", key: key)
        }
        let exported = try await store.peopleForPersonFinder(by: headquarters, from: "127.0.0.1", key: key)
        #expect(exported.people.map(\.id) == ["P-0001", "P-0003"])
        #expect(exported.board.latest["P-0001"]?.state == .hospitalised)
        let exports = try await store.auditEntries().map(\.payload).filter { $0.contains("person.export") }
        #expect(exports.count == 2)
        // A person's checks go with them.
        try await store.deleteExpiredPeople(now: kept.addingTimeInterval(1), by: .localTool("test"))
        #expect(try await store.safetyChecks(of: ["P-0001", "P-0002", "P-0003"], key: key).isEmpty)
    }
}
