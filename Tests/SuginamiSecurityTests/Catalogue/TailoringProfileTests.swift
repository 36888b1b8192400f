import Foundation
import SuginamiCore
import Testing

@testable import SuginamiSecurity

/// Tailoring profiles on the example inventory: what each part changes, as the results, the
/// SoA and the report show it, and the bad profiles refused.
@Suite("ISMS tailoring profiles")
struct TailoringProfileTests {
    /// `Examples/ISMS/profile.yaml`: one rule disabled, one tailored, one added, two controls
    /// inherited.
    static var profile: String {
        get throws { try String(contentsOf: Example.directory.appendingPathComponent("profile.yaml"), encoding: .utf8) }
    }

    static func check(profile text: String) throws -> ISMSCheck {
        let directory = try Example.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("profile.yaml")
        try Data(text.utf8).write(to: file)
        return try ISMSCheck(
            inventory: Example.inventory, evidence: Example.evidence, profile: file, waivers: Example.waivers,
            at: Example.time)
    }

    static func problems(profile text: String) -> [ISMSInputError] {
        do {
            _ = try check(profile: text)
            return []
        } catch let error as ISMSValidationFailure {
            return error.errors
        } catch {
            return [ISMSInputError(file: "", location: "", reason: "\(error)")]
        }
    }

    @Test func disabledRulesAreKeptWithTheirReasonAndCountNowhere() throws {
        let plain = try Example.check().result
        #expect(try Example.outcome(plain, "mic-auth-03").verdict == .fail)
        let result = try Self.check(profile: try Self.profile).result
        let disabled = try Example.outcome(result, "mic-auth-03")
        #expect(disabled.verdict == .notApplicable && disabled.subjects.isEmpty)
        #expect(disabled.tailoring?.disabled == true && disabled.note?.contains("共用端末") == true)
        // The SoA line of its control says so, and the rule no longer decides it.
        let soa = try #require(result.applicability.entries.first { $0.control.id == "5.16" })
        let mapped = try #require(soa.rules.first { $0.rule == "mic-auth-03" })
        #expect(!mapped.machineChecked && mapped.disabled?.contains("共用端末") == true)
        #expect(soa.justification.contains("rule mic-auth-03 disabled by the profile: 防災課の共用端末"))
        let html = HTMLReport.page(for: result)
        #expect(html.contains("無効化 (disabled)") && html.contains("防災課の共用端末は令和8年度に個人IDへ移行"))
        #expect(try Self.check(profile: try Self.profile).statementCSV().contains("disabled by the profile"))
    }

    @Test func aTailoredParameterAndSeverityChangeTheVerdictAndTheGate() throws {
        let plain = try Example.outcome(try Example.check().result, "mic-log-01")
        let result = try Self.check(profile: try Self.profile).result
        let tailored = try Example.outcome(result, "mic-log-01")
        // At 1,825 days every source but the three My Number systems falls short.
        #expect(plain.subjects.count { $0.verdict == .fail } == 1)
        #expect(tailored.subjects.count { $0.verdict == .fail } == 3)
        #expect(tailored.rule.severity == .high && tailored.rule.parameterOverrides == ["logRetentionDays": 1825])
        #expect(
            tailored.tailoring?.changes == ["severity medium → high", "logRetentionDays → 1825 for this rule"])
        #expect(tailored.subjects.contains { $0.explanation.contains("logRetentionDays is 1825") })
    }

    @Test func ownRulesRunAndInheritedControlsShowInTheSoA() throws {
        let result = try Self.check(profile: try Self.profile).result
        let own = try Example.outcome(result, "local-usb-01")
        #expect(own.verdict == .fail && own.subjects.contains { $0.verdict == .pass })
        let cloud = try #require(result.applicability.entries.first { $0.control.id == "8.16" })
        #expect(cloud.inherited?.provider == "東京都 自治体情報セキュリティクラウド")
        #expect(cloud.justification.contains("inherited from 東京都 自治体情報セキュリティクラウド"))
        // Checked by rules, the control stays "machine" and says it is also inherited; with no
        // rule of its own, it is "inherited" instead of "manual".
        #expect(cloud.method == "machine")
        let network = try #require(result.applicability.entries.first { $0.control.id == "8.21" })
        #expect(network.method == "inherited" && network.justification.contains("evidence audit-report-2026"))
    }

    @Test(arguments: [
        ("disable:\n  - {rule: mic-nope, reason: x}", "disable[0].rule", "unknown rule \"mic-nope\""),
        ("disable:\n  - {rule: mic-auth-03, reason: \" \"}", "disable[0].reason", "say why"),
        (
            "disable:\n  - {rule: mic-auth-03, reason: a}\ntailor:\n  - {rule: mic-auth-03, reason: b, severity: low}",
            "tailor[0].rule", "more than once"
        ),
        ("tailor:\n  - {rule: mic-log-01, reason: r}", "tailor[0]", "changes nothing"),
        (
            "tailor:\n  - {rule: mic-log-01, reason: r, parameters: {logRetentionDayz: 9}}",
            "tailor[0].parameters.logRetentionDayz", "unknown parameter"
        ),
        (
            "tailor:\n  - {rule: mic-auth-03, reason: r, parameters: {logRetentionDays: 9}}",
            "tailor[0].parameters.logRetentionDays", "does not read logRetentionDays"
        ),
        (
            "tailor:\n  - {rule: mic-log-01, reason: r, check: {minimum: 3}}", "tailor[0].check.minimum",
            "a retention-min check has no minimum"
        ),
        (
            "inherited:\n  - {control: \"8.99\", provider: p, reference: r}", "inherited[0].control",
            "not one of the 93"
        ),
        (
            "inherited:\n  - {control: \"8.16\", provider: p, evidence: ev-nope}", "inherited[0].evidence",
            "not in the evidence manifest"
        ),
        ("tailor:\n  - {rule: mic-log-01, reason: r, severty: high}", "tailor[0].severty", "unknown field"),
        ("disable:\n  - {rule: mic-auth-03, reason: a, note: ~}", "disable[0].note", "unknown field"),
    ])
    func badProfilesAreRefusedNamingThePlace(body: String, location: String, reason: String) {
        let problems = Self.problems(profile: "profileVersion: 1\nname: p\n" + body)
        #expect(
            problems.contains { $0.location == location && $0.reason.contains(reason) },
            "expected \(location): …\(reason)…, got \(problems)")
    }
}

extension TailoringProfileTests {
    @Test func theDiffSaysARuleWasDisabledAndTheOSCALFindingCarriesTheReason() throws {
        let before = try Example.check().result
        let tailored = try Self.check(profile: try Self.profile)
        let comparison = RunComparison(previous: before, current: tailored.result)
        // The shared account's fail is gone because the rule is disabled, not because it was fixed.
        #expect(!comparison.fixes.contains { $0.rule == "mic-auth-03" })
        #expect(comparison.tailoring.map(\.rule) == ["mic-auth-03", "mic-log-01"])
        #expect(comparison.summary.contains("mic-auth-03: as catalogued → disabled (防災課の共用端末"))
        let oscal = String(
            decoding: try OSCALAssessmentResults.document(
                for: tailored.result, catalogues: tailored.catalogues, results: .unverified),
            as: UTF8.self)
        #expect(oscal.contains("Tailoring (profile 例示区テーラリング 2026): disabled. Reason: 防災課の共用端末"))
        #expect(tailored.catalogues.last == "例示区テーラリング 2026 (profile)")
    }
}
