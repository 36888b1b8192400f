import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

/// PFIF 1.4 export: only people who consented, only the fields finding them needs, their latest
/// state as a note (never a death), and a document the PFIF 1.4 schema accepts (lxml's RELAX NG
/// validator over the spec's schema), which also refuses a document without a required field.
@Suite struct PFIFExportTests {
    static let export = PFIFExport(
        domain: "city.suginami.tokyo.jp", sourceName: "Suginami City", city: "杉並区", state: "JP-13")
    static let now = Date(timeIntervalSince1970: 1_806_000_000)

    func validate(_ text: String, in directory: URL) throws -> (status: Int32, stdout: String) {
        let file = directory.appendingPathComponent("people-\(UUID().uuidString).pfif.xml")
        try Data(text.utf8).write(to: file)
        let run = try Programs.run(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/pfif/validate.py").path, file.path])
        return (run.status, run.stdout + run.stderr)
    }

    @Test func consentedPeopleOnlyWithTheirLatestStateAndTheSchemaAcceptsIt() throws {
        var roster = try PeopleStoreTests.roster()  // P-0001 同意, P-0002 不同意, P-0003 同意
        roster.append(
            PersonNeedingSupport(
                id: "P-0004", name: "推定 同意", kana: "すいてい", address: "東京都杉並区",
                position: roster[0].position, dateOfBirth: roster[0].dateOfBirth, needs: [.sight], consent: .presumed))
        let board = SafetyBoard([
            SafetyCheck(
                personID: "P-0001", state: .hospitalised, observedAt: Self.now.addingTimeInterval(-600), source: "救援所職員"
            ),
            SafetyCheck(personID: "P-0002", state: .safeAtHome, observedAt: Self.now, source: "支援者"),
            SafetyCheck(personID: "P-0003", state: .deceased, observedAt: Self.now, source: "本部"),
        ])
        let text = try Self.export.document(
            people: roster, board: board, now: Self.now, expiry: Self.now.addingTimeInterval(40 * 86_400))
        #expect(text.contains("<pfif:person_record_id>city.suginami.tokyo.jp/P-0001</pfif:person_record_id>"))
        #expect(text.contains("<pfif:full_name>杉並 花子</pfif:full_name>") && text.contains("すぎなみ はなこ"))
        #expect(text.contains("<pfif:status>believed_alive</pfif:status>") && text.contains("入院しています。"))
        #expect(text.contains("<pfif:source_date>2027-03-25T18:30:00Z</pfif:source_date>"))
        #expect(text.contains("city.suginami.tokyo.jp/P-0003") && !text.contains("believed_dead"))
        for absent in ["P-0002", "P-0004", "高円寺", "阿佐谷南", "03-3312", "1941", "車いす", "wheelchair", "阿佐谷 次郎"] {
            #expect(!text.contains(absent), "\(absent) was exported")
        }
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let valid = try validate(text, in: directory)
        #expect(valid.status == 0 && valid.stdout.contains(": ok"), "\(valid.stdout)")
        // The validator does refuse: a person without full_name, a status PFIF does not have.
        let nameless = text.replacingOccurrences(of: "<pfif:full_name>杉並 花子</pfif:full_name>", with: "")
        #expect(try validate(nameless, in: directory).status == 1)
        let badStatus = text.replacingOccurrences(of: "believed_alive", with: "believed_fine")
        #expect(try validate(badStatus, in: directory).status == 1)
    }

    @Test func whatPFIFDoesNotAllowIsRefused() throws {
        var export = Self.export
        export.domain = "City Of Suginami"
        #expect(throws: PFIFError.badDomain("City Of Suginami")) {
            try export.document(people: [], board: SafetyBoard(), now: Self.now, expiry: Self.now + 1)
        }
        export = Self.export
        export.sourceName = "杉並区"
        #expect(throws: PFIFError.sourceNameNotASCII("杉並区")) {
            try export.document(people: [], board: SafetyBoard(), now: Self.now, expiry: Self.now + 1)
        }
        #expect(throws: PFIFError.expiryNotAfterNow) {
            try Self.export.document(people: [], board: SafetyBoard(), now: Self.now, expiry: Self.now)
        }
    }
}
