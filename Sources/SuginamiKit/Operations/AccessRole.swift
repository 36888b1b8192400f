import Foundation

/// Who may do what in disaster operations: the role an access token carries.
public enum AccessRole: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 住民: reads what is published and submits reports, which stay unpublished until
    /// headquarters verifies them.
    case `public`
    /// 救援所・一時滞在施設の職員: staff of one relief centre (震災救援所) or temporary stay
    /// facility (一時滞在施設), bound to it: updates its status, occupancy and needs, and
    /// submits reports.
    case staff
    /// 災害対策本部: verifies, merges, rejects, publishes and withdraws reports; opens and
    /// closes centres; sees everything.
    case headquarters
    /// Issues and revokes tokens.
    case admin

    /// The raw value, as stored and in the API.
    public var description: String { rawValue }
}

/// The holder of a valid token: who is asking, as the access rules and the audit log see them.
public struct Principal: Sendable, Hashable, Codable {
    /// The token's public id (never the secret).
    public var tokenID: String
    /// The role the token carries.
    public var role: AccessRole
    /// For ``AccessRole/staff``: the facility the token is bound to.
    public var facilityID: String?
    /// The label given when the token was issued ("Momoi 3rd primary school, desk 1").
    public var label: String

    /// A principal.
    public init(tokenID: String, role: AccessRole, facilityID: String? = nil, label: String) {
        self.tokenID = tokenID
        self.role = role
        self.facilityID = facilityID
        self.label = label
    }
}

/// Who made a change, as the audit log records it: a token's holder over the network, or a
/// local tool run by someone at the machine.
public struct Actor: Sendable, Hashable, Codable {
    /// The principal, when the change came with a token.
    public var principal: Principal?
    /// Where it came from: the client's address, or the local command (`refd token issue`).
    public var source: String

    /// A token holder calling from `address`.
    public static func principal(_ principal: Principal, from address: String) -> Actor {
        Actor(principal: principal, source: address)
    }

    /// A command run on the machine itself (its operator is whoever can run it).
    public static func localTool(_ command: String) -> Actor { Actor(principal: nil, source: "local: \(command)") }
}

extension Principal {
    /// Whether this principal may change the status of `facilityID`: headquarters for any
    /// centre, staff for their own.
    /// - Throws: ``OperationsError/forbidden(_:)`` saying why not.
    public func checkMayUpdateStatus(of facilityID: String) throws(OperationsError) {
        switch role {
        case .headquarters: return
        case .staff:
            guard self.facilityID == facilityID else {
                throw .forbidden(
                    "this staff token is bound to \(self.facilityID ?? "no facility"); "
                        + "it cannot change \(facilityID.prefix(80))")
            }
        case .public, .admin:
            throw .forbidden("a \(role) token cannot change a centre's status; staff and headquarters tokens can")
        }
    }

    /// Whether this principal may submit reports (everyone but admin, whose tokens only manage
    /// tokens).
    public func checkMaySubmitReports() throws(OperationsError) {
        guard role != .admin else { throw .forbidden("an admin token manages tokens; it cannot submit reports") }
    }

    /// Whether this principal may review reports (verify, merge, reject, publish, withdraw) and
    /// read unpublished ones: headquarters only.
    public func checkMayReview() throws(OperationsError) {
        guard role == .headquarters else {
            throw .forbidden("reviewing reports is for headquarters tokens; this one is \(role)")
        }
    }

    /// Whether this principal may issue and revoke tokens: admin only.
    public func checkMayManageTokens() throws(OperationsError) {
        guard role == .admin else {
            throw .forbidden("issuing and revoking tokens is for admin tokens; this one is \(role)")
        }
    }
}
