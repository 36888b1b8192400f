import Foundation
import SuginamiCore

/// The results in the two formats CI systems read: SARIF 2.1.0 (GitHub code scanning, GitLab,
/// Azure DevOps, `sarif` tools) and JUnit XML (every CI's test view). Both say the same as the
/// OSCAL document, shaped for those viewers: one SARIF result (one JUnit test case) per subject
/// that is not a pass; a waived fail is a suppressed result (a skipped test case, with the
/// waiver's reason), so a pipeline sees it without failing on it.
public enum CIReports {
    /// SARIF 2.1.0: the rules as the tool's rules (severity, Annex A controls as tags, the
    /// remediation as help), each fail an `error`, not-assessed a `warning`, error a `note`.
    public static func sarif(for result: AssessmentResult) throws -> Data {
        let rules: [JSONNode] = result.outcomes.map { outcome in
            let rule = outcome.rule
            var node: [String: JSONNode] = [
                "id": .string(rule.id),
                "name": .string(rule.id),
                "shortDescription": ["text": .string(rule.titleEnglish ?? rule.title)],
                "fullDescription": ["text": .string(rule.title)],
                "properties": [
                    "severity": .string(rule.severity.rawValue),
                    "tags": .array(rule.maps.map { .string("ISO27001:2022-A.\($0.control)") }),
                ],
            ]
            if let remediation = rule.remediation {
                node["help"] = ["text": .string("\(remediation.en)\n\(remediation.ja)")]
            }
            return .object(node)
        }
        var results: [JSONNode] = []
        for (index, outcome) in result.outcomes.enumerated() {
            for subject in outcome.subjects where subject.verdict != .pass && subject.verdict != .notApplicable {
                let level =
                    switch subject.verdict {
                    case .fail: "error"
                    case .notAssessed: "warning"
                    default: "note"
                    }
                var node: [String: JSONNode] = [
                    "ruleId": .string(outcome.rule.id),
                    "ruleIndex": .number(Double(index)),
                    "level": .string(level),
                    "message": ["text": .string("\(subject.subject): \(subject.explanation)")],
                    "locations": [
                        [
                            "logicalLocations": [
                                ["name": .string(subject.subject), "kind": .string("resource")]
                            ]
                        ]
                    ],
                ]
                if let waiver = subject.waiver {
                    node["suppressions"] = [
                        [
                            "kind": "external", "status": "accepted",
                            "justification": .string(
                                "\(waiver.reason) (approved by \(waiver.approver), until \(waiver.expiresAt))"),
                        ]
                    ]
                }
                results.append(.object(node))
            }
        }
        let document: JSONNode = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "SuginamiSecurity", "informationUri": "https://github.com/suginamikit",
                            "rules": .array(rules),
                        ]
                    ],
                    "invocations": [
                        [
                            "executionSuccessful": .bool(true),
                            "endTimeUtc": .string(result.assessedAt.date.formatted(.iso8601)),
                        ]
                    ],
                    "results": .array(results),
                ]
            ],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    /// JUnit XML: a test suite per rule, a test case per subject; a fail is a `failure`, a
    /// waived fail and not-assessed are `skipped` with why, an error is an `error`.
    public static func junit(for result: AssessmentResult) -> String {
        var suites = ""
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for outcome in result.outcomes {
            var cases = ""
            var counts = (tests: 0, failures: 0, errors: 0, skipped: 0)
            let subjects =
                outcome.subjects.isEmpty
                ? [
                    SubjectOutcome(
                        subject: outcome.rule.id, verdict: outcome.verdict, explanation: outcome.note ?? "", facts: [],
                        evidence: [])
                ]
                : outcome.subjects
            for subject in subjects {
                counts.tests += 1
                cases += "    <testcase classname=\"\(xml(outcome.rule.id))\" name=\"\(xml(subject.subject))\">"
                switch subject.verdict {
                case .fail where subject.waiver != nil:
                    counts.skipped += 1
                    cases += "<skipped message=\"waived: \(xml(subject.waiver!.reason))\"/>"
                case .fail:
                    counts.failures += 1
                    cases +=
                        "<failure message=\"\(xml(subject.explanation))\" type=\"\(outcome.rule.severity.rawValue)\">"
                    cases += xml((outcome.rule.remediation.map { "\($0.en)\n\($0.ja)" }) ?? "") + "</failure>"
                case .error:
                    counts.errors += 1
                    cases += "<error message=\"\(xml(subject.explanation))\"/>"
                case .notAssessed, .notApplicable:
                    counts.skipped += 1
                    cases += "<skipped message=\"\(subject.verdict.rawValue): \(xml(subject.explanation))\"/>"
                case .pass: break
                }
                cases += "</testcase>\n"
            }
            suites +=
                "  <testsuite name=\"\(xml(outcome.rule.id))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" "
                + "errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" "
                + "timestamp=\"\(result.assessedAt.date.formatted(.iso8601))\">\n\(cases)  </testsuite>\n"
            totals.tests += counts.tests
            totals.failures += counts.failures
            totals.errors += counts.errors
            totals.skipped += counts.skipped
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"ISMS control checks: \(xml(result.organization))\" tests=\"\(totals.tests)\" "
            + "failures=\"\(totals.failures)\" errors=\"\(totals.errors)\" skipped=\"\(totals.skipped)\">\n"
            + suites + "</testsuites>\n"
    }

    /// Text for an XML attribute or element: the HTML escaping (the same five references), line
    /// breaks and tabs kept as references, and the characters XML 1.0 forbids (most controls)
    /// left out.
    static func xml(_ text: String) -> String {
        // Most names and messages need nothing; they are returned as they are.
        let plain = text.utf8.allSatisfy {
            $0 >= 0x20 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
                && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 != 0xEF
        }
        if plain { return text }
        let allowed = String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }
                    .filter { $0.value != 0xFFFE && $0.value != 0xFFFF }))
        return allowed.htmlEscaped.replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\t", with: "&#9;").replacingOccurrences(of: "\r", with: "&#13;")
    }
}
