import Foundation
import GRDB

extension SuginamiStore: BuildingStore {
    /// Inserts or replaces buildings by id, as one transaction: the whole batch or nothing.
    ///
    /// - Parameters:
    ///   - buildings: the records; ids must be unique in the batch.
    ///   - progress: called every 5,000 rows with (rows written, rows in all), for a progress
    ///     display; the rows become visible only when the whole call commits.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` for a record that fails validation or
    ///   names a town the store does not hold, before anything is written.
    public func insert(
        _ buildings: [Building], progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?
    ) async throws {
        try await write { try $0.insert(buildings, progress: progress) }
    }

    /// Replaces every record with `contents`, in one transaction.
    public func replaceContents(
        with contents: StoreContents, progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?
    ) async throws {
        try await write { transaction in
            try transaction.removeAll()
            try transaction.write(contents, progress: progress)
        }
    }

    /// Counts over the building register.
    public func buildingTotals() async throws -> BuildingTotals {
        try await pool.read { db in
            var byStructure: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT structure, COUNT(*) FROM building GROUP BY structure") {
                byStructure[row[0]] = row[1]
            }
            return BuildingTotals(
                all: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building") ?? 0,
                synthetic: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building WHERE isSynthetic = 1") ?? 0,
                withAssumedAttributes: try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM building WHERE isSynthetic = 0 AND assumedAttributes <> ''") ?? 0,
                byStructure: byStructure)
        }
    }

    /// How many buildings the store holds.
    public func buildingCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building") ?? 0 }
    }

    /// Building counts by structure class and construction era, for summaries and checks of a
    /// register against published statistics.
    public func buildingCountsByClass() async throws -> [BuildingClassCount] {
        try await pool.read { db in
            BuildingClassCount.tally(
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT structure, constructionYear, COUNT(*) FROM building GROUP BY structure, constructionYear"
                ).map { ($0[0], $0[1], $0[2]) })
        }
    }

    /// Buildings whose point lies in the box, ordered by id.
    public func buildings(in box: BoundingBox) async throws -> [Building] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT building.* FROM building JOIN building_rtree r ON r.id = building.rowid
                    WHERE r.maxLatitude >= ? AND r.minLatitude <= ? AND r.maxLongitude >= ? AND r.minLongitude <= ?
                      AND building.latitude BETWEEN ? AND ? AND building.longitude BETWEEN ? AND ?
                    ORDER BY building.id
                    """,
                arguments: [
                    box.minLatitude, box.maxLatitude, box.minLongitude, box.maxLongitude,
                    box.minLatitude, box.maxLatitude, box.minLongitude, box.maxLongitude,
                ]
            ).map(Self.building(from:))
        }
    }

    /// Every building, ordered by id (what a ward-wide simulation runs over).
    public func buildings() async throws -> [Building] {
        try await pool.read { db in
            // A cursor, not fetchAll: the ward's 118,522 rows with their outlines would be held
            // twice, as rows and as buildings, at the peak.
            var buildings: [Building] = []
            buildings.reserveCapacity(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building") ?? 0)
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM building ORDER BY id")
            // Nearly every building names the same assumed fields: one shared set per distinct
            // text instead of a set allocated per building (about 10 MB at ward scale).
            var assumedSets: [String: Set<Building.Attribute>] = [:]
            while let row = try rows.next() {
                buildings.append(try Self.building(from: row, assumedSets: &assumedSets))
            }
            return buildings
        }
    }

    /// The buildings of one town, ordered by id.
    public func buildings(inTown code: String) async throws -> [Building] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM building WHERE townCode = ? ORDER BY id", arguments: [code])
                .map(Self.building(from:))
        }
    }

    static func building(from row: Row) throws -> Building {
        var assumedSets: [String: Set<Building.Attribute>] = [:]
        return try building(from: row, assumedSets: &assumedSets)
    }

    /// A building from its row, sharing the assumed-field sets already read.
    static func building(from row: Row, assumedSets: inout [String: Set<Building.Attribute>]) throws -> Building {
        try BuildingColumns(
            id: row["id"], latitude: row["latitude"], longitude: row["longitude"], structure: row["structure"],
            constructionYear: row["constructionYear"], floors: row["floors"], floorArea: row["floorArea"],
            use: row["use"], fireResistance: row["fireResistance"], seismicRetrofit: row["seismicRetrofit"],
            townCode: row["townCode"], isSynthetic: row["isSynthetic"], footprint: row["footprint"],
            assumedAttributes: row["assumedAttributes"]
        ).building(assumedSets: &assumedSets)
    }
}
