import Foundation
import GRDB

extension SuginamiStore: OperationsStore {
    // MARK: Relief-centre status

    /// Records a relief centre's or shelter's status report, checked against who sends it, with
    /// its audit entry and its public event, in one transaction: when this returns, all three
    /// are on disk; if it throws, none is.
    /// - Parameters:
    ///   - status: the report; `reportedBy` is replaced by the actor's label.
    ///   - actor: who sends it (a token holder is checked with
    ///     ``Principal/checkMayUpdateStatus(of:)``).
    ///   - idempotency: the client's key, if it may retry.
    /// - Throws: ``OperationsError`` (not allowed, unknown facility, a kind without status, a
    ///   reused key) and ``StoreError/invalidRecord(id:problems:)`` for a bad report.
    @discardableResult
    public func record(_ status: ShelterStatus, by actor: Actor, idempotency: IdempotencyClaim?) async throws
        -> Recorded<ShelterStatus>
    {
        let stored = try OperationsRules.preparedStatus(status, by: actor)
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let status = stored
            try OperationsRules.checkTakesStatus(
                facilityID: status.facilityID,
                kind: try String.fetchOne(
                    db, sql: "SELECT kind FROM facility WHERE id = ?", arguments: [status.facilityID]))
            let document = try DocumentCoding.encode(status)
            try db.execute(
                sql: """
                    INSERT INTO shelterStatus (facilityID, state, occupancy, reportedAt, reportedBy, document)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    status.facilityID, status.state.rawValue, status.occupancy,
                    status.reportedAt.ISO8601Format(), status.reportedBy, document,
                ])
            try log.audit(OperationsRules.statusNote(status))
            try log.publish("status", document)
            return status
        }
    }

    /// The latest status report of each facility that has one (the last recorded), keyed by
    /// facility id.
    public func currentStatuses() async throws -> [String: ShelterStatus] {
        try await pool.read { db in
            let documents = try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM shelterStatus s
                    WHERE sequence = (SELECT MAX(sequence) FROM shelterStatus t WHERE t.facilityID = s.facilityID)
                    """)
            var result: [String: ShelterStatus] = [:]
            for document in documents {
                let status = try DocumentCoding.decode(ShelterStatus.self, from: document)
                result[status.facilityID] = status
            }
            return result
        }
    }

    /// Every report for one facility, oldest first.
    public func statusHistory(of facilityID: String) async throws -> [ShelterStatus] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT document FROM shelterStatus WHERE facilityID = ? ORDER BY reportedAt, sequence",
                arguments: [facilityID]
            ).map { try DocumentCoding.decode(ShelterStatus.self, from: $0) }
        }
    }

    // MARK: Damage reports

    /// Stores a new damage report. Its id, receipt time and first state are the store's:
    /// `submitted` from the public, `verified` from staff and headquarters
    /// (``DamageReport/initialState(for:)``), and `published` when headquarters asks for it
    /// with `publish` (a closure it draws itself).
    /// - Throws: ``OperationsError`` and ``StoreError/invalidRecord(id:problems:)``.
    @discardableResult
    public func submit(
        _ report: DamageReport, by actor: Actor, publish: Bool, idempotency: IdempotencyClaim?
    )
        async throws -> Recorded<DamageReport>
    {
        let stored = try OperationsRules.preparedSubmission(report, by: actor, publish: publish)
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let report = stored
            try Self.write(report, in: db)
            try log.audit(OperationsRules.submissionNote(report))
            if OperationsRules.isPublic(report) {
                try log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// Applies headquarters' decision to a report.
    /// - Throws: ``OperationsError`` (not headquarters, unknown report, an action that does not
    ///   apply to its state, a merge into itself or into an unknown or closed report, a reused key).
    @discardableResult
    public func review(
        reportID: String, _ action: ReportAction, note: String?, by actor: Actor, idempotency: IdempotencyClaim?
    ) async throws -> Recorded<DamageReport> {
        try OperationsRules.checkReview(note: note, by: actor)
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let (report, before) = try OperationsRules.reviewed(
                try Self.report(id: reportID, in: db), id: reportID, action, note: note,
                target: try OperationsRules.mergeTarget(of: action).flatMap { try Self.report(id: $0, in: db) })
            try Self.write(report, in: db)
            try log.audit(OperationsRules.reviewNote(report, action, before: before))
            if OperationsRules.isPublic(report, before: before) {
                try log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// Adds a report's one photo (``ReportPhoto``: the original and its public copy), by its
    /// author's token or by headquarters, with an audit entry naming the original's SHA-256.
    /// - Throws: ``OperationsError`` (unknown report, another author, a photo already there, a
    ///   reused key).
    @discardableResult
    public func attach(_ photo: ReportPhoto, toReport id: String, by actor: Actor, idempotency: IdempotencyClaim?)
        async throws -> Recorded<DamageReport>
    {
        try actor.principal?.checkMaySubmitReports()
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let report = try OperationsRules.withPhoto(try Self.report(id: id, in: db), id: id, photo, by: actor)
            try db.execute(
                sql: """
                    INSERT INTO reportPhoto (reportID, mediaType, original, publicCopy) VALUES (?, ?, ?, ?)
                    """,
                arguments: [id, photo.mediaType, Data(photo.original), Data(photo.publicCopy)])
            try Self.write(report, in: db)
            try log.audit(OperationsRules.photoNote(photo, reportID: id))
            if OperationsRules.isPublic(report) {
                try log.publish("report", report.publicView.geoJSONFeature().serialized())
            }
            return report
        }
    }

    /// A report's photo: the public copy, or (`original`) the bytes as sent, with its type.
    public func photo(ofReport id: String, original: Bool) async throws -> (mediaType: String, bytes: [UInt8])? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT mediaType, \(original ? "original" : "publicCopy") AS bytes FROM reportPhoto WHERE reportID = ?",
                arguments: [id]
            ).map { ($0["mediaType"], [UInt8]($0["bytes"] as Data)) }
        }
    }

    /// One report.
    public func report(id: String) async throws -> DamageReport? {
        try await pool.read { db in try Self.report(id: id, in: db) }
    }

    /// Reports in any of `states` (all when nil), oldest first by receipt.
    public func reports(in states: Set<DamageReport.State>?) async throws -> [DamageReport] {
        try await pool.read { db in
            let rows: [String]
            if let states {
                let list = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
                rows = try String.fetchAll(
                    db, sql: "SELECT document FROM damageReport WHERE state IN (\(list)) ORDER BY rowid")
            } else {
                rows = try String.fetchAll(db, sql: "SELECT document FROM damageReport ORDER BY rowid")
            }
            return try rows.map { try DocumentCoding.decode(DamageReport.self, from: $0) }
        }
    }

    /// Public events after `sequence`, oldest first, at most `limit`.
    public func publicEvents(after sequence: Int64, limit: Int) async throws -> [PublicEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT sequence, type, data FROM publicEvent WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence, limit]
            ).map { PublicEvent(sequence: $0["sequence"], type: $0["type"], data: $0["data"]) }
        }
    }

    /// How often another process's commits are looked for (an SQLite file notifies nobody).
    public static let followInterval = Duration.milliseconds(250)

    /// Follows the file's public events by asking for the last one every ``followInterval``.
    public func followPublicEvents(_ committed: @escaping @Sendable (Int64) async -> Void) async throws {
        var last: Int64 = -1
        while !Task.isCancelled {
            if let now = try? await lastPublicEvent(), now != last {
                last = now
                await committed(now)
            }
            try await Task.sleep(for: Self.followInterval)
        }
    }

    /// The number of the last public event (0 when there is none).
    public func lastPublicEvent() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM publicEvent") ?? 0 }
    }

    static func report(id: String, in db: Database) throws -> DamageReport? {
        try String.fetchOne(db, sql: "SELECT document FROM damageReport WHERE id = ?", arguments: [id])
            .map { try DocumentCoding.decode(DamageReport.self, from: $0) }
    }

    static func write(_ report: DamageReport, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO damageReport (id, kind, latitude, longitude, reportedAt, state, document)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, document = excluded.document
                """,
            arguments: [
                report.id, report.kind.rawValue, report.position.latitude, report.position.longitude,
                report.observedAt.ISO8601Format(), report.state.rawValue, try DocumentCoding.encode(report),
            ])
    }

    // MARK: The one write path

    /// Runs one audited change in one transaction: a retry with a known key gets the stored
    /// answer (or ``OperationsError/keyReused(_:)`` if the request differs); otherwise `body`
    /// writes, adds its audit entries and public events through the log, and the answer is kept
    /// under the key. Keys older than ``IdempotencyClaim/retention`` are dropped on the way.
    func change<Value: Sendable & Codable>(
        by actor: Actor, idempotency: IdempotencyClaim?, _ body: @Sendable (Database, inout ChangeLog) throws -> Value
    ) async throws -> Recorded<Value> {
        try await pool.write { db in
            let tokenID = OperationsRules.idempotencyOwner(actor)
            let now = Date()
            if let idempotency,
                let row = try Row.fetchOne(
                    db, sql: "SELECT fingerprint, answer FROM idempotencyRecord WHERE tokenID = ? AND key = ?",
                    arguments: [tokenID, idempotency.key])
            {
                return try OperationsRules.replay(
                    idempotency, fingerprint: row["fingerprint"], answer: row["answer"], as: Value.self)
            }
            var log = ChangeLog(db: db, actor: actor, time: now)
            let value = try body(db, &log)
            if let idempotency {
                try db.execute(
                    sql: """
                        INSERT INTO idempotencyRecord (tokenID, key, fingerprint, answer, createdAt) VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        tokenID, idempotency.key, idempotency.fingerprint, try DocumentCoding.encode(value),
                        now.timeIntervalSince1970,
                    ])
                try db.execute(
                    sql: "DELETE FROM idempotencyRecord WHERE createdAt < ?",
                    arguments: [now.timeIntervalSince1970 - IdempotencyClaim.retention])
            }
            return Recorded(value: value, replayed: false, events: log.events)
        }
    }
}

/// What one change writes besides its records: audit entries chained to the log's last one,
/// and public events. Only ``SuginamiStore/change(by:idempotency:_:)`` makes one.
struct ChangeLog {
    let db: Database
    let actor: Actor
    let time: Date
    private(set) var events: [PublicEvent] = []
    /// The log's last entry as this change left it: read once, then carried from entry to
    /// entry (a read of 20,000 people writes 20,000 entries in one change).
    private var last: (sequence: Int64, hash: String)?

    init(db: Database, actor: Actor, time: Date) {
        self.db = db
        self.actor = actor
        self.time = time
    }

    /// Appends an audit entry after the log's last.
    mutating func audit(_ note: OperationsRules.AuditNote) throws {
        try audit(note.action, subject: note.subject, detail: note.detail)
    }

    /// Appends an audit entry after the log's last.
    mutating func audit(_ action: String, subject: String, detail: String) throws {
        if last == nil {
            let row = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM auditEntry ORDER BY sequence DESC LIMIT 1")
            last = (row?["sequence"] ?? 0, row?["hash"] ?? AuditEntry.genesis)
        }
        let previous = last ?? (0, AuditEntry.genesis)
        let entry = AuditEntry.make(
            sequence: previous.sequence + 1, time: time, action: action, subject: subject, actor: actor,
            detail: detail, previousHash: previous.hash)
        try db.cachedStatement(
            sql: "INSERT INTO auditEntry (sequence, payload, previousHash, hash) VALUES (?, ?, ?, ?)"
        )
        .execute(arguments: [entry.sequence, entry.payload, entry.previousHash, entry.hash])
        last = (entry.sequence, entry.hash)
    }

    /// Adds a public event.
    mutating func publish(_ type: String, _ data: String) throws {
        try db.execute(sql: "INSERT INTO publicEvent (type, data) VALUES (?, ?)", arguments: [type, data])
        events.append(PublicEvent(sequence: db.lastInsertedRowID, type: type, data: data))
    }
}
