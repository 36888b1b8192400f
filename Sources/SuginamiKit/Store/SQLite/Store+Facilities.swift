import Foundation
import GRDB

extension SuginamiStore: ReferenceDataStore {
    /// Inserts or replaces facilities by id, as one transaction.
    ///
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before anything is written.
    public func save(_ facilities: [Facility]) async throws {
        try await write { try $0.save(facilities) }
    }

    /// Deletes the facilities with these ids (their status history goes with them).
    public func deleteFacilities(ids: [String]) async throws {
        try await pool.write { db in
            for id in ids { try db.execute(sql: "DELETE FROM facility WHERE id = ?", arguments: [id]) }
        }
    }

    /// The facility with this id, if any.
    public func facility(id: String) async throws -> Facility? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM facility WHERE id = ?", arguments: [id])
                .map { try DocumentCoding.decode(Facility.self, from: $0) }
        }
    }

    /// All facilities, or those of the given kinds, ordered by id.
    public func facilities(kinds: Set<FacilityKind>) async throws -> [Facility] {
        try await pool.read { db in
            let filter = Self.kindFilter(kinds)
            return try String.fetchAll(
                db, sql: "SELECT document FROM facility WHERE \(filter.sql) ORDER BY id", arguments: filter.arguments
            ).map { try DocumentCoding.decode(Facility.self, from: $0) }
        }
    }

    /// Facilities inside the box (edges included), ordered by id.
    public func facilities(in box: BoundingBox, kinds: Set<FacilityKind>) async throws -> [Facility] {
        try await pool.read { db in
            let filter = Self.kindFilter(kinds)
            return try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM facility JOIN facility_rtree r ON r.id = facility.rowid
                    WHERE r.maxLatitude >= ? AND r.minLatitude <= ? AND r.maxLongitude >= ? AND r.minLongitude <= ?
                      AND facility.latitude BETWEEN ? AND ? AND facility.longitude BETWEEN ? AND ?
                      AND \(filter.sql)
                    ORDER BY facility.id
                    """,
                arguments: [
                    box.minLatitude, box.maxLatitude, box.minLongitude, box.maxLongitude,
                    box.minLatitude, box.maxLatitude, box.minLongitude, box.maxLongitude,
                ] + filter.arguments
            ).map { try DocumentCoding.decode(Facility.self, from: $0) }
        }
    }

    /// The `count` facilities nearest to `point` by great-circle distance, nearest first
    /// (ties broken by id).
    ///
    /// The search asks the R*Tree for a small window around the point and widens it, by the
    /// density it has seen, until the window's inscribed circle holds enough candidates; so it
    /// reads only a few rows whatever the size of the store.
    public func nearestFacilities(
        to point: GeoPoint, count: Int, kinds: Set<FacilityKind>
    ) async throws -> [NearbyFacility] {
        guard count > 0 else { throw StoreError.invalidArgument("count must be at least 1, got \(count)") }
        return try await pool.read { db in
            let filter = Self.kindFilter(kinds)
            // CROSS JOIN makes the R*Tree the outer loop. With a plain JOIN, SQLite prefers the
            // kind index and probes the R*Tree once per facility of that kind (10× slower).
            let windowQuery = try db.cachedStatement(
                sql: """
                    SELECT facility.rowid, facility.id, facility.latitude, facility.longitude
                    FROM facility_rtree r CROSS JOIN facility ON facility.rowid = r.id
                    WHERE r.maxLatitude >= ? AND r.minLatitude <= ? AND r.maxLongitude >= ? AND r.minLongitude <= ?
                      AND \(filter.sql)
                    """)
            // Small enough that dense data read few rows; sparse data widen in a step or two.
            var radius = 100.0
            var total: Int?  // counted only when a window falls short
            while true {
                var window = SearchWindow(around: point, radius: radius)
                if window.leavesTheGlobe {
                    // The window would wrap past a pole or the antimeridian, which an R*Tree
                    // box cannot express: search everything instead, which is then exact.
                    window = SearchWindow.wholeGlobe
                }
                var candidates: [(rowid: Int64, id: String, distance: Double)] = []
                let rows = try Row.fetchCursor(
                    windowQuery,
                    arguments: [window.minLatitude, window.maxLatitude, window.minLongitude, window.maxLongitude]
                        + filter.arguments)
                while let row = try rows.next() {
                    let position = try GeoPoint(latitude: row[2], longitude: row[3])
                    candidates.append((row[0], row[1], point.distance(to: position)))
                }
                let inside = candidates.lazy.filter { $0.distance <= radius }.count
                var enough = inside >= count
                if !enough {
                    let all =
                        try total
                        ?? Int.fetchOne(
                            db.cachedStatement(sql: "SELECT COUNT(*) FROM facility WHERE \(filter.sql)"),
                            arguments: filter.arguments) ?? 0
                    total = all
                    enough = candidates.count == all
                }
                if enough {
                    let chosen = candidates.sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }.prefix(count)
                    return try Self.nearbyFacilities(chosen.map { ($0.rowid, $0.distance) }, db)
                }
                // Grow by the density seen so far: found `inside` within `radius`, so `count` needs
                // about radius·√(count/inside); the margin makes a third window rare.
                radius *= max(2, min(16, 1.5 * (Double(count) / Double(max(inside, 1))).squareRoot()))
            }
        }
    }

    /// Loads the documents of the chosen rows and pairs them with their distances.
    private static func nearbyFacilities(_ chosen: [(rowid: Int64, distance: Double)], _ db: Database) throws
        -> [NearbyFacility]
    {
        let statement = try db.cachedStatement(sql: "SELECT document FROM facility WHERE rowid = ?")
        return try chosen.map { candidate in
            guard let document = try String.fetchOne(statement, arguments: [candidate.rowid]) else {
                throw StoreError.invalidArgument("facility row \(candidate.rowid) vanished during the query")
            }
            return NearbyFacility(
                facility: try DocumentCoding.decode(Facility.self, from: document), distance: candidate.distance)
        }
    }

    /// How many facilities the store holds of each kind.
    public func facilityCounts() async throws -> [FacilityKind: Int] {
        try await pool.read { db in
            var counts: [FacilityKind: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM facility GROUP BY kind") {
                if let kind = FacilityKind(rawValue: row[0]) { counts[kind] = row[1] }
            }
            return counts
        }
    }

    static func kindFilter(_ kinds: Set<FacilityKind>) -> (sql: String, arguments: StatementArguments) {
        guard !kinds.isEmpty else { return ("1", []) }
        let sorted = kinds.map(\.rawValue).sorted()
        return (
            "facility.kind IN (\(Array(repeating: "?", count: sorted.count).joined(separator: ", ")))",
            StatementArguments(sorted)
        )
    }
}
