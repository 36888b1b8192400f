/// An information asset (情報資産): a server, terminal, network device, storage or service.
public struct Asset: Sendable, Codable, Hashable, Identifiable {
    /// A unique id.
    public var id: String
    /// A name for people.
    public var name: String
    /// What it is.
    public var type: AssetType
    /// The zone it sits in.
    public var zone: String
    /// The responsible section or person.
    public var owner: String
    /// Flagged important by the municipality (重要システム).
    public var important: Bool?
    /// The data it holds.
    public var dataClasses: [DataHolding]?
    /// Endpoint detection and response installed.
    public var edr: Bool?
    /// Anti-malware installed.
    public var antiMalware: Bool?
    /// Removable-media policy (USB等の外部記録媒体).
    public var usbPolicy: USBPolicy?
    /// The time source it synchronises to.
    public var ntpSource: String?
    /// End of the vendor's support for its operating system or firmware.
    public var supportedUntil: Timestamp?
    /// When patches were last applied.
    public var patchedAt: Timestamp?
    /// A public web server.
    public var publicWebServer: Bool?
    /// Registered with and monitored by the security cloud.
    public var securityCloudMonitored: Bool?
    /// Traffic monitoring or behaviour detection covers it.
    public var trafficMonitored: Bool?
    /// Evidence ids for its facts.
    public var evidence: [String]?

    /// Creates an asset.
    public init(id: String, name: String, type: AssetType, zone: String, owner: String) {
        self.id = id
        self.name = name
        self.type = type
        self.zone = zone
        self.owner = owner
    }
}

/// Kinds of asset.
public enum AssetType: String, ClosedSet {
    /// A server.
    case server
    /// A user terminal.
    case terminal
    /// A router, switch, firewall or gateway.
    case networkDevice = "network-device"
    /// A cloud or SaaS service.
    case saas
    /// Storage.
    case storage
    /// A web server.
    case webServer = "web-server"
    /// A backup target.
    case backupTarget = "backup-target"
    /// A 無害化 (sanitising) gateway.
    case sanitizer
}

/// Data an asset holds, with its classification.
public struct DataHolding: Sendable, Codable, Hashable {
    /// The class of data.
    public var kind: DataKind
    /// 機密性 (自治体機密性 3A/3B/3C/2/1).
    public var confidentiality: Confidentiality

    /// Creates a holding.
    public init(kind: DataKind, confidentiality: Confidentiality) {
        self.kind = kind
        self.confidentiality = confidentiality
    }
}

/// Classes of data.
public enum DataKind: String, ClosedSet {
    /// 特定個人情報 (My Number).
    case specificPersonalInformation = "specific-personal-information"
    /// 個人情報.
    case personal
    /// Internal business data.
    case `internal`
    /// Public information.
    case `public`
}

/// 自治体機密性 classes (令和6年10月版).
public enum Confidentiality: String, ClosedSet {
    /// 機密性3A.
    case c3A = "3A"
    /// 機密性3B.
    case c3B = "3B"
    /// 機密性3C.
    case c3C = "3C"
    /// 機密性2.
    case c2 = "2"
    /// 機密性1.
    case c1 = "1"
}

/// Removable-media policies.
public enum USBPolicy: String, ClosedSet {
    /// All removable media blocked.
    case blocked
    /// Only registered devices (allow-list).
    case allowlist
    /// Open.
    case open
}
