/// One snapshot of a municipality's information systems, as declared for an assessment
/// (システム台帳): organisation, network zones, assets, flows, accounts, backups, log sources,
/// incidents and business-continuity entries.
///
/// Read it with ``InventoryLoader``, which decodes JSON or YAML strictly and validates every
/// reference; a value of this type that came from the loader is consistent.
public struct Inventory: Sendable, Codable, Hashable {
    /// The schema version this SDK reads.
    public static let currentSchemaVersion = 1

    /// Must be ``currentSchemaVersion``.
    public var schemaVersion: Int
    /// When the snapshot was taken.
    public var snapshotAt: Timestamp
    /// The organisation and its security organisation.
    public var organization: Organization
    /// Network zones (三層分離 and the outside world).
    public var zones: [Zone]
    /// Assets: servers, terminals, network devices, cloud services…
    public var assets: [Asset]
    /// Declared network flows between assets and zones.
    public var flows: [Flow]
    /// User and service accounts.
    public var accounts: [Account]
    /// Backup arrangements per system.
    public var backups: [Backup]?
    /// Log sources feeding the central log store.
    public var logSources: [LogSource]?
    /// Security incidents.
    public var incidents: [Incident]?
    /// ICT-BCP entries.
    public var bcp: [BCPEntry]?
    /// Evidence for the snapshot as a whole (manifest ids), used for facts with none of their own.
    public var evidence: [String]?

    /// Creates an inventory.
    public init(
        schemaVersion: Int = Inventory.currentSchemaVersion, snapshotAt: Timestamp, organization: Organization,
        zones: [Zone], assets: [Asset], flows: [Flow], accounts: [Account], backups: [Backup]? = nil,
        logSources: [LogSource]? = nil, incidents: [Incident]? = nil, bcp: [BCPEntry]? = nil, evidence: [String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.snapshotAt = snapshotAt
        self.organization = organization
        self.zones = zones
        self.assets = assets
        self.flows = flows
        self.accounts = accounts
        self.backups = backups
        self.logSources = logSources
        self.incidents = incidents
        self.bcp = bcp
        self.evidence = evidence
    }
}

/// The municipality and its security organisation (情報セキュリティ組織体制).
public struct Organization: Sendable, Codable, Hashable {
    /// The name, e.g. `杉並区`.
    public var name: String
    /// 全国地方公共団体コード (6 digits with the check digit).
    public var localGovernmentCode: String
    /// The network model of the three-layer separation.
    public var networkModel: NetworkModel
    /// 最高情報セキュリティ責任者 (CISO).
    public var ciso: Person?
    /// The CSIRT.
    public var csirt: CSIRT?
    /// Membership of the prefecture's 自治体情報セキュリティクラウド.
    public var securityCloud: SecurityCloud?
    /// Audits and self-inspections (監査・自己点検).
    public var audits: [Audit]?
    /// Security policies (情報セキュリティポリシー) and their reviews.
    public var policies: [Policy]?
    /// The municipality's own parameters, which the guideline leaves to it.
    public var parameters: Parameters
    /// Annex A controls the municipality excludes from its Statement of Applicability, with why.
    public var exclusions: [Exclusion]?

    /// Creates an organisation.
    public init(
        name: String, localGovernmentCode: String, networkModel: NetworkModel, ciso: Person? = nil,
        csirt: CSIRT? = nil, securityCloud: SecurityCloud? = nil, audits: [Audit]? = nil, parameters: Parameters,
        exclusions: [Exclusion]? = nil
    ) {
        self.name = name
        self.localGovernmentCode = localGovernmentCode
        self.networkModel = networkModel
        self.ciso = ciso
        self.csirt = csirt
        self.securityCloud = securityCloud
        self.audits = audits
        self.parameters = parameters
        self.exclusions = exclusions
    }
}

/// The three-layer separation models of the 総務省 guideline.
public enum NetworkModel: String, ClosedSet {
    /// α: main terminals in the LGWAN zone (the classic model).
    case alpha
    /// α′: α with local break-out from the LGWAN zone to allow-listed cloud services (令和6年10月版).
    case alphaPrime
    /// β: terminals in the internet zone, business systems stay in the LGWAN zone.
    case beta
    /// β′: terminals and business systems in the internet zone.
    case betaPrime
}

/// A named person.
public struct Person: Sendable, Codable, Hashable {
    /// The person's id in the municipality's directory.
    public var personId: String
    /// The name.
    public var name: String

    /// Creates a person.
    public init(personId: String, name: String) {
        self.personId = personId
        self.name = name
    }
}

/// The computer security incident response team (CSIRT).
public struct CSIRT: Sendable, Codable, Hashable {
    /// How to reach it.
    public var contact: String
    /// Its members' person ids.
    public var members: [String]

    /// Creates a CSIRT.
    public init(contact: String, members: [String]) {
        self.contact = contact
        self.members = members
    }
}

/// 自治体情報セキュリティクラウド membership.
public struct SecurityCloud: Sendable, Codable, Hashable {
    /// The operator (e.g. the prefecture).
    public var provider: String
    /// Since when.
    public var joinedAt: Timestamp

    /// Creates a membership.
    public init(provider: String, joinedAt: Timestamp) {
        self.provider = provider
        self.joinedAt = joinedAt
    }
}

/// An audit or self-inspection.
public struct Audit: Sendable, Codable, Hashable {
    /// Internal audit, external audit or self-inspection.
    public var kind: AuditKind
    /// When it was completed.
    public var completedAt: Timestamp
    /// Evidence ids.
    public var evidence: [String]?

    /// Creates an audit record.
    public init(kind: AuditKind, completedAt: Timestamp, evidence: [String]? = nil) {
        self.kind = kind
        self.completedAt = completedAt
        self.evidence = evidence
    }
}

/// A security policy document (基本方針, 対策基準, 実施手順).
public struct Policy: Sendable, Codable, Hashable {
    /// What it is, e.g. `basic-policy`, `standards`.
    public var kind: String
    /// When it was last approved.
    public var approvedAt: Timestamp
    /// When it is due for review.
    public var nextReview: Timestamp?
    /// Evidence ids (the approved document).
    public var evidence: [String]?

    /// Creates a policy record.
    public init(kind: String, approvedAt: Timestamp, nextReview: Timestamp? = nil, evidence: [String]? = nil) {
        self.kind = kind
        self.approvedAt = approvedAt
        self.nextReview = nextReview
        self.evidence = evidence
    }
}

/// Kinds of audit.
public enum AuditKind: String, ClosedSet {
    /// 内部監査.
    case `internal`
    /// 外部監査.
    case external
    /// 自己点検.
    case selfInspection
}

/// Parameters the guideline leaves to the municipality (never SDK constants).
public struct Parameters: Sendable, Codable, Hashable {
    /// Minimum log retention in days.
    public var logRetentionDays: Int
    /// Maximum age of the last successful restore test, in days.
    public var restoreTestMaxAgeDays: Int
    /// Hours within which an incident must be reported to the CSIRT.
    public var incidentReportHours: Int
    /// Default maximum age of evidence, in days.
    public var evidenceMaxAgeDays: Int

    /// Creates parameters.
    public init(logRetentionDays: Int, restoreTestMaxAgeDays: Int, incidentReportHours: Int, evidenceMaxAgeDays: Int) {
        self.logRetentionDays = logRetentionDays
        self.restoreTestMaxAgeDays = restoreTestMaxAgeDays
        self.incidentReportHours = incidentReportHours
        self.evidenceMaxAgeDays = evidenceMaxAgeDays
    }

    /// The parameter a catalogue rule names, if it is one of these.
    public func value(named name: String) -> Int? {
        switch name {
        case "logRetentionDays": logRetentionDays
        case "restoreTestMaxAgeDays": restoreTestMaxAgeDays
        case "incidentReportHours": incidentReportHours
        case "evidenceMaxAgeDays": evidenceMaxAgeDays
        default: nil
        }
    }

    /// The names ``value(named:)`` knows.
    public static let names = [
        "logRetentionDays", "restoreTestMaxAgeDays", "incidentReportHours", "evidenceMaxAgeDays",
    ]
}

/// An Annex A control excluded from the Statement of Applicability.
public struct Exclusion: Sendable, Codable, Hashable {
    /// The Annex A id, e.g. `7.5`.
    public var control: String
    /// Why it does not apply.
    public var reason: String

    /// Creates an exclusion.
    public init(control: String, reason: String) {
        self.control = control
        self.reason = reason
    }
}
