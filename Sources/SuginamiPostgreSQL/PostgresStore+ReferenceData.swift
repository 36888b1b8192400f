import Foundation
import SuginamiKit
import PostgresNIO

extension PostgresStore: ReferenceDataStore {
    // Text is ordered by byte (COLLATE "C") everywhere, as SQLite orders it, whatever the
    // database's own collation: both back ends list records in one order.

    // MARK: Towns

    /// Inserts or replaces towns by census code, as one transaction (``ReferenceDataStore/save(_:)``).
    public func save(_ towns: [Town]) async throws {
        try towns.validateForStore()
        let rows = try towns.map { ($0, try DocumentCoding.encode($0)) }
        try await transaction { connection in
            for (town, document) in rows {
                try await Self.upsert(town, document: document, on: connection, logger: self.logger)
            }
        }
    }

    /// All towns, ordered by census code.
    public func towns() async throws -> [Town] {
        try await documents(Town.self, "SELECT document FROM town ORDER BY code COLLATE \"C\"", from: .replica)
    }

    /// The town with this census code, if any.
    public func town(code: String) async throws -> Town? {
        try await documents(Town.self, "SELECT document FROM town WHERE code = \(code)", from: .replica).first
    }

    /// The town whose boundary contains the point, or `nil` outside every town.
    public func town(containing point: GeoPoint) async throws -> Town? {
        // The GiST index finds the towns whose box holds the point; the boundary test is the
        // SDK's own (GeoPolygon.contains), as on SQLite, so both back ends draw edges alike.
        let candidates = try await documents(
            Town.self,
            """
            SELECT document FROM town
            WHERE extent && ST_SetSRID(ST_MakePoint(\(point.longitude), \(point.latitude)), 4326)
              AND min_latitude <= \(point.latitude) AND max_latitude >= \(point.latitude)
              AND min_longitude <= \(point.longitude) AND max_longitude >= \(point.longitude)
            ORDER BY code COLLATE "C"
            """, from: .replica)
        return candidates.first { $0.boundary.contains(point) }
    }

    // MARK: Facilities

    /// Inserts or replaces facilities by id, as one transaction.
    public func save(_ facilities: [Facility]) async throws {
        try facilities.validateForStore()
        let rows = try facilities.map { ($0, try DocumentCoding.encode($0)) }
        try await transaction { connection in
            for (facility, document) in rows {
                try await Self.upsert(facility, document: document, on: connection, logger: self.logger)
            }
        }
    }

    static func upsert(_ facility: Facility, document: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO facility (id, kind, name, latitude, longitude, capacity, source_id, document)
            VALUES (\(facility.id), \(facility.kind.rawValue), \(facility.name), \(facility.position.latitude),
                    \(facility.position.longitude), \(facility.capacity), \(facility.source.id), \(document))
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                latitude = excluded.latitude, longitude = excluded.longitude, capacity = excluded.capacity,
                source_id = excluded.source_id, document = excluded.document
            """, logger: logger)
    }

    /// Deletes the facilities with these ids (their status history goes with them).
    public func deleteFacilities(ids: [String]) async throws {
        try await transaction { connection in
            try await connection.query("DELETE FROM facility WHERE id = ANY(\(ids))", logger: self.logger)
        }
    }

    /// The facility with this id, if any.
    public func facility(id: String) async throws -> Facility? {
        try await documents(Facility.self, "SELECT document FROM facility WHERE id = \(id)", from: .replica).first
    }

    /// All facilities, or those of the given kinds (all when empty), ordered by id.
    public func facilities(kinds: Set<FacilityKind>) async throws -> [Facility] {
        let kinds = kinds.map(\.rawValue)
        return try await documents(
            Facility.self,
            """
            SELECT document FROM facility WHERE cardinality(\(kinds)::text[]) = 0 OR kind = ANY(\(kinds))
            ORDER BY id COLLATE "C"
            """, from: .replica)
    }

    /// Facilities inside the box (edges included), of the given kinds, ordered by id.
    public func facilities(in box: BoundingBox, kinds: Set<FacilityKind>) async throws -> [Facility] {
        let kinds = kinds.map(\.rawValue)
        return try await documents(
            Facility.self,
            """
            SELECT document FROM facility
            WHERE position && ST_MakeEnvelope(\(box.minLongitude), \(box.minLatitude), \(box.maxLongitude),
                                              \(box.maxLatitude), 4326)
              AND latitude BETWEEN \(box.minLatitude) AND \(box.maxLatitude)
              AND longitude BETWEEN \(box.minLongitude) AND \(box.maxLongitude)
              AND (cardinality(\(kinds)::text[]) = 0 OR kind = ANY(\(kinds)))
            ORDER BY id COLLATE "C"
            """, from: .replica)
    }

    /// The `count` facilities nearest to `point` by great-circle distance, nearest first, ties by id.
    public func nearestFacilities(to point: GeoPoint, count: Int, kinds: Set<FacilityKind>) async throws
        -> [NearbyFacility]
    {
        guard count > 0 else { throw StoreError.invalidArgument("count must be at least 1, got \(count)") }
        let kinds = kinds.map(\.rawValue)
        return try await read(.replica) { connection in
            // PostGIS's index-assisted KNN (`<->`, in degrees) gives `count` candidates; the
            // farthest of them by great-circle distance, r, bounds the answer. Every facility
            // within r then comes from a window that holds that circle (the GiST index again),
            // and the SDK's own distance ranks them: exactly SQLite's answer.
            let first = try await Self.candidates(
                """
                SELECT id, latitude, longitude FROM facility
                WHERE cardinality(\(kinds)::text[]) = 0 OR kind = ANY(\(kinds))
                ORDER BY position <-> ST_SetSRID(ST_MakePoint(\(point.longitude), \(point.latitude)), 4326)
                LIMIT \(count)
                """, on: connection, logger: self.logger)
            guard let radius = first.map({ point.distance(to: $0.position) }).max() else { return [] }
            var window = SearchWindow(around: point, radius: radius * (1 + 1e-9) + 1e-6)
            if window.leavesTheGlobe { window = .wholeGlobe }
            let all = try await Self.candidates(
                """
                SELECT id, latitude, longitude FROM facility
                WHERE position && ST_MakeEnvelope(\(window.minLongitude), \(window.minLatitude),
                                                  \(window.maxLongitude), \(window.maxLatitude), 4326)
                  AND (cardinality(\(kinds)::text[]) = 0 OR kind = ANY(\(kinds)))
                """, on: connection, logger: self.logger)
            let chosen = all.map { ($0.id, point.distance(to: $0.position)) }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(count)
            let ids = chosen.map(\.0)
            var byID: [String: Facility] = [:]
            for row in try await connection.query(
                "SELECT document FROM facility WHERE id = ANY(\(ids))", logger: self.logger
            ).collect() {
                let facility = try DocumentCoding.decode(Facility.self, from: try row.decode(String.self))
                byID[facility.id] = facility
            }
            return try chosen.map { id, distance in
                guard let facility = byID[id] else {
                    throw StoreError.invalidArgument("facility \(id) vanished during the query")
                }
                return NearbyFacility(facility: facility, distance: distance)
            }
        }
    }

    private static func candidates(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger)
        async throws -> [(id: String, position: GeoPoint)]
    {
        try await connection.query(query, logger: logger).collect().map { row in
            let (id, latitude, longitude) = try row.decode((String, Double, Double).self)
            return (id, try GeoPoint(latitude: latitude, longitude: longitude))
        }
    }

    /// How many facilities the store holds of each kind.
    public func facilityCounts() async throws -> [FacilityKind: Int] {
        try await read(.replica) { connection in
            var counts: [FacilityKind: Int] = [:]
            for row in try await connection.query(
                "SELECT kind, COUNT(*)::bigint FROM facility GROUP BY kind", logger: self.logger
            ).collect() {
                let (kind, count) = try row.decode((String, Int).self)
                if let kind = FacilityKind(rawValue: kind) { counts[kind] = count }
            }
            return counts
        }
    }

    /// Saves imported facilities in one transaction, merging, replacing or refusing records
    /// already stored under the same id.
    public func importFacilities(_ facilities: [Facility], existing: ExistingFacilityPolicy) async throws
        -> FacilityImportSummary
    {
        try facilities.validateForStore()
        let ids = facilities.map(\.id)
        return try await transaction { connection in
            var stored: [String: Facility] = [:]
            for row in try await connection.query(
                "SELECT document FROM facility WHERE id = ANY(\(ids)) FOR UPDATE", logger: self.logger
            ).collect() {
                let facility = try DocumentCoding.decode(Facility.self, from: try row.decode(String.self))
                stored[facility.id] = facility
            }
            let (merged, summary) = try FacilityImportPlan.plan(facilities, stored: stored, existing: existing)
            for facility in merged {
                try await Self.upsert(
                    facility, document: try DocumentCoding.encode(facility), on: connection, logger: self.logger)
            }
            return summary
        }
    }

    // MARK: Reading documents

    /// The `document` column of every row `query` returns, decoded.
    func documents<Value: Decodable & Sendable>(
        _ type: Value.Type, _ query: PostgresQuery, from source: ReadSource = .primary
    ) async throws -> [Value] {
        try await read(source) { connection in
            try await connection.query(query, logger: self.logger).collect().map {
                try DocumentCoding.decode(Value.self, from: try $0.decode(String.self))
            }
        }
    }
}
