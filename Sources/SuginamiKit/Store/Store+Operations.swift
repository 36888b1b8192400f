import Foundation
import GRDB

/// The outcome of a disaster-operations write: the stored value, whether it was the stored
/// answer to an earlier request with the same idempotency key, and what the write published.
public struct Recorded<Value: Sendable & Codable>: Sendable {
    /// The value as stored.
    public let value: Value
    /// Whether this is a retry's answer: nothing was written this time.
    public let replayed: Bool
    /// The public events the write added (none for a retry, whose events went out before).
    public let events: [PublicEvent]
}

/// A change the public may see (a centre's status, a report published or withdrawn), numbered
/// in the order it was committed: what the daemon's live stream sends, and sends again to a
/// client that reconnects (`Last-Event-ID`).
public struct PublicEvent: Sendable, Hashable {
    /// The stream's event id, 1, 2, 3…
    public let sequence: Int64
    /// `status` or `report`.
    public let type: String
    /// The JSON the stream carries.
    public let data: String

    /// For a `status` event: the report it carries.
    public var status: ShelterStatus? {
        type == "status" ? try? DocumentCoding.decode(ShelterStatus.self, from: data) : nil
    }

    /// For a `report` event: the id of the report (the `id` of the Feature it carries).
    public var reportID: String? {
        guard type == "report", case .string(let id)? = try? JSONValue.parse(Data(data.utf8), file: "event")["id"]
        else { return nil }
        return id
    }
}

extension SuginamiStore {
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
    public func record(_ status: ShelterStatus, by actor: Actor, idempotency: IdempotencyClaim? = nil) async throws
        -> Recorded<ShelterStatus>
    {
        try actor.principal?.checkMayUpdateStatus(of: status.facilityID)
        var status = status
        status.reportedAt = status.reportedAt.wholeSeconds
        status.reportedBy = actor.principal.map { "\($0.role): \($0.label)" } ?? actor.source
        let problems = status.problems()
        guard problems.isEmpty else {
            throw StoreError.invalidRecord(id: status.facilityID, problems: problems.map(\.description))
        }
        let stored = status
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let status = stored
            guard
                let kindText = try String.fetchOne(
                    db, sql: "SELECT kind FROM facility WHERE id = ?", arguments: [status.facilityID])
            else { throw OperationsError.notFound("there is no facility \(status.facilityID.prefix(80))") }
            guard let kind = FacilityKind(rawValue: kindText), kind.isShelter else {
                throw OperationsError.invalid(
                    field: "facility",
                    reason: "\(status.facilityID.prefix(80)) is a \(kindText); open/closed/full status applies to "
                        + "relief centres, shelters and temporary stay facilities")
            }
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
            try log.audit(
                "status.record", subject: status.facilityID,
                detail: "\(status.state.rawValue), occupancy \(status.occupancy.map(String.init) ?? "not given")")
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
        _ report: DamageReport, by actor: Actor, publish: Bool = false, idempotency: IdempotencyClaim? = nil
    )
        async throws -> Recorded<DamageReport>
    {
        try actor.principal?.checkMaySubmitReports()
        var report = report
        let role = actor.principal?.role ?? .headquarters
        report.authorRole = role
        report.authorFacilityID = actor.principal?.facilityID
        report.authorTokenID = actor.principal?.tokenID
        report.photoType = nil
        report.state = DamageReport.initialState(for: role)
        if publish {
            guard role == .headquarters else {
                throw OperationsError.forbidden("only headquarters may publish a report as it submits it")
            }
            report.state = .published
        }
        let problems = report.problems()
        guard problems.isEmpty else {
            throw StoreError.invalidRecord(id: report.id, problems: problems.map(\.description))
        }
        report.id = Self.newReportID()
        // Whole seconds, as stored: a retry's replayed answer is then the same value.
        report.receivedAt = Date.wholeSecondsNow
        report.updatedAt = report.receivedAt
        report.observedAt = report.observedAt.wholeSeconds
        let stored = report
        return try await change(by: actor, idempotency: idempotency) { db, log in
            let report = stored
            try Self.write(report, in: db)
            try log.audit(
                "report.submit", subject: report.id,
                detail: "\(report.kind.rawValue) at \(report.position), \(report.state.rawValue)")
            if report.state == .published { try log.publish("report", report.publicView.geoJSONFeature().serialized()) }
            return report
        }
    }

    /// Applies headquarters' decision to a report.
    /// - Throws: ``OperationsError`` (not headquarters, unknown report, an action that does not
    ///   apply to its state, a merge into itself or into an unknown or closed report, a reused key).
    @discardableResult
    public func review(
        reportID: String, _ action: ReportAction, note: String? = nil, by actor: Actor,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> Recorded<DamageReport> {
        try actor.principal?.checkMayReview()
        if let note, note.count > 1_000 {
            throw OperationsError.invalid(field: "note", reason: "has \(note.count) characters; at most 1000")
        }
        return try await change(by: actor, idempotency: idempotency) { db, log in
            guard var report = try Self.report(id: reportID, in: db) else {
                throw OperationsError.notFound("there is no report \(reportID.prefix(80))")
            }
            let before = report.state
            report.state = try action.nextState(from: report.state)
            if case .merge(let target) = action {
                guard target != reportID else {
                    throw OperationsError.invalid(field: "into", reason: "a report cannot be merged into itself")
                }
                guard let other = try Self.report(id: target, in: db) else {
                    throw OperationsError.notFound("there is no report \(target.prefix(80)) to merge into")
                }
                guard other.state != .rejected, other.state != .withdrawn else {
                    throw OperationsError.conflict("report \(target) is \(other.state.rawValue); merge into a live one")
                }
                report.duplicateOf = target
            }
            report.reviewNote = note
            report.updatedAt = Date.wholeSecondsNow
            try Self.write(report, in: db)
            try log.audit(
                "report.\(action.name)", subject: report.id,
                detail: "\(before.rawValue) → \(report.state.rawValue)"
                    + (report.duplicateOf.map { ", duplicate of \($0)" } ?? ""))
            if report.state == .published || before == .published {
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
    public func attach(_ photo: ReportPhoto, toReport id: String, by actor: Actor, idempotency: IdempotencyClaim? = nil)
        async throws -> Recorded<DamageReport>
    {
        try actor.principal?.checkMaySubmitReports()
        return try await change(by: actor, idempotency: idempotency) { db, log in
            guard var report = try Self.report(id: id, in: db) else {
                throw OperationsError.notFound("there is no report \(id.prefix(80))")
            }
            if let principal = actor.principal, principal.role != .headquarters,
                principal.tokenID != report.authorTokenID
            {
                throw OperationsError.forbidden("only the report's author or headquarters may add its photo")
            }
            guard report.photoType == nil else {
                throw OperationsError.conflict("report \(id) already has its photo; a report takes one")
            }
            report.photoType = photo.mediaType
            try db.execute(
                sql: """
                    INSERT INTO reportPhoto (reportID, mediaType, original, publicCopy) VALUES (?, ?, ?, ?)
                    """,
                arguments: [id, photo.mediaType, Data(photo.original), Data(photo.publicCopy)])
            try Self.write(report, in: db)
            try log.audit(
                "report.photo", subject: id,
                detail:
                    "\(photo.mediaType), \(photo.original.count) bytes, SHA-256 \(AccessToken.digest(of: photo.original))"
            )
            if report.state == .published { try log.publish("report", report.publicView.geoJSONFeature().serialized()) }
            return report
        }
    }

    /// A report's photo: the public copy, or (`original`) the bytes as sent, with its type.
    public func photo(ofReport id: String, original: Bool = false) async throws -> (mediaType: String, bytes: [UInt8])?
    {
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
    public func reports(in states: Set<DamageReport.State>? = nil) async throws -> [DamageReport] {
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
    public func publicEvents(after sequence: Int64, limit: Int = 1_000) async throws -> [PublicEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT sequence, type, data FROM publicEvent WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence, limit]
            ).map { PublicEvent(sequence: $0["sequence"], type: $0["type"], data: $0["data"]) }
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

    static func newReportID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "rep_" + String(format: "%016llx", UInt64.random(in: .min ... .max, using: &generator))
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
            let tokenID = actor.principal?.tokenID ?? actor.source
            let now = Date()
            if let idempotency {
                if let row = try Row.fetchOne(
                    db, sql: "SELECT fingerprint, answer FROM idempotencyRecord WHERE tokenID = ? AND key = ?",
                    arguments: [tokenID, idempotency.key])
                {
                    guard row["fingerprint"] == idempotency.fingerprint as String else {
                        throw OperationsError.keyReused(idempotency.key)
                    }
                    return Recorded(
                        value: try DocumentCoding.decode(Value.self, from: row["answer"]), replayed: true, events: [])
                }
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

extension DamageReport {
    /// What the public sees of a published report: no author facility or token, no review note.
    public var publicView: DamageReport {
        var view = self
        view.authorFacilityID = nil
        view.authorTokenID = nil
        view.reviewNote = nil
        return view
    }
}

extension Date {
    /// Now, to the whole second, as the store keeps times.
    static var wholeSecondsNow: Date { Date().wholeSeconds }

    /// This time without its fraction of a second.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
