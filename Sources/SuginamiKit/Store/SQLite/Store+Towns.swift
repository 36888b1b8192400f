import GRDB

extension SuginamiStore {
    /// Inserts or replaces towns by census code, as one transaction.
    ///
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before anything is written.
    public func save(_ towns: [Town]) async throws {
        try await write { try $0.save(towns) }
    }

    /// All towns, ordered by census code.
    public func towns() async throws -> [Town] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM town ORDER BY code").map {
                try DocumentCoding.decode(Town.self, from: $0)
            }
        }
    }

    /// The town with this census code, if any.
    public func town(code: String) async throws -> Town? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM town WHERE code = ?", arguments: [code]).map {
                try DocumentCoding.decode(Town.self, from: $0)
            }
        }
    }

    /// The town whose boundary contains the point, or `nil` outside every town.
    public func town(containing point: GeoPoint) async throws -> Town? {
        try await pool.read { db in
            let documents = try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM town JOIN town_rtree r ON r.id = town.rowid
                    WHERE r.minLatitude <= ? AND r.maxLatitude >= ? AND r.minLongitude <= ? AND r.maxLongitude >= ?
                    ORDER BY town.code
                    """,
                arguments: [point.latitude, point.latitude, point.longitude, point.longitude])
            for document in documents {
                let town = try DocumentCoding.decode(Town.self, from: document)
                if town.boundary.contains(point) { return town }
            }
            return nil
        }
    }
}
