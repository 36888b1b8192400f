import GRDB

extension SuginamiStore {
    /// Inserts or replaces towns by census code, as one transaction.
    public func save(_ towns: [Town]) async throws {
        var seen = Set<String>()
        for town in towns {
            guard town.code.count == 11, town.code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw StoreError.invalidRecord(id: town.code, problems: ["code is not an 11-digit census code"])
            }
            guard town.households >= 0 else {
                throw StoreError.invalidRecord(id: town.code, problems: ["households is negative"])
            }
            guard seen.insert(town.code).inserted else { throw StoreError.duplicateID(town.code) }
        }
        let rows = try towns.map { ($0, try DocumentCoding.encode($0)) }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO town (code, name, households, population, minLatitude, maxLatitude,
                                      minLongitude, maxLongitude, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name, households = excluded.households,
                        population = excluded.population, minLatitude = excluded.minLatitude,
                        maxLatitude = excluded.maxLatitude, minLongitude = excluded.minLongitude,
                        maxLongitude = excluded.maxLongitude, document = excluded.document
                    """)
            for (town, document) in rows {
                let box = town.boundary.boundingBox
                try statement.execute(arguments: [
                    town.code, town.name, town.households, town.population.total, box.minLatitude, box.maxLatitude,
                    box.minLongitude, box.maxLongitude, document,
                ])
            }
        }
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
