import Foundation
import SuginamiCore
import SuginamiTestSupport
import Testing

@testable import SuginamiSecurity

/// The repository's example inventory and its evidence bundle.
enum Example {
    static let root = Programs.repositoryRoot
    static let directory = root.appendingPathComponent("Examples/ISMS")
    static let inventory = directory.appendingPathComponent("inventory.yaml")
    static let evidence = directory.appendingPathComponent("evidence")
    static let waivers = directory.appendingPathComponent("waivers.yaml")
    static let time = Timestamp("2026-11-27T09:00:00+09:00")!

    static func check() throws -> ISMSCheck {
        try ISMSCheck(inventory: inventory, evidence: evidence, waivers: waivers, at: time)
    }

    static func outcome(_ result: AssessmentResult, _ rule: String) throws -> RuleOutcome {
        try #require(result.outcomes.first { $0.rule.id == rule })
    }

    /// A scratch directory, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("isms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite("ISMS checks on the example inventory")
struct ISMSExampleTests {
    @Test func transitivePathIntoTheMyNumberZoneIsFoundAndExplained() throws {
        let result = try Example.check().result
        let separation = try Example.outcome(result, "mic-net-01")
        #expect(separation.verdict == .fail)
        let subject = try #require(separation.subjects.first)
        #expect(subject.subject == "mynumber↔internet")
        #expect(subject.facts == ["in-opendata-01 →[f-opendata-upload]→ lg-file-01 →[f-lg-to-mn-print]→ mn-jyuki-01"])
        #expect(subject.evidence.contains("fw-export-2026-11"))
        // The sanitised mail, file and screen flows carry no path: only the unsanitised upload does.
        let sanitiser = try Example.outcome(result, "mic-net-04")
        #expect(sanitiser.subjects.filter { $0.verdict == .fail }.map(\.subject) == ["f-opendata-upload"])
        #expect(sanitiser.subjects.filter { $0.verdict == .pass }.count == 3)
    }

    @Test func waiversKeepFailsVisibleAndExpiredOnesAreReported() throws {
        let result = try Example.check().result
        let pinned = try Example.outcome(result, "mic-net-02")
        let waived = try #require(pinned.subjects.first { $0.subject == "f-lg-to-mn-print" })
        #expect(waived.verdict == .fail && waived.waiver?.approver == "CISO 副区長")
        #expect(waived.explanation.contains("10.20.0.0/16") && waived.explanation.contains("9100-9200"))
        #expect(pinned.verdict == .fail && pinned.unwaivedFailures == 0)
        // The pinned flows to LGWAN and マイナポータル pass.
        #expect(
            pinned.subjects.filter { $0.verdict == .pass }.map(\.subject).sorted() == [
                "f-mn-portal", "f-mn-renkei-lgwan",
            ])
        // The shared-account waiver expired in March: reported and not applied.
        #expect(result.expiredWaivers.map(\.subject) == ["a-shared-bousai"])
        let shared = try Example.outcome(result, "mic-auth-03")
        #expect(shared.subjects.first { $0.subject == "a-shared-bousai" }?.waiver == nil)
        #expect(result.hasUnwaivedFailures)
    }

    @Test func factorCategoriesNotMethodsCount() throws {
        let result = try Example.check().result
        let mfa = try Example.outcome(result, "mic-auth-01")
        let verdicts = Dictionary(uniqueKeysWithValues: mfa.subjects.map { ($0.subject, $0.verdict) })
        // password + PIN is one category; password + vein and password + IC card are two.
        #expect(verdicts["a-hoken-01"] == .fail)
        #expect(verdicts["a-kumin-01"] == .pass && verdicts["a-kazei-01"] == .pass && verdicts["a-admin-mn"] == .pass)
        // LGWAN-only staff are not in this rule's scope.
        #expect(verdicts["a-staff-lg"] == nil)
    }

    @Test func staleEvidenceIsNotAssessedNeverPassAndKnownViolationsStayFails() throws {
        // Three years later every piece of evidence is stale: no rule may pass, but what the
        // inventory itself shows to be wrong (the account without MFA) is still a fail.
        let now = try ISMSCheck(inventory: Example.inventory, evidence: Example.evidence, at: Example.time).result
        let later = Timestamp("2029-11-27T09:00:00+09:00")!
        let result = try ISMSCheck(inventory: Example.inventory, evidence: Example.evidence, at: later).result
        let subjects = result.outcomes.flatMap(\.subjects)
        #expect(!subjects.isEmpty)
        #expect(!subjects.contains { $0.verdict == .pass })
        #expect(subjects.filter { $0.verdict != .fail }.allSatisfy { $0.verdict == .notAssessed })
        #expect(subjects.first { $0.verdict == .notAssessed }?.explanation.contains("days old") == true)
        let failsNow = Set(
            now.outcomes.flatMap { o in o.subjects.filter { $0.verdict == .fail }.map { "\(o.rule.id) \($0.subject)" } }
        )
        let failsLater = Set(
            result.outcomes.flatMap { o in
                o.subjects.filter { $0.verdict == .fail }.map { "\(o.rule.id) \($0.subject)" }
            })
        #expect(!failsNow.isEmpty && failsNow.isSubset(of: failsLater), "\(failsNow.subtracting(failsLater))")
        #expect(result.outcomes.first { $0.rule.id == "mic-auth-01" }?.verdict == .fail)
        #expect(result.hasUnwaivedFailures)
    }

    @Test func localRulesAndNetworkModelApplicability() throws {
        let directory = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("local.yaml")
        try """
        catalogueVersion: 1
        name: 区独自ルール
        rules:
          - id: local-beta-edr
            title: β系端末のEDR
            level: local
            source: {document: local policy}
            maps: [{control: "8.7", relation: supports}]
            applies: {networkModels: [beta, betaPrime]}
            check: {kind: attribute, collection: assets, where: {zoneKind: [internet], type: [terminal]}, attribute: edr, values: ["true"]}
            severity: high
          - id: local-policy-review
            title: ポリシー見直し
            level: local
            source: {document: local policy}
            maps: [{control: "5.1", relation: subset}]
            check: {kind: freshness, collection: policies, attribute: nextReview, future: true}
            maxEvidenceAgeDays: 1100
            severity: low
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try ISMSCheck(
            inventory: Example.inventory, evidence: Example.evidence, catalogues: [file], at: Example.time
        ).result
        // The example is an α organisation: the β rule does not apply, and says why.
        let beta = try Example.outcome(result, "local-beta-edr")
        #expect(beta.verdict == .notApplicable && beta.note?.contains("this organisation is alpha") == true)
        // The standards were due for review in March 2026.
        let review = try Example.outcome(result, "local-policy-review")
        #expect(review.subjects.map(\.verdict) == [.fail, .pass])
        #expect(review.subjects.first?.subject == "policy:standards")
    }

    @Test func manualRulesAndUnmappedControlsAreManual() throws {
        let result = try Example.check().result
        let policy = try Example.outcome(result, "mic-pol-01")
        #expect(policy.verdict == .notAssessed && policy.subjects.isEmpty)
        let soa = result.applicability.entries
        #expect(soa.count == 93)
        let physical = try #require(soa.first { $0.control.id == "7.5" })
        #expect(!physical.applicable && physical.verdict == nil)
        let segregation = try #require(soa.first { $0.control.id == "8.22" })
        #expect(segregation.method == "machine" && segregation.verdict == .fail)
        let awareness = try #require(soa.first { $0.control.id == "6.3" })
        #expect(awareness.method == "manual" && awareness.verdict == nil && awareness.rules.isEmpty)
        // 5.1 has the manual approval rule and a machine review-date rule: machine-checked.
        let policyControl = try #require(soa.first { $0.control.id == "5.1" })
        #expect(policyControl.method == "machine" && policyControl.rules.count == 2)
    }

    @Test func outputsAreDeterministicAndReferencesResolve() throws {
        let first = try Example.check()
        let second = try Example.check()
        let a = try OSCALAssessmentResults.document(
            for: first.result, catalogues: first.catalogues, results: .unverified)
        let b = try OSCALAssessmentResults.document(
            for: second.result, catalogues: second.catalogues, results: .unverified)
        #expect(a == b)
        let tree = try JSONDecoder().decode(JSONNode.self, from: a)
        #expect(OSCALAssessmentResults.referenceProblems(in: tree).isEmpty)
        // The checker itself catches a dangling observation reference.
        let text = String(decoding: a, as: UTF8.self)
        let observation = try #require(text.range(of: #""observation-uuid" : ""#))
        var broken = text
        broken.replaceSubrange(
            observation.upperBound..<text.index(observation.upperBound, offsetBy: 8), with: "ffffffff")
        let brokenTree = try JSONDecoder().decode(JSONNode.self, from: Data(broken.utf8))
        #expect(OSCALAssessmentResults.referenceProblems(in: brokenTree).count == 1)
    }

    @Test func failsSayWhatToDo() throws {
        let check = try Example.check()
        let html = HTMLReport.page(for: check.result)
        #expect(html.contains("是正 (remediation): マイナンバー利用事務系とインターネット接続系をつなぐ許可通信"))
        let oscal = String(
            decoding: try OSCALAssessmentResults.document(
                for: check.result, catalogues: check.catalogues, results: .unverified),
            as: UTF8.self)
        #expect(oscal.contains("Remediation: Remove every allowed flow"))
    }

    @Test func sarifAndJUnitCarryTheSameFails() throws {
        let result = try Example.check().result
        let subjects = result.outcomes.flatMap(\.subjects)
        let unwaived = subjects.count { $0.verdict == .fail && $0.waiver == nil }
        let sarif = try JSONDecoder().decode(JSONNode.self, from: try CIReports.sarif(for: result))
        let text = String(decoding: try JSONEncoder().encode(sarif), as: UTF8.self)
        #expect(text.contains(#""version":"2.1.0""#))
        #expect(text.components(separatedBy: #""level":"error""#).count - 1 == unwaived + 1)  // + the waived one
        #expect(text.contains(#""suppressions""#))
        let junit = CIReports.junit(for: result)
        #expect(junit.contains("failures=\"\(unwaived)\""))
        #expect(junit.contains("<skipped message=\"waived: "))
        #expect(CIReports.xml("a<b & \"c\"\u{01}\n'") == "a&lt;b &amp; &quot;c&quot;&#10;&#39;")
    }

    @Test func importHrefIsAURIAndEveryControlIDResolvesToAnnexA() throws {
        let check = try Example.check()
        let text = String(
            decoding: try OSCALAssessmentResults.document(
                for: check.result, catalogues: check.catalogues, results: .unverified),
            as: UTF8.self)
        // RFC 3986 characters only: the catalogue's name holds spaces and Japanese.
        let href = try #require(
            text.firstMatch(of: #/"import-ap" : \{\s*"href" : "([^"]*)"/#)?.1
        ).description
        #expect(check.catalogues.contains { $0.contains(" ") })
        let uriCharacters = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
        #expect(href.hasPrefix("urn:suginamikit:isms-plan:"), "\(href)")
        #expect(href.unicodeScalars.allSatisfy(uriCharacters.contains), "\(href)")
        #expect(href.firstMatch(of: /%(?![0-9A-F]{2})/) == nil)
        // Every control id the results name is an Annex A control of the bundled catalogue.
        let annexA = Set(try AnnexACatalogue.bundled().controls.map { "a.\($0.id)" })
        let named = Set(text.matches(of: /"control-id" : "([^"]*)"/).map { String($0.1) })
            .union(text.matches(of: /"value" : "(a\.[0-9]+\.[0-9]+)"/).map { String($0.1) })
        #expect(!named.isEmpty)
        #expect(named.isSubset(of: annexA), "\(named.subtracting(annexA))")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(
                atPath: Example.root.appendingPathComponent("../shared/peers/oscal_validate.sh").path),
            "needs ../shared/peers/oscal_validate.sh"))
    func oscalDocumentPassesThreeValidators() throws {
        let out = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        try Example.check().write(to: out)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            Example.root.appendingPathComponent("../shared/peers/oscal_validate.sh").path,
            out.appendingPathComponent("assessment-results.json").path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("ov=0 schema=0 trestle=0"), "\(output)")
    }

    @Test func writesAllReportsAndTheDiffSeesAFix() throws {
        let out = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let before = out.appendingPathComponent("before")
        try Example.check().write(to: before)
        for name in ISMSCheck.outputFiles {
            #expect(FileManager.default.fileExists(atPath: before.appendingPathComponent(name).path), "\(name)")
        }
        let html = try String(contentsOf: before.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("不適合") && html.contains("mic-net-01") && html.contains("適用宣言書"))
        // Fails come before passes in the report.
        let firstFail = try #require(html.range(of: "class=\"fail\">不適合"))
        let firstPass = try #require(html.range(of: "class=\"pass\">適合"))
        #expect(firstFail.lowerBound < firstPass.lowerBound)
        let csv = try String(
            contentsOf: before.appendingPathComponent("statement-of-applicability.csv"), encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 94)

        // Remove the unsanitised upload: the separation rules are fixed, nothing regresses.
        let fixed = out.appendingPathComponent("inventory.yaml")
        let text = try String(contentsOf: Example.inventory, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.contains("id: f-opendata-upload")
        }
        try lines.joined(separator: "\n").write(to: fixed, atomically: true, encoding: .utf8)
        let after = try ISMSCheck(
            inventory: fixed, evidence: Example.evidence, waivers: Example.waivers, at: Example.time)
        let comparison = RunComparison(previous: try ISMSCheck.readResult(before), current: after.result)
        #expect(comparison.regressions.isEmpty)
        #expect(Set(comparison.fixes.map(\.rule)).isSuperset(of: ["mic-net-01", "mic-net-01b"]))
        #expect(comparison.removed.map(\.subject).contains("f-opendata-upload"))
        #expect(comparison.changedEvidence.isEmpty)
    }

    /// From an async context the check runs off the cooperative pool and gives the same result.
    @Test func theAsyncCheckGivesTheSameResult() async throws {
        let synchronous = try Example.check()
        let asynchronous = try await ISMSCheck(
            inventory: Example.inventory, evidence: Example.evidence, waivers: Example.waivers, at: Example.time)
        #expect(asynchronous.result == synchronous.result)
    }
}

extension OSCALAssessmentResults.ResultsFile {
    /// A citation of a results file no test reads, for documents built without writing one.
    static let unverified = Self(href: "results.json", sha256: String(repeating: "0", count: 64))
}

@Suite("ISMS reports at scale and in Japanese")
struct ISMSReportTests {
    @Test func oscalSummarisesPassesPerRuleAndCitesTheResultsByHash() throws {
        let check = try Example.check()
        let out = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let directory = out.appendingPathComponent("run")
        try check.write(to: directory)
        let results = try Data(contentsOf: directory.appendingPathComponent("results.json"))
        let text = try String(contentsOf: directory.appendingPathComponent("assessment-results.json"), encoding: .utf8)
        let tree = try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8))
        #expect(OSCALAssessmentResults.referenceProblems(in: tree).isEmpty)
        // One observation per subject a reader must see, one per rule for its passes.
        let subjects = check.result.outcomes.flatMap(\.subjects)
        let shown = subjects.count { $0.verdict != .pass || $0.waiver != nil }
        let summaries = check.result.outcomes.count { $0.subjects.contains { $0.verdict == .pass && $0.waiver == nil } }
        guard case .object(let document) = tree, case .object(let root)? = document["assessment-results"],
            case .array(let runs)? = root["results"], case .object(let run)? = runs.first,
            case .array(let observations)? = run["observations"]
        else {
            Issue.record("the document has no observations")
            return
        }
        #expect(observations.count == shown + summaries)
        #expect(text.contains(#""href" : "results.json""#))
        #expect(text.contains(EvidenceBundle.sha256Hex(results)))
        #expect(text.contains("3 subjects: pass"))  // mic-net-04's three sanitised flows
    }

    @Test func resultsJSONMadeInPartsIsTheWholeEncoded() throws {
        let result = try Example.check().result
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let parts = try result.outcomes.map { try encoder.encode($0) }
        #expect(try ISMSCheck.resultsJSON(result, outcomes: parts) == (try encoder.encode(result)))
    }

    @Test func findingsAreExplainedInJapaneseWithTheEnglishBeside() throws {
        let result = try Example.check().result
        let html = HTMLReport.page(for: result)
        #expect(html.contains("マイナンバー利用事務系とインターネット接続系の間を、許可された通信がつないでいます"))
        #expect(html.contains("<span lang=\"en\">"))
        // A waiver shows its approver, expiry and reason, where it applies and in the list.
        let pinned = try Example.outcome(result, "mic-net-02")
        let waiver = try #require(pinned.subjects.compactMap(\.waiver).first)
        #expect(html.contains("理由 (reason): \(waiver.reason.htmlEscaped)"))
        #expect(html.contains("適用中 (applied)"))
    }

    @Test func aSyntheticFixtureIsCheckedAsTheCommandWouldCheckIt() throws {
        let out = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        var counts: [[Verdict: Int]] = []
        for format in SyntheticInventory.Format.allCases {
            let written = try SyntheticInventory.writeFixture(
                to: out.appendingPathComponent(format.rawValue), assets: 200, flows: 2_000, format: format)
            let check = try ISMSCheck(inventory: written.inventory, evidence: written.evidence, at: Example.time)
            counts.append(check.result.ruleCounts)
            // The fixture's few offending cross-zone flows break the separation.
            #expect(try Example.outcome(check.result, "mic-net-01").verdict == .fail)
        }
        #expect(counts.count == 2 && counts[0] == counts[1])
        // The fixture replaces only an earlier fixture.
        let foreign = out.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        #expect(throws: OutputDirectoryError.self) {
            try SyntheticInventory.writeFixture(to: foreign, assets: 10, flows: 10)
        }
        #expect(try String(contentsOf: foreign.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    }
}
