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
    public func issueToken(role: AccessRole, facilityID: String? = nil, label: String, by actor: Actor) async throws
        -> IssuedAccessToken
    {
        try actor.principal?.checkMayManageTokens()
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(label.count) else {
            throw OperationsError.invalid(field: "label", reason: "must be 1 to 200 characters saying whom it is for")
        }
        guard (role == .staff) == (facilityID != nil) else {
            throw OperationsError.invalid(
                field: "facility",
                reason: role == .staff
                    ? "a staff token is bound to one facility; name it" : "only staff tokens are bound to a facility")
        }
        let token = AccessToken(
            id: AccessToken.makeID(), role: role, facilityID: facilityID, label: label, issuedAt: Date.wholeSecondsNow,
            revokedAt: nil)
        let secret = AccessToken.makeSecret()
        _ = try await change(by: actor, idempotency: nil) { db, log -> AccessToken in
            if let facilityID {
                let kind = try String.fetchOne(
                    db, sql: "SELECT kind FROM facility WHERE id = ?", arguments: [facilityID])
                guard let kind else { throw OperationsError.notFound("there is no facility \(facilityID.prefix(80))") }
                guard FacilityKind(rawValue: kind)?.isShelter == true else {
                    throw OperationsError.invalid(
                        field: "facility",
                        reason: "\(facilityID.prefix(80)) is a \(kind); staff tokens are for relief centres, "
                            + "shelters and temporary stay facilities")
                }
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
            try log.audit(
                "token.issue", subject: token.id,
                detail: "\(role.rawValue)\(facilityID.map { " for \($0)" } ?? ""): \(label)")
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
            guard
                let document = try String.fetchOne(
                    db, sql: "SELECT document FROM accessToken WHERE id = ?", arguments: [id])
            else { throw OperationsError.notFound("there is no token \(id.prefix(80))") }
            var token = try DocumentCoding.decode(AccessToken.self, from: document)
            guard token.revokedAt == nil else {
                throw OperationsError.conflict("token \(id) was already revoked")
            }
            token.revokedAt = Date.wholeSecondsNow
            try db.execute(
                sql: "UPDATE accessToken SET revokedAt = ?, document = ? WHERE id = ?",
                arguments: [token.revokedAt?.ISO8601Format(), try DocumentCoding.encode(token), id])
            try log.audit("token.revoke", subject: id, detail: "\(token.role.rawValue): \(token.label)")
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

    /// Checks the audit log's chain (``AuditChain/verify(_:expectedHead:)``).
    public func verifyAuditLog(expectedHead: AuditHead? = nil) async throws -> AuditChain.Verification {
        AuditChain.verify(try await auditEntries(), expectedHead: expectedHead)
    }
}
