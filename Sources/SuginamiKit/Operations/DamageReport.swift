import Foundation

/// 被害報告: a report of damage seen on the ground, from residents, staff or relief centres.
public struct DamageReport: Sendable, Hashable, Codable, Identifiable {
    /// What was seen.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 建物倒壊.
        case collapse
        /// 火災.
        case fire
        /// 道路閉塞: a road that cannot be passed.
        case roadBlocked = "road_blocked"
        /// 負傷者.
        case injury
        /// Anything else.
        case other
    }

    /// Who made the report, which decides how far it is trusted before checking.
    public enum ReporterRole: String, Sendable, Hashable, Codable, CaseIterable {
        /// A resident (住民).
        case resident
        /// Ward staff (区職員).
        case staff
        /// A relief centre's operating committee (救援所運営連絡会).
        case reliefCentre = "relief_centre"
        /// Fire brigade or police (消防・警察).
        case emergencyService = "emergency_service"
    }

    /// Where the report stands.
    public enum Verification: String, Sendable, Hashable, Codable, CaseIterable {
        /// Not yet checked.
        case unverified
        /// Checked and true.
        case confirmed
        /// Checked and not true, or a duplicate.
        case rejected
    }

    /// A unique id (a UUID string when the reporter gives none).
    public var id: String
    /// What was seen.
    public var kind: Kind
    /// Where.
    public var position: GeoPoint
    /// When it was seen (the store keeps it to the second).
    public var reportedAt: Date
    /// The reporter's words.
    public var text: String
    /// Who reported.
    public var reporterRole: ReporterRole
    /// Whether it has been checked.
    public var verification: Verification

    /// Creates a report.
    public init(
        id: String = UUID().uuidString, kind: Kind, position: GeoPoint, reportedAt: Date, text: String,
        reporterRole: ReporterRole, verification: Verification = .unverified
    ) {
        self.id = id
        self.kind = kind
        self.position = position
        self.reportedAt = reportedAt
        self.text = text
        self.reporterRole = reporterRole
        self.verification = verification
    }
}
