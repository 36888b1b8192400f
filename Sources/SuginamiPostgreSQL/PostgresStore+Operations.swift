import Foundation
import SuginamiKit
import Logging
import PostgresNIO

extension PostgresStore: OperationsStore {
    // MARK: Relief-centre status

    /// Records a status report with its audit entry and public event, in one transaction.
    public func record(_ status: ShelterStatus, by actor: Actor, idempotency: IdempotencyClaim?) async throws
        -> Recorded<ShelterStatus>
    {
        let status = try OperationsRules.preparedStatus(status, by: actor)
        return try await change(by: actor, idempotency: idempotency) { connection, log in
            let kind = try await connection.query(
                "SELECT kind FROM facility WHERE id = \(status.facilityID)", logger: log.logger
            ).collect().first?.decode(String.self)
            try OperationsRules.checkTakesStatus(facilityID: status.facilityID, kind: kind)
            let document = try DocumentCoding.encode(status)
            try await connection.query(
                """
                INSERT INTO shelter_status (facility_id, state, occupancy, reported_at, reported_by, document)
                VALUES (\(status.facilityID), \(status.state.rawValue), \(status.occupancy), \(status.reportedAt),
                        \(status.reportedBy), \(document))
                """, logger: log.logger)
            try await log.audit(OperationsRules.statusNote(status))
            try await log.publish("status", document)
            return status
        }
    }

    /// The latest status report of each facility that has one, keyed by facility id.
    public func currentStatuses() async throws -> [String: ShelterStatus] {
        let statuses = try await documents(
            ShelterStatus.self,
            "SELECT DISTINCT ON (facility_id) document FROM shelter_status ORDER BY facility_id, sequence DESC")
        return Dictionary(statuses.map { ($0.facilityID, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Every report for one facility, oldest first.
    public func statusHistory(of facilityID: String) async throws -> [ShelterStatus] {
        try await documents(
            ShelterStatus.self,
            "SELECT document FROM shelter_status WHERE facility_id = \(facilityID) ORDER BY reported_at, sequence")
    }

    // MARK: Damage reports

    /// Stores a new damage report, its id, receipt time and first state the store's.
    public func submit(_ report: DamageReport, by actor: Actor, publish: Bool, idempotency: IdempotencyClaim?)
        async throws -> Recorded<DamageReport>
    {
        let report = try OperationsRules.preparedSubmission(report, by: actor, publish: publish)
        return try await change(by: actor, idempotency: idempotency) { connection, log in
            try await Self.write(report, on: connection, logger: log.logger)
            try await log.audit(OperationsRules.submissionNote(report))
            if OperationsRules.isPublic(report) {
                try await log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// Applies headquarters' decision to a report.
    public func review(
        reportID: String, _ action: ReportAction, note: String?, by actor: Actor, idempotency: IdempotencyClaim?
    ) async throws -> Recorded<DamageReport> {
        try OperationsRules.checkReview(note: note, by: actor)
        return try await change(by: actor, idempotency: idempotency) { connection, log in
            let stored = try await Self.report(id: reportID, on: connection, logger: log.logger)
            var target: DamageReport?
            if let targetID = OperationsRules.mergeTarget(of: action) {
                target = try await Self.report(id: targetID, on: connection, logger: log.logger)
            }
            let (report, before) = try OperationsRules.reviewed(
                stored, id: reportID, action, note: note, target: target)
            try await Self.write(report, on: connection, logger: log.logger)
            try await log.audit(OperationsRules.reviewNote(report, action, before: before))
            if OperationsRules.isPublic(report, before: before) {
                try await log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// Adds a report's one photo, with an audit entry naming the original's SHA-256.
    public func attach(_ photo: ReportPhoto, toReport id: String, by actor: Actor, idempotency: IdempotencyClaim?)
        async throws -> Recorded<DamageReport>
    {
        try actor.principal?.checkMaySubmitReports()
        return try await change(by: actor, idempotency: idempotency) { connection, log in
            let report = try OperationsRules.withPhoto(
                try await Self.report(id: id, on: connection, logger: log.logger), id: id, photo, by: actor)
            try await connection.query(
                """
                INSERT INTO report_photo (report_id, media_type, original, public_copy)
                VALUES (\(id), \(photo.mediaType), \(Data(photo.original)), \(Data(photo.publicCopy)))
                """, logger: log.logger)
            try await Self.write(report, on: connection, logger: log.logger)
            try await log.audit(OperationsRules.photoNote(photo, reportID: id))
            if OperationsRules.isPublic(report) {
                try await log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// A report's photo: the public copy, or (`original`) the bytes as sent, with its type.
    public func photo(ofReport id: String, original: Bool) async throws -> (mediaType: String, bytes: [UInt8])? {
        try await read { connection in
            let rows = try await connection.query(
                """
                SELECT media_type, CASE WHEN \(original) THEN original ELSE public_copy END
                FROM report_photo WHERE report_id = \(id)
                """, logger: self.logger
            ).collect()
            guard let row = rows.first else { return nil }
            let (mediaType, bytes) = try row.decode((String, Data).self)
            return (mediaType, [UInt8](bytes))
        }
    }

    /// One report.
    public func report(id: String) async throws -> DamageReport? {
        try await read { connection in try await Self.report(id: id, on: connection, logger: self.logger) }
    }

    /// Reports in any of `states` (all when nil), oldest first by receipt.
    public func reports(in states: Set<DamageReport.State>?) async throws -> [DamageReport] {
        guard let states else {
            return try await documents(DamageReport.self, "SELECT document FROM damage_report ORDER BY ordinal")
        }
        let names = states.map(\.rawValue)
        return try await documents(
            DamageReport.self, "SELECT document FROM damage_report WHERE state = ANY(\(names)) ORDER BY ordinal")
    }

    /// Public events after `sequence`, oldest first, at most `limit`.
    public func publicEvents(after sequence: Int64, limit: Int) async throws -> [PublicEvent] {
        try await read { connection in
            try await connection.query(
                """
                SELECT sequence, type, data FROM public_event WHERE sequence > \(sequence)
                ORDER BY sequence LIMIT \(max(0, limit))
                """, logger: self.logger
            ).collect().map {
                let (sequence, type, data) = try $0.decode((Int64, String, String).self)
                return PublicEvent(sequence: sequence, type: type, data: data)
            }
        }
    }

    /// The number of the last public event (0 when there is none).
    public func lastPublicEvent() async throws -> Int64 {
        try await read { connection in
            try await connection.query("SELECT COALESCE(MAX(sequence), 0) FROM public_event", logger: self.logger)
                .collect().first?.decode(Int64.self) ?? 0
        }
    }

    static func report(id: String, on connection: PostgresConnection, logger: Logger) async throws -> DamageReport? {
        try await connection.query("SELECT document FROM damage_report WHERE id = \(id)", logger: logger)
            .collect().first.map { try DocumentCoding.decode(DamageReport.self, from: try $0.decode(String.self)) }
    }

    static func write(_ report: DamageReport, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO damage_report (id, kind, latitude, longitude, observed_at, state, document)
            VALUES (\(report.id), \(report.kind.rawValue), \(report.position.latitude), \(report.position.longitude),
                    \(report.observedAt), \(report.state.rawValue), \(try DocumentCoding.encode(report)))
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, document = excluded.document
            """, logger: logger)
    }

    // MARK: Tokens

    /// Issues a bearer token, storing only its secret's SHA-256, and returns the secret this once.
    public func issueToken(role: AccessRole, facilityID: String?, label: String, by actor: Actor) async throws
        -> IssuedAccessToken
    {
        let token = try OperationsRules.newToken(role: role, facilityID: facilityID, label: label, by: actor)
        let secret = AccessToken.makeSecret()
        let digest = AccessToken.digest(ofSecret: secret)
        _ = try await change(by: actor, idempotency: nil) { connection, log -> AccessToken in
            if let facilityID {
                let kind = try await connection.query(
                    "SELECT kind FROM facility WHERE id = \(facilityID)", logger: log.logger
                ).collect().first?.decode(String.self)
                try OperationsRules.checkTakesStaff(facilityID: facilityID, kind: kind)
            }
            try await connection.query(
                """
                INSERT INTO access_token (id, secret_digest, role, facility_id, revoked_at, document)
                VALUES (\(token.id), \(digest), \(role.rawValue), \(facilityID), NULL,
                        \(try DocumentCoding.encode(token)))
                """, logger: log.logger)
            try await log.audit(OperationsRules.issueNote(token))
            return token
        }
        return IssuedAccessToken(token: token, secret: secret)
    }

    /// Revokes a token: from the moment this returns it authenticates nothing.
    @discardableResult
    public func revokeToken(id: String, by actor: Actor) async throws -> AccessToken {
        try actor.principal?.checkMayManageTokens()
        return try await change(by: actor, idempotency: nil) { connection, log in
            let stored = try await connection.query(
                "SELECT document FROM access_token WHERE id = \(id)", logger: log.logger
            ).collect().first.map { try DocumentCoding.decode(AccessToken.self, from: try $0.decode(String.self)) }
            let token = try OperationsRules.revoked(stored, id: id)
            try await connection.query(
                """
                UPDATE access_token SET revoked_at = \(token.revokedAt), document = \(try DocumentCoding.encode(token))
                WHERE id = \(id)
                """, logger: log.logger)
            try await log.audit(OperationsRules.revokeNote(token))
            return token
        }.value
    }

    /// The principal a live token's secret belongs to: read each time, so a revocation holds at once.
    public func principal(forSecret secret: String) async throws -> Principal? {
        let digest = AccessToken.digest(ofSecret: secret)
        return try await documents(
            AccessToken.self,
            "SELECT document FROM access_token WHERE secret_digest = \(digest) AND revoked_at IS NULL"
        ).first?.principal
    }

    /// Every token's record (never a secret), oldest first.
    public func tokens() async throws -> [AccessToken] {
        try await documents(AccessToken.self, "SELECT document FROM access_token ORDER BY ordinal")
    }

    // MARK: Audit log

    /// The audit log, oldest first.
    public func auditEntries() async throws -> [AuditEntry] {
        try await read { connection in
            try await connection.query(
                "SELECT sequence, payload, previous_hash, hash FROM audit_entry ORDER BY sequence",
                logger: self.logger
            ).collect().map {
                let (sequence, payload, previousHash, hash) = try $0.decode((Int64, String, String, String).self)
                return AuditEntry(sequence: sequence, payload: payload, previousHash: previousHash, hash: hash)
            }
        }
    }

    // MARK: The one write path

    /// The advisory-lock key every operations change takes (any 64-bit number of the store's).
    static let changeLock: Int64 = 0x5347_4B5F_4348_414E

    /// Runs one audited change in one transaction, as ``SuginamiStore``'s does: a retry with a
    /// known key gets the stored answer; otherwise `body` writes, adds its audit entries and
    /// public events through the log, and the answer is kept under the key.
    ///
    /// Changes from every process take one advisory lock for their transaction, so they are
    /// applied one at a time, as SQLite's single writer applies them: the audit chain and the
    /// event numbers follow commit order, and a retry sent to another daemon finds the key.
    func change<Value: Sendable & Codable>(
        by actor: Actor, idempotency: IdempotencyClaim?,
        _ body: @escaping @Sendable (PostgresConnection, inout PostgresChangeLog) async throws -> Value
    ) async throws -> Recorded<Value> {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.changeLock))", logger: self.logger)
            let owner = OperationsRules.idempotencyOwner(actor)
            let now = Date()
            if let idempotency {
                let rows = try await connection.query(
                    """
                    SELECT fingerprint, answer FROM idempotency_record
                    WHERE token_id = \(owner) AND key = \(idempotency.key)
                    """, logger: self.logger
                ).collect()
                if let row = rows.first {
                    let (fingerprint, answer) = try row.decode((String, String).self)
                    return try OperationsRules.replay(
                        idempotency, fingerprint: fingerprint, answer: answer, as: Value.self)
                }
            }
            var log = PostgresChangeLog(connection: connection, actor: actor, time: now, logger: self.logger)
            let value = try await body(connection, &log)
            if let idempotency {
                try await connection.query(
                    """
                    INSERT INTO idempotency_record (token_id, key, fingerprint, answer, created_at)
                    VALUES (\(owner), \(idempotency.key), \(idempotency.fingerprint),
                            \(try DocumentCoding.encode(value)), \(now.timeIntervalSince1970))
                    """, logger: self.logger)
                try await connection.query(
                    """
                    DELETE FROM idempotency_record
                    WHERE created_at < \(now.timeIntervalSince1970 - IdempotencyClaim.retention)
                    """, logger: self.logger)
            }
            if let last = log.events.last {
                // Delivered to every listening daemon when, and only if, this commits.
                try await connection.query(
                    "SELECT pg_notify(\(Self.eventChannel), \(String(last.sequence)))", logger: self.logger)
            }
            return Recorded(value: value, replayed: false, events: log.events)
        }
    }

    /// Follows every process's commits through LISTEN on ``eventChannel`` on a connection of
    /// its own: the last event at once, then each notification's; after a lost connection
    /// (the server restarting), the last event again once a new one listens, since
    /// notifications sent meanwhile are gone.
    public func followPublicEvents(_ committed: @escaping @Sendable (Int64) async -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.eventChannel) { notifications in
                        // Listening from here on: what committed before is read now.
                        await committed(try await self.lastPublicEvent())
                        for try await notification in notifications {
                            if let sequence = Int64(notification.payload) { await committed(sequence) }
                        }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                // The listening connection is the first to know the server went away (shut
                // down, crashed, cut off): requests are refused at once until it answers again.
                if !Task.isCancelled {
                    reachability.markDown()
                    probeUntilReachable()
                }
                logger.notice("following commits: connection lost, listening again", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The notification channel a committed change with public events signals on, its payload
    /// the last event's number.
    public static let eventChannel = "suginami_public_event"
}

/// What one PostgreSQL change writes besides its records: audit entries chained to the log's
/// last one, and public events numbered after the last. Only
/// ``PostgresStore/change(by:idempotency:_:)`` makes one, inside its lock.
struct PostgresChangeLog {
    let connection: PostgresConnection
    let actor: Actor
    let time: Date
    let logger: Logger
    private(set) var events: [PublicEvent] = []
    private var last: (sequence: Int64, hash: String)?
    private var lastEvent: Int64?

    init(connection: PostgresConnection, actor: Actor, time: Date, logger: Logger) {
        self.connection = connection
        self.actor = actor
        self.time = time
        self.logger = logger
    }

    /// Appends an audit entry after the log's last.
    mutating func audit(_ note: OperationsRules.AuditNote) async throws {
        if last == nil {
            let row = try await connection.query(
                "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1", logger: logger
            ).collect().first
            last = try row.map { try $0.decode((Int64, String).self) } ?? (0, AuditEntry.genesis)
        }
        let previous = last ?? (0, AuditEntry.genesis)
        let entry = AuditEntry.make(
            sequence: previous.sequence + 1, time: time, action: note.action, subject: note.subject, actor: actor,
            detail: note.detail, previousHash: previous.hash)
        try await connection.query(
            """
            INSERT INTO audit_entry (sequence, payload, previous_hash, hash)
            VALUES (\(entry.sequence), \(entry.payload), \(entry.previousHash), \(entry.hash))
            """, logger: logger)
        last = (entry.sequence, entry.hash)
    }

    /// Adds a public event, numbered after the last without a gap (the change holds the lock,
    /// so no other transaction numbers one meanwhile).
    mutating func publish(_ type: String, _ data: String) async throws {
        if lastEvent == nil {
            lastEvent =
                try await connection.query(
                    "SELECT COALESCE(MAX(sequence), 0) FROM public_event", logger: logger
                ).collect().first?.decode(Int64.self) ?? 0
        }
        let sequence = (lastEvent ?? 0) + 1
        try await connection.query(
            "INSERT INTO public_event (sequence, type, data) VALUES (\(sequence), \(type), \(data))", logger: logger)
        lastEvent = sequence
        events.append(PublicEvent(sequence: sequence, type: type, data: data))
    }
}
