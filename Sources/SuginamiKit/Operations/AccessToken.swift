import Crypto
import Foundation

/// A bearer token's record: what the store keeps. The secret itself is never stored, only its
/// SHA-256, so a copy of the database cannot be used to call the API.
public struct AccessToken: Sendable, Hashable, Codable, Identifiable {
    /// The public id (`tok_` and 12 hex digits): what the audit log, lists and revocation use.
    public var id: String
    /// The role it carries.
    public var role: AccessRole
    /// For ``AccessRole/staff``: the facility it is bound to.
    public var facilityID: String?
    /// Whom it was issued to, in words.
    public var label: String
    /// When it was issued.
    public var issuedAt: Date
    /// When it was revoked, if it was: from then on it authenticates nothing.
    public var revokedAt: Date?

    /// The principal the token's holder is.
    public var principal: Principal { Principal(tokenID: id, role: role, facilityID: facilityID, label: label) }

    /// The SHA-256 of a secret, in hex: how the store finds a token without keeping it.
    public static func digest(ofSecret secret: String) -> String { digest(of: Array(secret.utf8)) }

    /// The SHA-256 of bytes, in hex.
    package static func digest(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A new secret: `sgk_` and 43 characters of base64url (256 random bits from the system's
    /// cryptographic generator).
    package static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "sgk_" + text
    }

    /// A new public id.
    package static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "tok_"
            + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
    }
}

/// A token just issued: its record and its secret, which is shown this once and cannot be
/// recovered later.
public struct IssuedAccessToken: Sendable, Hashable {
    /// The record.
    public let token: AccessToken
    /// The bearer secret to hand to its holder.
    public let secret: String

    package init(token: AccessToken, secret: String) {
        self.token = token
        self.secret = secret
    }
}
