/// A backup arrangement for one system (バックアップ).
public struct Backup: Sendable, Codable, Hashable {
    /// The asset backed up.
    public var system: String
    /// Hours between backups.
    public var intervalHours: Int
    /// The last successful backup.
    public var lastSuccessAt: Timestamp?
    /// The copies kept.
    public var copies: [BackupCopy]
    /// The last successful restore test.
    public var lastRestoreTestAt: Timestamp?
    /// Evidence ids (e.g. a backup log).
    public var evidence: [String]?

    /// Creates a backup arrangement.
    public init(system: String, intervalHours: Int, copies: [BackupCopy]) {
        self.system = system
        self.intervalHours = intervalHours
        self.copies = copies
    }
}

/// One copy of a backup.
public struct BackupCopy: Sendable, Codable, Hashable {
    /// Where it is kept.
    public var location: BackupLocation
    /// Offline or immutable (ransomware-resistant).
    public var offline: Bool?
    /// Encrypted.
    public var encrypted: Bool?

    /// Creates a copy.
    public init(location: BackupLocation, offline: Bool? = nil, encrypted: Bool? = nil) {
        self.location = location
        self.offline = offline
        self.encrypted = encrypted
    }
}

/// Backup locations.
public enum BackupLocation: String, ClosedSet {
    /// On the same site.
    case onsite
    /// Off site (遠隔地).
    case offsite
    /// In a cloud service.
    case cloud
}

/// A source of logs (ログ).
public struct LogSource: Sendable, Codable, Hashable {
    /// The asset emitting them.
    public var asset: String
    /// Kinds of log.
    public var types: [LogType]
    /// Sent to the central store.
    public var centralStore: Bool
    /// Days kept.
    public var retentionDays: Int
    /// Evidence ids.
    public var evidence: [String]?

    /// Creates a log source.
    public init(asset: String, types: [LogType], centralStore: Bool, retentionDays: Int) {
        self.asset = asset
        self.types = types
        self.centralStore = centralStore
        self.retentionDays = retentionDays
    }
}

/// Kinds of log.
public enum LogType: String, ClosedSet {
    /// Authentication.
    case auth
    /// Access.
    case access
    /// Administration.
    case admin
    /// Network traffic.
    case traffic
}

/// A security incident (情報セキュリティインシデント).
public struct Incident: Sendable, Codable, Hashable, Identifiable {
    /// A unique id.
    public var id: String
    /// When it was detected.
    public var detectedAt: Timestamp
    /// When it was reported to the CSIRT.
    public var reportedAt: Timestamp?
    /// Its state.
    public var status: IncidentStatus
    /// Who handles it.
    public var owner: String?
    /// When it was closed.
    public var closedAt: Timestamp?
    /// The lessons-learned record of a closed incident.
    public var lessonsRef: String?
    /// Personal data was involved.
    public var personalData: Bool?
    /// Reported to the Personal Information Protection Commission (個人情報保護委員会).
    public var ppcReported: Bool?
    /// Evidence ids.
    public var evidence: [String]?

    /// Creates an incident.
    public init(id: String, detectedAt: Timestamp, status: IncidentStatus) {
        self.id = id
        self.detectedAt = detectedAt
        self.status = status
    }
}

/// Incident states.
public enum IncidentStatus: String, ClosedSet {
    /// Being handled.
    case open
    /// Closed.
    case closed
}

/// An ICT-BCP entry for one system (業務継続計画).
public struct BCPEntry: Sendable, Codable, Hashable {
    /// The asset covered.
    public var system: String
    /// Recovery time objective in hours.
    public var rtoHours: Double
    /// Recovery point objective in hours.
    public var rpoHours: Double
    /// The last exercise (訓練).
    public var lastExerciseAt: Timestamp?
    /// Evidence ids.
    public var evidence: [String]?

    /// Creates an entry.
    public init(system: String, rtoHours: Double, rpoHours: Double) {
        self.system = system
        self.rtoHours = rtoHours
        self.rpoHours = rpoHours
    }
}
