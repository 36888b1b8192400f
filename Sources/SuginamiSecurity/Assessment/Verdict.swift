/// The outcome of a rule for one subject, or for a rule as a whole.
public enum Verdict: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// The subject does not meet the rule.
    case fail
    /// The check could not run (evidence unreadable).
    case error
    /// Evidence is missing or stale, or nothing was found where something was expected — never
    /// a vacuous pass.
    case notAssessed = "not-assessed"
    /// The subject meets the rule.
    case pass
    /// The rule does not apply (its scope excludes the organisation).
    case notApplicable = "not-applicable"

    /// Worst first: the order in which a rule's verdict is taken from its subjects' and in which
    /// reports list them.
    public static func < (lhs: Verdict, rhs: Verdict) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The worst of several verdicts; not-applicable only when all are.
    public static func aggregate(_ verdicts: some Sequence<Verdict>) -> Verdict {
        verdicts.min() ?? .notApplicable
    }

    /// 日本語 label for reports.
    public var japanese: String {
        switch self {
        case .fail: "不適合"
        case .error: "エラー"
        case .notAssessed: "未評価"
        case .pass: "適合"
        case .notApplicable: "適用外"
        }
    }
}

/// The verdict of a rule on one subject, with its explanation.
public struct SubjectOutcome: Sendable, Codable, Hashable {
    /// The subject's id (an asset, flow, account… or a boundary such as `mynumber↔internet`).
    public var subject: String
    /// The verdict.
    public var verdict: Verdict
    /// Why, in one sentence.
    public var explanation: String
    /// The offending or deciding facts (e.g. a flow path).
    public var facts: [String]
    /// The evidence ids used.
    public var evidence: [String]
    /// A waiver applied to a fail; the verdict stays `fail`.
    public var waiver: Waiver?
}

/// The outcome of one rule.
public struct RuleOutcome: Sendable, Codable, Hashable {
    /// The rule.
    public var rule: ControlRule
    /// The worst subject verdict.
    public var verdict: Verdict
    /// Why, when the rule as a whole was not assessed or not applicable.
    public var note: String?
    /// Per subject, worst first, then by id.
    public var subjects: [SubjectOutcome]
    /// What a tailoring profile did to the rule, if anything.
    public var tailoring: TailoringNote?

    /// An outcome.
    public init(
        rule: ControlRule, verdict: Verdict, note: String?, subjects: [SubjectOutcome], tailoring: TailoringNote? = nil
    ) {
        self.rule = rule
        self.verdict = verdict
        self.note = note
        self.subjects = subjects
        self.tailoring = tailoring
    }

    /// Fails not covered by a valid waiver.
    public var unwaivedFailures: Int { subjects.count { $0.verdict == .fail && $0.waiver == nil } }
}
