import Foundation
import GRDB

extension SuginamiStore {
    /// Inserts or replaces buildings by id, as one transaction: the whole batch or nothing.
    ///
    /// - Parameters:
    ///   - buildings: the records; ids must be unique in the batch.
    ///   - progress: called every 5,000 rows with (rows written, rows in all), for a progress
    ///     display; the rows become visible only when the whole call commits.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` for a record that fails validation or
    ///   names a town the store does not hold, before anything is written.
    public func insert(
        _ buildings: [Building], progress: (@Sendable (_ written: Int, _ total: Int) -> Void)? = nil
    ) async throws {
        try await write { try $0.insert(buildings, progress: progress) }
    }

    /// How many buildings the store holds.
    public func buildingCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building") ?? 0 }
    }

    /// Building counts by structure class and construction era, for summaries and checks of a
    /// register against published statistics.
    public func buildingCountsByClass() async throws -> [BuildingClassCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT structure, constructionYear, COUNT(*) FROM building GROUP BY structure, constructionYear
                    """
            ).reduce(into: [BuildingClassKey: Int]()) { counts, row in
                guard let structure = StructureClass(rawValue: row[0]) else { return }
                let year: Int? = row[1]
                let key = BuildingClassKey(
                    structure: structure, era: year.map { ConstructionEra(structure: structure, year: $0) })
                counts[key, default: 0] += row[2] as Int
            }.map { BuildingClassCount(structure: $0.key.structure, era: $0.key.era, count: $0.value) }
                .sorted {
                    ($0.structure.rawValue, $0.era?.rawValue ?? "") < ($1.structure.rawValue, $1.era?.rawValue ?? "")
                }
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
        let id: String = row["id"]
        func parse<T: RawRepresentable<String>>(_ column: String, as type: T.Type) throws -> T {
            let text: String = row[column]
            guard let value = T(rawValue: text) else {
                throw StoreError.invalidRecord(id: id, problems: ["\(column) \"\(text)\" is not a known value"])
            }
            return value
        }
        let fireResistanceText: String? = row["fireResistance"]
        let footprintText: String? = row["footprint"]
        let assumedText: String = row["assumedAttributes"]
        let assumed: Set<Building.Attribute>
        if let known = assumedSets[assumedText] {
            assumed = known
        } else {
            guard let parsed = Building.Attribute.set(fromText: assumedText) else {
                throw StoreError.invalidRecord(
                    id: id, problems: ["assumedAttributes \"\(assumedText)\" names an unknown field"])
            }
            assumedSets[assumedText] = parsed
            assumed = parsed
        }
        return Building(
            id: id,
            position: try GeoPoint(latitude: row["latitude"], longitude: row["longitude"]),
            structure: try parse("structure", as: StructureClass.self),
            constructionYear: row["constructionYear"],
            floors: row["floors"],
            floorArea: row["floorArea"],
            use: try parse("use", as: BuildingUse.self),
            fireResistance: try fireResistanceText.map {
                guard let value = FireResistanceClass(rawValue: $0) else {
                    throw StoreError.invalidRecord(id: id, problems: ["fireResistance \"\($0)\" is not a known value"])
                }
                return value
            },
            seismicRetrofit: try parse("seismicRetrofit", as: SeismicRetrofit.self),
            footprint: try footprintText.map { try DocumentCoding.decode(GeoPolygon.self, from: $0) },
            townCode: row["townCode"],
            isSynthetic: row["isSynthetic"], assumedAttributes: assumed)
    }
}

struct BuildingClassKey: Hashable {
    var structure: StructureClass
    var era: ConstructionEra?
}

/// How many buildings of one structure and era a store holds.
public struct BuildingClassCount: Sendable, Hashable {
    /// 構造.
    public var structure: StructureClass
    /// The construction era, `nil` for buildings of unknown year.
    public var era: ConstructionEra?
    /// The count.
    public var count: Int
}
