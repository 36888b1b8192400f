import Foundation
import GRDB

extension SuginamiStore {
    /// Appends a status report for a relief centre or shelter.
    /// - Throws: ``StoreError/unknownFacility(_:)`` when the facility is not in the store, and
    ///   ``StoreError/invalidRecord(id:problems:)`` when it is not a kind people stay in
    ///   (``FacilityKind/isShelter``) or the report fails its checks.
    public func record(_ status: ShelterStatus) async throws {
        let problems = status.problems()
        guard problems.isEmpty else {
            throw StoreError.invalidRecord(id: status.facilityID, problems: problems.map(\.description))
        }
        let document = try DocumentCoding.encode(status)
        try await pool.write { db in
            guard
                let kindText = try String.fetchOne(
                    db, sql: "SELECT kind FROM facility WHERE id = ?", arguments: [status.facilityID])
            else { throw StoreError.unknownFacility(status.facilityID) }
            guard let kind = FacilityKind(rawValue: kindText), kind.isShelter else {
                throw StoreError.invalidRecord(
                    id: status.facilityID,
                    problems: [
                        "facility is a \(kindText); open/closed/full status applies to relief centres and shelters"
                    ])
            }
            try db.execute(
                sql: """
                    INSERT INTO shelterStatus (facilityID, state, occupancy, reportedAt, reportedBy, document)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    status.facilityID, status.state.rawValue, status.occupancy,
                    status.reportedAt.ISO8601Format(), status.reportedBy, document,
                ])
        }
    }

    /// The latest status report of each facility that has one, keyed by facility id.
    public func currentStatuses() async throws -> [String: ShelterStatus] {
        try await pool.read { db in
            let documents = try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM shelterStatus s
                    WHERE sequence = (SELECT sequence FROM shelterStatus t WHERE t.facilityID = s.facilityID
                                      ORDER BY reportedAt DESC, sequence DESC LIMIT 1)
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

    /// Adds or updates a damage report by id.
    public func save(_ report: DamageReport) async throws {
        let document = try DocumentCoding.encode(report)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO damageReport (id, kind, latitude, longitude, reportedAt, verification, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, latitude = excluded.latitude,
                        longitude = excluded.longitude, reportedAt = excluded.reportedAt,
                        verification = excluded.verification, document = excluded.document
                    """,
                arguments: [
                    report.id, report.kind.rawValue, report.position.latitude, report.position.longitude,
                    report.reportedAt.ISO8601Format(), report.verification.rawValue, document,
                ])
        }
    }

    /// Damage reports made at or after `date`, oldest first.
    public func damageReports(since date: Date = .distantPast) async throws -> [DamageReport] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT document FROM damageReport WHERE reportedAt >= ? ORDER BY reportedAt, id",
                arguments: [date.ISO8601Format()]
            ).map { try DocumentCoding.decode(DamageReport.self, from: $0) }
        }
    }
}
