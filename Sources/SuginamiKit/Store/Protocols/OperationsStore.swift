import Foundation

/// Disaster operations in a store: relief-centre status (震災救援所の開設状況), damage reports
/// and their review, report photos, the numbered public events the live map follows, bearer
/// tokens, and the hash-chained audit log every change writes to.
///
/// Every change is one transaction with its audit entry and its public events: all are stored
/// or none is. Changes are serialised across every process that shares the store, so the audit
/// log stays one chain and an idempotency key gives one answer, whichever daemon took the
/// retry. Two back ends give it: ``SuginamiStore`` (SQLite) and `PostgresStore` (SuginamiPostgreSQL).
public protocol OperationsStore: Sendable {
    /// Records a relief centre's or shelter's status report, checked against who sends it.
    /// - Parameters:
    ///   - status: the report; `reportedBy` is replaced by the actor's label.
    ///   - actor: who sends it (a token holder is checked with
    ///     ``Principal/checkMayUpdateStatus(of:)``).
    ///   - idempotency: the client's key, if it may retry.
    /// - Throws: ``OperationsError`` (not allowed, unknown facility, a kind without status, a
    ///   reused key) and ``StoreError/invalidRecord(id:problems:)`` for a bad report.
    func record(_ status: ShelterStatus, by actor: Actor, idempotency: IdempotencyClaim?) async throws
        -> Recorded<ShelterStatus>

    /// The latest status report of each facility that has one (the last recorded), keyed by
    /// facility id.
    func currentStatuses() async throws -> [String: ShelterStatus]

    /// Every report for one facility, oldest first.
    func statusHistory(of facilityID: String) async throws -> [ShelterStatus]

    /// Stores a new damage report. Its id, receipt time and first state are the store's:
    /// `submitted` from the public, `verified` from staff and headquarters
    /// (``DamageReport/initialState(for:)``), and `published` when headquarters asks for it
    /// with `publish`.
    /// - Throws: ``OperationsError`` and ``StoreError/invalidRecord(id:problems:)``.
    func submit(_ report: DamageReport, by actor: Actor, publish: Bool, idempotency: IdempotencyClaim?) async throws
        -> Recorded<DamageReport>

    /// Applies headquarters' decision to a report.
    /// - Throws: ``OperationsError`` (not headquarters, unknown report, an action that does not
    ///   apply to its state, a merge into itself or into an unknown or closed report, a reused key).
    func review(
        reportID: String, _ action: ReportAction, note: String?, by actor: Actor, idempotency: IdempotencyClaim?
    ) async throws -> Recorded<DamageReport>

    /// Adds a report's one photo, by its author's token or by headquarters, with an audit
    /// entry naming the original's SHA-256.
    /// - Throws: ``OperationsError`` (unknown report, another author, a photo already there, a
    ///   reused key).
    func attach(_ photo: ReportPhoto, toReport id: String, by actor: Actor, idempotency: IdempotencyClaim?)
        async throws -> Recorded<DamageReport>

    /// A report's photo: the public copy, or (`original`) the bytes as sent, with its type.
    func photo(ofReport id: String, original: Bool) async throws -> (mediaType: String, bytes: [UInt8])?

    /// One report.
    func report(id: String) async throws -> DamageReport?

    /// Reports in any of `states` (all when nil), oldest first by receipt.
    func reports(in states: Set<DamageReport.State>?) async throws -> [DamageReport]

    /// Public events after `sequence`, oldest first, at most `limit`.
    func publicEvents(after sequence: Int64, limit: Int) async throws -> [PublicEvent]

    /// The number of the last public event (0 when there is none).
    func lastPublicEvent() async throws -> Int64

    /// Issues a bearer token: stores its record and the SHA-256 of its secret (never the
    /// secret), with an audit entry, and returns the secret this once.
    /// - Parameters:
    ///   - role: what it may do.
    ///   - facilityID: for ``AccessRole/staff``, the facility it is bound to (required then, and
    ///     refused for other roles); a relief centre, shelter or temporary stay facility.
    ///   - label: whom it is for, in words (1–200 characters).
    ///   - actor: who issues it: an admin token's holder, or a local tool.
    /// - Throws: ``OperationsError``.
    func issueToken(role: AccessRole, facilityID: String?, label: String, by actor: Actor) async throws
        -> IssuedAccessToken

    /// Revokes a token: from the moment this returns it authenticates nothing.
    /// - Throws: ``OperationsError/notFound(_:)`` for an unknown token,
    ///   ``OperationsError/conflict(_:)`` for one already revoked, and the access errors.
    @discardableResult
    func revokeToken(id: String, by actor: Actor) async throws -> AccessToken

    /// The principal a bearer secret belongs to, or nil when no live token has it (unknown or
    /// revoked): a database read each time, so a revocation holds at once, in every process.
    func principal(forSecret secret: String) async throws -> Principal?

    /// Every token's record (never a secret), oldest first.
    func tokens() async throws -> [AccessToken]

    /// The audit log, oldest first.
    func auditEntries() async throws -> [AuditEntry]

    /// Follows what every process sharing the store commits: calls `committed` with the number
    /// of the last public event whenever it may have grown (at once when following starts, and
    /// again after any lost connection), until the task is cancelled. A daemon passes it to the
    /// desk that applies events, so that a status or closure another daemon took reaches this
    /// one's routes, live map and streams.
    ///
    /// PostgreSQL notifies (LISTEN/NOTIFY on `PostgresStore.eventChannel`): milliseconds. An
    /// SQLite file has no notifications: it is asked every ``SuginamiStore/followInterval``.
    func followPublicEvents(_ committed: @escaping @Sendable (Int64) async -> Void) async throws
}

extension OperationsStore {
    /// Records a status report without an idempotency key.
    @discardableResult
    public func record(_ status: ShelterStatus, by actor: Actor) async throws -> Recorded<ShelterStatus> {
        try await record(status, by: actor, idempotency: nil)
    }

    /// Stores a new damage report (``submit(_:by:publish:idempotency:)``), without an
    /// idempotency key.
    @discardableResult
    public func submit(_ report: DamageReport, by actor: Actor, publish: Bool = false) async throws
        -> Recorded<DamageReport>
    {
        try await submit(report, by: actor, publish: publish, idempotency: nil)
    }

    /// Stores a new, unpublished damage report with the client's idempotency key.
    @discardableResult
    public func submit(_ report: DamageReport, by actor: Actor, idempotency: IdempotencyClaim?) async throws
        -> Recorded<DamageReport>
    {
        try await submit(report, by: actor, publish: false, idempotency: idempotency)
    }

    /// Applies headquarters' decision to a report (``review(reportID:_:note:by:idempotency:)``).
    @discardableResult
    public func review(
        reportID: String, _ action: ReportAction, note: String? = nil, by actor: Actor
    ) async throws -> Recorded<DamageReport> {
        try await review(reportID: reportID, action, note: note, by: actor, idempotency: nil)
    }

    /// Adds a report's photo without an idempotency key.
    @discardableResult
    public func attach(_ photo: ReportPhoto, toReport id: String, by actor: Actor) async throws
        -> Recorded<DamageReport>
    {
        try await attach(photo, toReport: id, by: actor, idempotency: nil)
    }

    /// A report's public photo.
    public func photo(ofReport id: String) async throws -> (mediaType: String, bytes: [UInt8])? {
        try await photo(ofReport: id, original: false)
    }

    /// Every report, oldest first by receipt.
    public func reports() async throws -> [DamageReport] {
        try await reports(in: nil)
    }

    /// Public events after `sequence`, oldest first, at most 1,000.
    public func publicEvents(after sequence: Int64) async throws -> [PublicEvent] {
        try await publicEvents(after: sequence, limit: 1_000)
    }

    /// Issues a token not bound to a facility.
    public func issueToken(role: AccessRole, label: String, by actor: Actor) async throws -> IssuedAccessToken {
        try await issueToken(role: role, facilityID: nil, label: label, by: actor)
    }

    /// Checks the audit log's chain (``AuditChain/verify(_:expectedHead:)``).
    public func verifyAuditLog(expectedHead: AuditHead? = nil) async throws -> AuditChain.Verification {
        AuditChain.verify(try await auditEntries(), expectedHead: expectedHead)
    }
}
