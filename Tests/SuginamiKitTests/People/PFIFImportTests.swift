import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// Person Finder's notes back into safety reports: a document the PFIF 1.4 schema accepts is
/// read; each status becomes its state or is left out saying why; notes on other repositories'
/// records are left out; a note already recorded is not recorded twice; bad documents are
/// refused by line and field.
@Suite struct PFIFImportTests {
    static let sample = Programs.repositoryRoot.appendingPathComponent(
        "Tests/Clients/pfif/samples/person-finder-notes.xml")

    @Test func notesBecomeReportsAndTheRestIsListed() throws {
        // The sample is valid PFIF 1.4 by the spec's RELAX NG schema (lxml).
        let valid = try Programs.run(
            "/usr/bin/python3",
            [Programs.repositoryRoot.appendingPathComponent("Tests/Clients/pfif/validate.py").path, Self.sample.path])
        #expect(valid.status == 0, "\(valid.stdout)")
        let notes = try PFIFImport(domain: "city.suginami.tokyo.jp").notes(
            in: try Data(contentsOf: Self.sample), file: "notes.xml")
        #expect(notes.checks.map(\.personID) == ["P-0001", "P-0003", "P-9999"])
        #expect(notes.checks.map(\.state) == [.safeElsewhere, .missing, .safeElsewhere])
        #expect(notes.checks[0].source == "Person Finder: 杉並 一郎（長男） (note google.org/note.1001)")
        #expect(notes.checks[0].observedAt == (try Date("2027-04-02T02:30:00Z", strategy: .iso8601)))
        #expect(notes.skipped.map(\.note) == ["google.org/note.1003", "google.org/note.1004", "google.org/note.1005"])
        #expect(notes.skipped[0].reason.contains("a death is recorded by headquarters"))
        #expect(notes.skipped[2].reason.contains("not a record of city.suginami.tokyo.jp"))
    }

    @Test func badDocumentsAreRefusedByLineAndField() throws {
        func refusal(_ text: String) -> String {
            do {
                _ = try PFIFImport(domain: "city.suginami.tokyo.jp").notes(in: Data(text.utf8), file: "n.xml")
                return "accepted"
            } catch {
                return error.description
            }
        }
        let open = "<pfif:pfif xmlns:pfif=\"http://zesty.ca/pfif/1.4\">\n"
        let note = { (fields: String) in open + "<pfif:note>\(fields)</pfif:note>\n</pfif:pfif>" }
        let complete =
            "<pfif:note_record_id>n/1</pfif:note_record_id><pfif:person_record_id>city.suginami.tokyo.jp/P-1</pfif:person_record_id>"
            + "<pfif:author_name>a</pfif:author_name><pfif:source_date>2027-04-02T02:30:00Z</pfif:source_date>"
        #expect(refusal(note(complete + "<pfif:status>believed_alive</pfif:status>")) == "accepted")
        #expect(refusal("<pfif xmlns=\"http://zesty.ca/pfif/1.3\"/>").contains("not PFIF 1.4"))
        #expect(refusal("<people/>").contains("not <pfif:pfif>"))
        #expect(
            refusal(note(complete.replacingOccurrences(of: "<pfif:author_name>a</pfif:author_name>", with: "")))
                .contains("line 2, field author_name"))
        #expect(
            refusal(note(complete.replacingOccurrences(of: "02:30:00Z", with: "02:30:00+09:00"))).contains("UTC time"))
        #expect(refusal(note(complete + "<pfif:status>fine</pfif:status>")).contains("is not a PFIF status"))
        #expect(refusal(open + "<pfif:record/></pfif:pfif>").contains("neither a person nor a note"))
        #expect(refusal("<pfif:pfif").contains("not closed"))
    }

    @Test(arguments: StoreBackend.allCases)
    func aStoreRecordsEachNoteOnceAndOnlyForItsRoster(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await backend.makeStore()
        let key = try PersonalDataKey.generate(at: directory.appendingPathComponent("people.key"))
        try await store.saveRoster(
            try PeopleStoreTests.roster(), key: key, retainUntil: Date(timeIntervalSinceNow: 86_400),
            by: .localTool("test"))
        let notes = try PFIFImport(domain: "city.suginami.tokyo.jp").notes(
            in: try Data(contentsOf: Self.sample), file: "notes.xml")
        let noon = try Date("2027-04-02T12:00:00Z", strategy: .iso8601)
        // Before the notes were written, none can be recorded: each says why.
        let early = try await store.importPersonFinderNotes(
            notes.checks, by: PeopleStoreTests.headquarters, from: "127.0.0.1", key: key,
            now: try Date("2027-04-01T00:00:00Z", strategy: .iso8601))
        #expect(early.recorded == 0 && early.skipped.filter { $0.hasSuffix("observed_at: after now") }.count == 2)
        let first = try await store.importPersonFinderNotes(
            notes.checks, by: PeopleStoreTests.headquarters, from: "127.0.0.1", key: key, now: noon)
        #expect(
            first.recorded == 2
                && first.skipped == ["Person Finder: 誰か (note google.org/note.1006): P-9999 is not on the roster"])
        let again = try await store.importPersonFinderNotes(
            notes.checks, by: PeopleStoreTests.headquarters, from: "127.0.0.1", key: key, now: noon)
        #expect(again.recorded == 0 && again.skipped.filter { $0.hasSuffix("already recorded") }.count == 2)
        await #expect(throws: PeopleStoreError.exportByHeadquartersOnly) {
            try await store.importPersonFinderNotes(
                notes.checks, by: PeopleStoreTests.staff, from: "x", key: key, now: noon)
        }
        let overview = try await store.safetyOverview(
            visibleTo: PeopleStoreTests.headquarters, from: "127.0.0.1",
            policy: PersonalDataPolicy(disasterDeclared: true), key: key, purpose: "test")
        #expect(overview.first { $0.person.id == "P-0001" }?.latest?.state == .safeElsewhere)
        #expect(overview.first { $0.person.id == "P-0003" }?.latest?.state == .missing)
    }
}
