/// The manifest of an evidence bundle (証跡): one entry per file, with its hash and age.
///
/// A bundle is a directory holding `manifest.json` (or `.yaml`) and the files it lists. Paths are
/// relative to the directory and may not leave it.
public struct EvidenceManifest: Sendable, Codable, Hashable {
    /// The manifest format this SDK reads.
    public static let currentVersion = 1

    /// Must be ``currentVersion``.
    public var manifestVersion: Int
    /// The items.
    public var items: [EvidenceItem]

    /// Creates a manifest.
    public init(manifestVersion: Int = EvidenceManifest.currentVersion, items: [EvidenceItem]) {
        self.manifestVersion = manifestVersion
        self.items = items
    }
}

/// One piece of evidence.
public struct EvidenceItem: Sendable, Codable, Hashable, Identifiable {
    /// A unique id that inventory facts refer to.
    public var id: String
    /// What it is.
    public var kind: EvidenceKind
    /// The system it came from.
    public var source: String
    /// Who or what collected it.
    public var collector: String
    /// When it was collected (RFC 3339 with offset).
    public var collectedAt: Timestamp
    /// When it stops being valid, if it says.
    public var expiresAt: Timestamp?
    /// Its own maximum age in days, if shorter than the rule's.
    public var maxAgeDays: Int?
    /// SHA-256 of the file, lower-case hex.
    public var sha256: String
    /// The media type, e.g. `application/json`.
    public var mediaType: String
    /// The file, relative to the bundle.
    public var path: String
    /// Facts of the inventory the file states, checked against it by the `evidence-facts` rule.
    public var facts: [DeclaredFact]?

    /// Creates an item.
    public init(
        id: String, kind: EvidenceKind, source: String, collector: String, collectedAt: Timestamp, sha256: String,
        mediaType: String, path: String
    ) {
        self.id = id
        self.kind = kind
        self.source = source
        self.collector = collector
        self.collectedAt = collectedAt
        self.sha256 = sha256
        self.mediaType = mediaType
        self.path = path
    }

    /// The OSCAL assessment method for this kind of evidence.
    public var method: String {
        switch kind {
        case .document: "EXAMINE"
        case .interviewNote, .attestation: "INTERVIEW"
        default: "TEST"
        }
    }

    /// Why the item is too old at `time` for a rule accepting `ruleMaxAgeDays`, or nil if fresh.
    public func staleness(at time: Timestamp, ruleMaxAgeDays: Int) -> String? {
        if let expiresAt, expiresAt < time { return "evidence \(id) expired at \(expiresAt)" }
        let limit = min(ruleMaxAgeDays, maxAgeDays ?? .max)
        let age = collectedAt.days(until: time)
        if age > Double(limit) {
            return "evidence \(id) is \(Int(age)) days old (limit \(limit) days)"
        }
        return nil
    }
}

/// Kinds of evidence.
public enum EvidenceKind: String, ClosedSet {
    /// The inventory snapshot itself.
    case inventorySnapshot = "inventory-snapshot"
    /// A firewall or router configuration export.
    case firewallExport = "firewall-export"
    /// An identity-provider or directory export.
    case idpExport = "idp-export"
    /// A backup system's log.
    case backupLog = "backup-log"
    /// An EDR or anti-malware report.
    case edrReport = "edr-report"
    /// A log-management report.
    case logReport = "log-report"
    /// A document (policy, plan, audit report).
    case document
    /// Notes of an interview.
    case interviewNote = "interview-note"
    /// A signed attestation.
    case attestation
}
