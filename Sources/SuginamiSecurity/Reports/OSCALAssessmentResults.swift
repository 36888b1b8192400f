import Foundation

/// Writes an assessment as an OSCAL 1.2 assessment-results document (JSON).
///
/// One `result` per run. Every subject that a reader must see (a fail, waived or not, an error,
/// a not-assessed) has an `observation` of its own (methods from the evidence kinds, the subject
/// as an inventory item in `local-definitions`, evidence with its SHA-256). The passes of a rule
/// are summarised in one observation: OSCAL makes an observation's `subjects` optional, so it
/// states how many subjects passed and cites, as `relevant-evidence`, the run's `results.json`
/// (with its SHA-256), which lists every subject and its verdict — at 100,000 flows a document
/// of one observation per pass would be tens of megabytes that no reader opens. One `finding`
/// per rule (`satisfied`/`pass`, `not-satisfied`/`fail`, `not-satisfied`/`not-assessed` …)
/// relates its observations; waivers are risks with status `deviation-approved`. UUIDs are
/// name-based and keys sorted, so two runs over the same inputs are byte-identical. The writer
/// checks its own references (the validators do not: see ``referenceProblems(in:)``).
public enum OSCALAssessmentResults {
    /// The OSCAL version written.
    public static let oscalVersion = "1.2.3"
    /// The namespace of SuginamiKit's own properties.
    public static let namespace = "https://suginamikit.invalid/ns/isms"

    /// The full per-subject results a document cites for its summarised passes.
    public struct ResultsFile: Sendable, Hashable {
        /// Where it is, relative to the document (`results.json`).
        public var href: String
        /// Its SHA-256, lower-case hex.
        public var sha256: String

        /// A reference.
        public init(href: String, sha256: String) {
            self.href = href
            self.sha256 = sha256
        }
    }

    /// The document as JSON bytes (sorted keys, pretty-printed).
    /// - Parameter results: the `results.json` written beside it, cited by the pass summaries.
    public static func document(for result: AssessmentResult, catalogues: [String], results: ResultsFile) throws
        -> Data
    {
        let tree = build(result, catalogues: catalogues, results: results)
        let problems = referenceProblems(in: tree)
        precondition(problems.isEmpty, "the OSCAL writer made dangling references: \(problems)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(tree)
    }

    private static func evidenceNode(_ item: EvidenceItem) -> JSONNode {
        [
            "href": .string("evidence/\(item.path)"),
            "description": .string(
                "\(item.id) (\(item.kind.rawValue)) from \(item.source), collected \(item.collectedAt.text)"),
            "props": [prop("evidence-id", item.id), prop("sha256", item.sha256.lowercased())],
        ]
    }

    private static func prop(_ name: String, _ value: String) -> JSONNode {
        ["name": .string(name), "ns": .string(namespace), "value": .string(value)]
    }

    static func build(_ result: AssessmentResult, catalogues: [String], results: ResultsFile) -> JSONNode {
        let run = "\(result.organization)|\(result.assessedAt.text)|\(result.snapshotAt.text)"
        let evidenceByID = Dictionary(uniqueKeysWithValues: result.evidence.map { ($0.id, $0) })
        var inventoryItems: [String: JSONNode] = [:]
        var observations: [JSONNode] = []
        var findings: [JSONNode] = []
        var risks: [JSONNode] = []
        for outcome in result.outcomes {
            var related: [JSONNode] = []
            var relatedRisks: [JSONNode] = []
            let passes = outcome.subjects.filter { $0.verdict == .pass && $0.waiver == nil }
            if !passes.isEmpty {
                let observationUUID = NameBasedUUID.string(run, "observation", outcome.rule.id, "passes")
                let items = Set(passes.flatMap(\.evidence)).sorted().compactMap { evidenceByID[$0] }
                observations.append([
                    "uuid": .string(observationUUID),
                    "title": .string("\(outcome.rule.id) · \(passes.count) subjects: pass"),
                    "description": .string(
                        "\(passes.count) subjects meet the rule; each is listed with its explanation in "
                            + "\(results.href) (results of rule \(outcome.rule.id))."),
                    "methods": .array(
                        Array(Set(items.map(\.method) + (items.isEmpty ? ["TEST"] : []))).sorted().map(JSONNode.string)),
                    "collected": .string((items.map(\.collectedAt).min() ?? result.assessedAt).text),
                    "props": [prop("verdict", "pass"), prop("subjects", String(passes.count))],
                    "relevant-evidence": .array(
                        [
                            [
                                "href": .string(results.href),
                                "description": .string("every subject of the run with its verdict and explanation"),
                                "props": [prop("sha256", results.sha256)],
                            ]
                        ] + items.map(evidenceNode)),
                ])
                related.append(["observation-uuid": .string(observationUUID)])
            }
            for subject in outcome.subjects where subject.verdict != .pass || subject.waiver != nil {
                let itemUUID = NameBasedUUID.string(run, "subject", subject.subject)
                inventoryItems[itemUUID] = [
                    "uuid": .string(itemUUID), "description": .string(subject.subject),
                    "props": [prop("subject-id", subject.subject)],
                ]
                let observationUUID = NameBasedUUID.string(run, "observation", outcome.rule.id, subject.subject)
                let items = subject.evidence.compactMap { evidenceByID[$0] }
                var observation: [String: JSONNode] = [
                    "uuid": .string(observationUUID),
                    "title": .string("\(outcome.rule.id) · \(subject.subject): \(subject.verdict.rawValue)"),
                    "description": .string(
                        ([subject.explanation] + subject.facts.map { "- \($0)" }).joined(separator: "\n")),
                    "methods": .array(
                        Array(Set(items.map(\.method) + (items.isEmpty ? ["TEST"] : []))).sorted().map(JSONNode.string)),
                    "subjects": [["subject-uuid": .string(itemUUID), "type": "inventory-item"]],
                    "collected": .string((items.map(\.collectedAt).min() ?? result.assessedAt).text),
                    "props": [prop("verdict", subject.verdict.rawValue)],
                ]
                if subject.verdict == .fail { observation["types"] = ["finding"] }
                if let expires = items.compactMap(\.expiresAt).min() { observation["expires"] = .string(expires.text) }
                if !items.isEmpty { observation["relevant-evidence"] = .array(items.map(evidenceNode)) }
                observations.append(.object(observation))
                related.append(["observation-uuid": .string(observationUUID)])
                if let waiver = subject.waiver {
                    let riskUUID = NameBasedUUID.string(run, "risk", outcome.rule.id, subject.subject)
                    risks.append([
                        "uuid": .string(riskUUID),
                        "title": .string("Waived: \(outcome.rule.id) · \(subject.subject)"),
                        "description": .string(subject.explanation),
                        "statement": .string(waiver.reason),
                        "status": "deviation-approved",
                        "deadline": .string(waiver.expiresAt.text),
                        "props": [prop("approver", waiver.approver), prop("approved-at", waiver.approvedAt.text)],
                        "related-observations": [["observation-uuid": .string(observationUUID)]],
                    ])
                    relatedRisks.append(["risk-uuid": .string(riskUUID)])
                }
            }
            let (state, reason): (String, String) =
                switch outcome.verdict {
                case .pass: ("satisfied", "pass")
                case .notApplicable: ("satisfied", "not-applicable")
                case .fail: ("not-satisfied", "fail")
                case .error: ("not-satisfied", "error")
                case .notAssessed: ("not-satisfied", "not-assessed")
                }
            var finding: [String: JSONNode] = [
                "uuid": .string(NameBasedUUID.string(run, "finding", outcome.rule.id)),
                "title": .string("\(outcome.rule.id) \(outcome.rule.title): \(outcome.verdict.rawValue)"),
                "description": .string(
                    outcome.note
                        ?? "\(outcome.subjects.count) subjects; \(outcome.unwaivedFailures) unwaived failures. Maps to "
                        + outcome.rule.maps.map { "ISO/IEC 27001:2022 \($0.control) (\($0.relation.rawValue))" }
                        .joined(separator: ", ")),
                "target": [
                    "type": "objective-id", "target-id": .string(outcome.rule.id),
                    "status": ["state": .string(state), "reason": .string(reason)],
                ],
                "props": .array(
                    [prop("level", outcome.rule.level.rawValue), prop("severity", outcome.rule.severity.rawValue)]
                        + (outcome.tailoring.map { [prop("tailoring", $0.disabled ? "disabled" : "tailored")] } ?? [])
                        + outcome.rule.maps.map { prop("maps-\($0.relation.rawValue)", "a.\($0.control)") }),
            ]
            var remarks: [String] = []
            if outcome.verdict == .fail, let remediation = outcome.rule.remediation {
                remarks.append("Remediation: \(remediation.en)\n是正: \(remediation.ja)")
            }
            if let tailoring = outcome.tailoring {
                remarks.append(
                    "Tailoring (profile \(tailoring.profile)): "
                        + (tailoring.disabled ? "disabled" : tailoring.changes.joined(separator: "; "))
                        + ". Reason: \(tailoring.reason)")
            }
            if !remarks.isEmpty { finding["remarks"] = .string(remarks.joined(separator: "\n")) }
            if !related.isEmpty { finding["related-observations"] = .array(related) }
            if !relatedRisks.isEmpty { finding["related-risks"] = .array(relatedRisks) }
            findings.append(.object(finding))
        }
        let reviewed = Set(result.outcomes.flatMap { $0.rule.maps.map { "a.\($0.control)" } }).sorted()
        var resultNode: [String: JSONNode] = [
            "uuid": .string(NameBasedUUID.string(run, "result")),
            "title": .string("ISMS control checks: \(result.organization), snapshot \(result.snapshotAt.text)"),
            "description": .string(
                "Machine-checkable rules (\(catalogues.joined(separator: ", "))) evaluated by SuginamiSecurity over a "
                    + "declared system inventory and its evidence bundle."),
            "start": .string(result.assessedAt.text),
            "end": .string(result.assessedAt.text),
            "reviewed-controls": [
                "control-selections": [["include-controls": .array(reviewed.map { ["control-id": .string($0)] })]]
            ],
            "findings": .array(findings),
        ]
        if !observations.isEmpty { resultNode["observations"] = .array(observations) }
        if !risks.isEmpty { resultNode["risks"] = .array(risks) }
        if !inventoryItems.isEmpty {
            resultNode["local-definitions"] = [
                "inventory-items": .array(inventoryItems.keys.sorted().map { inventoryItems[$0]! })
            ]
        }
        return [
            "assessment-results": [
                "uuid": .string(NameBasedUUID.string(run, "assessment-results")),
                "metadata": [
                    "title": .string("SuginamiSecurity ISMS control check: \(result.organization)"),
                    "last-modified": .string(result.assessedAt.text),
                    "version": .string(result.assessedAt.text),
                    "oscal-version": .string(oscalVersion),
                ],
                // The plan is the rule catalogue(s) in force, named, since no separate OSCAL plan exists.
                "import-ap": ["href": .string(planURN(catalogues))],
                "results": [.object(resultNode)],
            ]
        ]
    }

    /// `urn:suginamikit:isms-plan:NAME+NAME`: the catalogues' names percent-encoded as RFC 3986
    /// and RFC 8141 require (they hold spaces and Japanese), so that `import-ap.href` is a valid
    /// URI reference for every OSCAL tool.
    static func planURN(_ catalogues: [String]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        let names = catalogues.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "urn:suginamikit:isms-plan:" + names.joined(separator: "+")
    }

    /// UUID references (`observation-uuid`, `risk-uuid`, `subject-uuid`) that point at nothing
    /// in the document, and UUIDs defined twice. Empty for a sound document.
    public static func referenceProblems(in document: JSONNode) -> [String] {
        var defined: [String: Int] = [:]
        var references: [(String, String)] = []
        func walk(_ node: JSONNode, key: String?) {
            switch node {
            case .object(let object):
                for (name, value) in object {
                    if name == "uuid", case .string(let uuid) = value { defined[uuid, default: 0] += 1 }
                    if ["observation-uuid", "risk-uuid", "subject-uuid"].contains(name), case .string(let uuid) = value
                    {
                        references.append((name, uuid))
                    }
                    walk(value, key: name)
                }
            case .array(let array):
                for element in array { walk(element, key: key) }
            default:
                break
            }
        }
        walk(document, key: nil)
        var problems = references.filter { defined[$0.1] == nil }.map { "\($0.0) \($0.1) points at nothing" }
        problems += defined.filter { $0.value > 1 }.keys.sorted().map { "uuid \($0) is defined more than once" }
        return problems
    }
}

/// A JSON tree with literal syntax, for documents whose shape is data (OSCAL).
public enum JSONNode: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// A string.
    case string(String)
    /// A number.
    case number(Double)
    /// A Boolean.
    case bool(Bool)
    /// An array.
    case array([JSONNode])
    /// An object.
    case object([String: JSONNode])

    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONNode...) { self = .array(elements) }
    /// A dictionary literal.
    public init(dictionaryLiteral elements: (String, JSONNode)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Decodes any JSON value but null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
