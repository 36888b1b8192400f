import Foundation
import SuginamiCore
import Testing

@testable import SuginamiSecurity

/// The evidence-facts rule: the example bundle's MFA enrolment export (JSON) and backup job
/// list (CSV) state the inventory's values; a file that says otherwise is a fail naming it.
@Suite("ISMS evidence facts")
struct EvidenceFactsTests {
    /// The example checked with one evidence file rewritten (its hash updated in the manifest).
    static func check(rewriting file: String, _ edit: (String) -> String) throws -> AssessmentResult {
        let copy = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: copy) }
        let bundle = copy.appendingPathComponent("evidence")
        try FileManager.default.copyItem(at: Example.evidence, to: bundle)
        let url = bundle.appendingPathComponent(file)
        let original = try String(contentsOf: url, encoding: .utf8)
        let edited = edit(original)
        #expect(edited != original, "the edit changed nothing in \(file)")
        try Data(edited.utf8).write(to: url)
        let manifestURL = bundle.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8).replacingOccurrences(
            of: EvidenceBundle.sha256Hex(Data(original.utf8)), with: EvidenceBundle.sha256Hex(Data(edited.utf8)))
        try Data(manifest.utf8).write(to: manifestURL)
        return try ISMSCheck(
            inventory: Example.inventory, evidence: bundle, waivers: Example.waivers, at: Example.time
        ).result
    }

    @Test func theExampleFilesStateWhatTheInventoryDeclares() throws {
        let outcome = try Example.outcome(try Example.check().result, "sgk-evid-01")
        #expect(outcome.verdict == .pass && outcome.subjects.count == 5)
        #expect(
            outcome.subjects.contains { $0.facts.first?.contains("backup-jobs.csv, record system=lg-file-01") == true })
    }

    @Test func aJSONExportThatDisagreesIsAFailNamingTheFileAndPlace() throws {
        let result = try Self.check(rewriting: "idp-export.json") {
            $0.replacingOccurrences(
                of: #"{"id": "a-admin-mn", "methods": ["password", "hardware-token", "fingerprint"]}"#,
                with: #"{"id": "a-admin-mn", "methods": ["password"]}"#)
        }
        let outcome = try Example.outcome(result, "sgk-evid-01")
        let failed = try #require(outcome.subjects.first { $0.verdict == .fail })
        #expect(failed.subject == "idp-export-2026-11:a-admin-mn.authMethods")
        #expect(
            failed.explanation
                == "idp-export.json states [\"password\"] where the inventory declares [password, hardware-token, fingerprint]"
        )
        #expect(failed.facts.first?.hasPrefix("idp-export.json at /accounts/2/methods") == true)
        #expect(HTMLReport.page(for: result).contains("証跡ファイルの内容が、台帳の記載と一致しない"))
    }

    @Test func aCSVRecordThatDisagreesOrIsMissingIsAFail() throws {
        let later = try Self.check(rewriting: "backup-jobs.csv") {
            $0.replacingOccurrences(
                of: "lg-file-01,2026-11-12T01:00:00+09:00", with: "lg-file-01,2026-11-02T01:00:00+09:00")
        }
        let failed = try Example.outcome(later, "sgk-evid-01").subjects.filter { $0.verdict == .fail }
        #expect(failed.map(\.subject) == ["backup-jobs-2026-11:backup:lg-file-01.lastSuccessAt"])
        let missing = try Self.check(rewriting: "backup-jobs.csv") {
            $0.replacingOccurrences(of: "mn-jyuki-01,2026-11-20T02:00:00+09:00,OK\n", with: "")
        }
        let gone = try #require(
            try Example.outcome(missing, "sgk-evid-01").subjects.first { $0.verdict == .fail })
        #expect(gone.explanation.hasPrefix("backup-jobs.csv has no records with system=mn-jyuki-01"))
    }

    @Test func aMalformedDeclarationIsBadInput() throws {
        let problems = try ISMSBadInputTests.bundleProblems { bundle in
            let url = bundle.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: #""pointer": "/accounts/0/methods""#, with: #""pointer": "accounts/0""#)
                .replacingOccurrences(of: #""attribute": "lastSuccessAt""#, with: #""attribute": "lastSucess""#)
            try Data(text.utf8).write(to: url)
        }
        #expect(problems.contains { $0.location.hasSuffix("facts[0].pointer") && $0.reason.contains("JSON Pointer") })
        #expect(
            problems.contains {
                $0.location.hasSuffix("facts[0].attribute") && $0.reason.contains("not an attribute of backups")
            }, "\(problems)")
    }

    @Test func pointersFollowRFC6901() {
        let document = DocumentValue.object([
            .init(key: "a/b", value: .array([.integer(1), .object([.init(key: "m~n", value: .string("x"))])]))
        ])
        #expect(DeclaredFact.resolve("/a~1b/1/m~0n", in: document) == .string("x"))
        #expect(DeclaredFact.resolve("/a~1b/01", in: document) == nil)
        #expect(DeclaredFact.resolve("", in: document) == document)
    }
}
