/// One machine-checkable rule of a control catalogue: what it requires, where it comes from,
/// which ISO/IEC 27001:2022 Annex A controls it relates to, and the check that decides it.
public struct ControlRule: Sendable, Codable, Hashable, Identifiable {
    /// An OSCAL-compatible token, e.g. `mic-net-01` (starts with a letter).
    public var id: String
    /// The title (Japanese as the guideline has it).
    public var title: String
    /// An English title, for ids and mixed audiences.
    public var titleEnglish: String?
    /// Must, should, or the municipality's own rule.
    public var level: RuleLevel
    /// Where the rule comes from.
    public var source: RuleSource
    /// The Annex A controls it relates to, and how.
    public var maps: [AnnexAMapping]
    /// The network models it applies to (all when absent).
    public var applies: Applicability?
    /// The check.
    public var check: CheckDefinition
    /// Evidence older than this (days) makes a verdict not-assessed; the organisation's
    /// `evidenceMaxAgeDays` when absent.
    public var maxEvidenceAgeDays: Int?
    /// How bad a failure is.
    public var severity: Severity
    /// What to do about a fail, in Japanese and English (every bundled rule has one).
    public var remediation: Remediation?
    /// Organisation parameters as this rule reads them, over the inventory's own (set by a
    /// tailoring profile: ``RuleTailoring/parameters``).
    public var parameterOverrides: [String: Int]?
}

/// What to do about a rule's fail (是正措置).
public struct Remediation: Sendable, Codable, Hashable {
    /// In Japanese.
    public var ja: String
    /// In English.
    public var en: String
}

/// Rule levels.
public enum RuleLevel: String, ClosedSet {
    /// しなければならない.
    case must
    /// 望ましい.
    case should
    /// The municipality's own policy.
    case local
}

/// Severities.
public enum Severity: String, ClosedSet {
    /// Critical.
    case critical
    /// High.
    case high
    /// Medium.
    case medium
    /// Low.
    case low
}

/// The origin of a rule.
public struct RuleSource: Sendable, Codable, Hashable {
    /// The document, e.g. 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」.
    public var document: String
    /// The edition, e.g. 令和7年3月版.
    public var edition: String?
    /// The section.
    public var section: String?
    /// A note on the wording's status (e.g. paraphrased, to be checked against the PDF).
    public var note: String?
}

/// A relation from a rule to an Annex A control. A rule *supports* or *is a subset of* a control;
/// it never claims to be the control (ISO 27001 itself demands no particular mechanism).
public struct AnnexAMapping: Sendable, Codable, Hashable {
    /// The Annex A id, e.g. `8.22`.
    public var control: String
    /// How the rule relates to it.
    public var relation: MappingRelation
}

/// Mapping relations.
public enum MappingRelation: String, ClosedSet {
    /// The rule and the control ask the same.
    case equivalent
    /// The rule checks part of what the control asks.
    case subset
    /// The rule contributes to the control.
    case supports
}

/// Where a rule applies.
public struct Applicability: Sendable, Codable, Hashable {
    /// The network models; the rule is not applicable under others.
    public var networkModels: [NetworkModel]?
}

/// The check of a rule as written in the catalogue: a kind and its parameters. Which
/// parameters each kind needs is checked when the catalogue is loaded (see ``CheckKind``).
public struct CheckDefinition: Sendable, Codable, Hashable {
    /// The primitive.
    public var kind: CheckKind
    /// flow-forbidden: the two zone kinds.
    public var between: [ZoneKind]?
    /// flow-forbidden: follow chains of allowed flows.
    public var transitive: Bool?
    /// flow-forbidden: let paths run through sanitised flows (by default 無害化 cuts a path).
    public var throughSanitizers: Bool?
    /// flow-pinned: the zone kind whose boundary is pinned.
    public var zone: ZoneKind?
    /// flow-sanitizer: the source zone kinds.
    public var from: [ZoneKind]?
    /// flow-sanitizer: the destination zone kinds.
    public var to: [ZoneKind]?
    /// flow-sanitizer: the accepted methods.
    public var sanitizers: [Sanitizer]?
    /// placement: the data kind.
    public var dataKind: DataKind?
    /// placement: the zone kinds where it may live.
    public var zones: [ZoneKind]?
    /// min-factors, count-min: the minimum.
    public var minimum: Int?
    /// min-factors: which accounts.
    public var accounts: AccountScope?
    /// attribute, freshness, count-min, exists (coverage): the collection.
    public var collection: InventoryCollection?
    /// A filter: attribute name → accepted values (as text).
    public var `where`: [String: [String]]?
    /// attribute, freshness: the attribute.
    public var attribute: String?
    /// attribute: accepted values.
    public var values: [String]?
    /// attribute: a numeric lower bound.
    public var atLeast: Double?
    /// attribute: a numeric upper bound.
    public var atMost: Double?
    /// attribute: the fact must be declared (a missing fact fails instead of being not-assessed).
    public var present: Bool?
    /// attribute, freshness, retention-min: take the bound from this organisation parameter.
    public var parameter: String?
    /// freshness: the maximum age in days.
    public var maxAgeDays: Int?
    /// freshness: the time must lie after the assessment (a validity end such as support).
    public var future: Bool?
    /// freshness: judge only the latest matching subject ("an audit within the year").
    public var latestOnly: Bool?
    /// exists: an organisation fact (`ciso`, `csirt`, `securityCloud`).
    public var fact: String?
    /// exists: every subject of `collection` must have an entry in this collection.
    public var coveredBy: InventoryCollection?
}

/// The check primitives, implemented in Swift.
public enum CheckKind: String, ClosedSet {
    /// No allowed flow between two zone kinds, either way, directly or through a chain.
    case flowForbidden = "flow-forbidden"
    /// Every allowed flow across a zone kind's boundary is pinned to hosts, ports and an approval.
    case flowPinned = "flow-pinned"
    /// Every allowed flow from some zone kinds into others passes an accepted 無害化.
    case flowSanitizer = "flow-sanitizer"
    /// A data kind lives only in some zone kinds.
    case placement
    /// Accounts in scope use at least N distinct factor categories.
    case minFactors = "min-factors"
    /// An attribute of each subject takes accepted values or lies within bounds.
    case attribute
    /// A time attribute is recent enough (or, with `future`, not yet passed).
    case freshness
    /// Log sources reach the central store and keep logs long enough.
    case retentionMin = "retention-min"
    /// An organisation fact exists, or every subject is covered by an entry elsewhere.
    case exists
    /// A collection has at least N members matching a filter.
    case countMin = "count-min"
    /// What the evidence files state agrees with the inventory (facts the manifest declares).
    case evidenceFacts = "evidence-facts"
    /// No machine check: an auditor decides.
    case manual
}

/// Which accounts a factor check covers; an account in any listed group is in scope.
public struct AccountScope: Sendable, Codable, Hashable {
    /// Accounts that can log on to a system in one of these zone kinds.
    public var systemsInZones: [ZoneKind]?
    /// Privileged accounts.
    public var privileged: Bool?
    /// Accounts on an important system.
    public var importantSystems: Bool?
}

/// The inventory's collections, as rules name them.
public enum InventoryCollection: String, ClosedSet {
    /// Assets.
    case assets
    /// Accounts.
    case accounts
    /// Flows.
    case flows
    /// Backups.
    case backups
    /// Log sources.
    case logSources
    /// Incidents.
    case incidents
    /// ICT-BCP entries.
    case bcp
    /// Audits.
    case audits
    /// Security policies.
    case policies
    /// CSIRT members.
    case csirtMembers
}
