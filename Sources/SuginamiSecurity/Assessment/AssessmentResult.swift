/// The result of one assessment run: per rule and subject, with the evidence and waivers used,
/// and the Statement of Applicability. Encoded as `results.json`, it is what
/// ``RunComparison`` compares and what the OSCAL and HTML reports are written from.
public struct AssessmentResult: Sendable, Codable, Hashable {
    /// When the assessment was made.
    public var assessedAt: Timestamp
    /// The organisation.
    public var organization: String
    /// Its network model.
    public var networkModel: NetworkModel
    /// When the inventory snapshot was taken.
    public var snapshotAt: Timestamp
    /// One outcome per rule, in catalogue order.
    public var outcomes: [RuleOutcome]
    /// Waivers past their expiry: reported, not applied.
    public var expiredWaivers: [Waiver]
    /// Valid waivers that matched no failing subject.
    public var unusedWaivers: [Waiver]
    /// The evidence items of the bundle.
    public var evidence: [EvidenceItem]
    /// The Statement of Applicability over all 93 Annex A controls.
    public var applicability: StatementOfApplicability

    /// Counts of rule verdicts.
    public var ruleCounts: [Verdict: Int] { Dictionary(grouping: outcomes, by: \.verdict).mapValues(\.count) }

    /// True when some fail is not covered by a valid waiver: what a CI gate stops on.
    public var hasUnwaivedFailures: Bool { outcomes.contains { $0.unwaivedFailures > 0 } }
}

/// 適用宣言書: for each Annex A control, whether it applies, why, and what the machine checks say.
public struct StatementOfApplicability: Sendable, Codable, Hashable {
    /// One entry per control, in clause order.
    public var entries: [Entry]

    /// One control's line.
    public struct Entry: Sendable, Codable, Hashable {
        /// The Annex A control.
        public var control: AnnexAControl
        /// Whether it applies.
        public var applicable: Bool
        /// Why (the exclusion's reason, or how it is covered).
        public var justification: String
        /// The rules mapped to it, with their relation.
        public var rules: [MappedRule]
        /// The worst verdict of its machine-checked rules; nil when it is checked by hand only.
        public var verdict: Verdict?
        /// Who provides it, when it is inherited.
        public var inherited: InheritedControl?

        /// "machine" when rules check it, "inherited" when someone else provides it (and no
        /// rule checks it), "manual" otherwise.
        public var method: String {
            rules.contains { $0.machineChecked } ? "machine" : inherited != nil ? "inherited" : "manual"
        }
    }

    /// A rule mapped to a control.
    public struct MappedRule: Sendable, Codable, Hashable {
        /// The rule id.
        public var rule: String
        /// The relation.
        public var relation: MappingRelation
        /// The rule's verdict.
        public var verdict: Verdict
        /// Whether a machine check decides it (not a manual rule, nor one a profile disabled).
        public var machineChecked: Bool
        /// Why a profile disabled it, if it did.
        public var disabled: String?
    }

    /// Builds the statement from the rule outcomes, the organisation's exclusions and the
    /// controls a profile marks inherited.
    public init(
        annexA: AnnexACatalogue, outcomes: [RuleOutcome], exclusions: [Exclusion], inherited: [InheritedControl] = []
    ) {
        let excluded = Dictionary(exclusions.map { ($0.control, $0.reason) }, uniquingKeysWith: { first, _ in first })
        let provided = Dictionary(inherited.map { ($0.control, $0) }, uniquingKeysWith: { first, _ in first })
        entries = annexA.controls.map { control in
            let rules = outcomes.flatMap { outcome in
                outcome.rule.maps.filter { $0.control == control.id }.map {
                    let disabled = outcome.tailoring?.disabled == true ? outcome.tailoring?.reason : nil
                    return MappedRule(
                        rule: outcome.rule.id, relation: $0.relation, verdict: outcome.verdict,
                        machineChecked: outcome.rule.check.kind != .manual && disabled == nil, disabled: disabled)
                }
            }
            let machine = rules.filter(\.machineChecked)
            let reason = excluded[control.id]
            var parts: [String] = []
            if let inherited = provided[control.id] {
                parts.append(
                    "inherited from \(inherited.provider) ("
                        + [inherited.evidence.map { "evidence \($0)" }, inherited.reference].compactMap { $0 }
                        .joined(separator: "; ") + ")")
            }
            parts.append(
                machine.isEmpty
                    ? (provided[control.id] == nil ? "no machine check: assessed by the auditor (manual)" : "")
                    : "checked by " + machine.map(\.rule).joined(separator: ", "))
            for rule in rules where rule.disabled != nil {
                parts.append("rule \(rule.rule) disabled by the profile: \(rule.disabled!)")
            }
            return Entry(
                control: control, applicable: reason == nil,
                justification: reason ?? "applicable; " + parts.filter { !$0.isEmpty }.joined(separator: "; "),
                rules: rules,
                verdict: machine.isEmpty || reason != nil ? nil : Verdict.aggregate(machine.map(\.verdict)),
                inherited: provided[control.id])
        }
    }
}
