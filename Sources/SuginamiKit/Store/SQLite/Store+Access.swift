import Foundation
import GRDB

extension SuginamiStore {
    /// Issues a bearer token: stores its record and the SHA-256 of its secret (never the
    /// secret), with an audit entry, and returns the secret this once.
    /// - Parameters:
    ///   - role: what it may do.
    ///   - facilityID: for ``AccessRole/staff``, the facility it is bound to (required then, and
    ///     refused for other roles); a relief centre, shelter or temporary stay facility.
    ///   - label: whom it is for, in words (1–200 characters).
    ///   - actor: who issues it: an admin token's holder, or a local tool.
    /// - Throws: ``OperationsError``.
    public func issueToken(role: AccessRole, facilityID: String?, label: String, by actor: Actor) async throws
        -> IssuedAccessToken
    {
        let token = try OperationsRules.newToken(role: role, facilityID: facilityID, label: label, by: actor)
        let secret = AccessToken.makeSecret()
        _ = try await change(by: actor, idempotency: nil) { db, log -> AccessToken in
            if let facilityID {
                try OperationsRules.checkTakesStaff(
                    facilityID: facilityID,
                    kind: try String.fetchOne(
                        db, sql: "SELECT kind FROM facility WHERE id = ?", arguments: [facilityID]))
            }
            try db.execute(
                sql: """
                    INSERT INTO accessToken (id, secretDigest, role, facilityID, revokedAt, document)
                    VALUES (?, ?, ?, ?, NULL, ?)
                    """,
                arguments: [
                    token.id, AccessToken.digest(ofSecret: secret), role.rawValue, facilityID,
                    try DocumentCoding.encode(token),
                ])
            try log.audit(OperationsRules.issueNote(token))
            return token
        }
        return IssuedAccessToken(token: token, secret: secret)
    }

    /// Revokes a token: from the moment this returns it authenticates nothing.
    /// - Throws: ``OperationsError/notFound(_:)`` for an unknown token,
    ///   ``OperationsError/conflict(_:)`` for one already revoked, and the access errors.
    @discardableResult
    public func revokeToken(id: String, by actor: Actor) async throws -> AccessToken {
        try actor.principal?.checkMayManageTokens()
        return try await change(by: actor, idempotency: nil) { db, log in
            let token = try OperationsRules.revoked(
                try String.fetchOne(db, sql: "SELECT document FROM accessToken WHERE id = ?", arguments: [id])
                    .map { try DocumentCoding.decode(AccessToken.self, from: $0) },
                id: id)
            try db.execute(
                sql: "UPDATE accessToken SET revokedAt = ?, document = ? WHERE id = ?",
                arguments: [token.revokedAt?.ISO8601Format(), try DocumentCoding.encode(token), id])
            try log.audit(OperationsRules.revokeNote(token))
            return token
        }.value
    }

    /// The principal a bearer secret belongs to, or nil when no live token has it (unknown or
    /// revoked): a database read each time, so a revocation holds at once, in every process.
    public func principal(forSecret secret: String) async throws -> Principal? {
        let digest = AccessToken.digest(ofSecret: secret)
        return try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT document FROM accessToken WHERE secretDigest = ? AND revokedAt IS NULL",
                arguments: [digest]
            ).map { try DocumentCoding.decode(AccessToken.self, from: $0).principal }
        }
    }

    /// Every token's record (never a secret), oldest first.
    public func tokens() async throws -> [AccessToken] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM accessToken ORDER BY rowid")
                .map { try DocumentCoding.decode(AccessToken.self, from: $0) }
        }
    }

    // MARK: Audit log

    /// The audit log, oldest first.
    public func auditEntries() async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, payload, previousHash, hash FROM auditEntry ORDER BY sequence")
                .map {
                    AuditEntry(
                        sequence: $0["sequence"], payload: $0["payload"], previousHash: $0["previousHash"],
                        hash: $0["hash"])
                }
        }
    }
}
