/// A network zone (ネットワーク区分).
public struct Zone: Sendable, Codable, Hashable, Identifiable {
    /// A unique id.
    public var id: String
    /// A name for people.
    public var name: String
    /// What kind of zone this is; the guideline's rules are written over kinds.
    public var kind: ZoneKind

    /// Creates a zone.
    public init(id: String, name: String, kind: ZoneKind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

/// Kinds of zone in the three-layer separation (三層分離) and beyond it.
public enum ZoneKind: String, ClosedSet {
    /// マイナンバー利用事務系.
    case mynumber
    /// LGWAN接続系.
    case lgwan
    /// インターネット接続系.
    case internet
    /// The internet itself.
    case externalInternet = "external-internet"
    /// Other organisations reached over LGWAN.
    case externalLGWAN = "external-lgwan"
    /// Systems built by the state or public agencies (マイナポータル, eLTAX, ガバメントクラウド).
    case externalPublicAgency = "external-public-agency"
    /// 自治体情報セキュリティクラウド.
    case securityCloud = "security-cloud"
}
