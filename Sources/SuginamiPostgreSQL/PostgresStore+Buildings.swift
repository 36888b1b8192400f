import Foundation
import SuginamiKit
import Logging
import PostgresNIO

extension PostgresStore: BuildingStore {
    /// How many buildings one bulk insert statement carries.
    static let buildingsPerStatement = 5_000

    /// Inserts or replaces buildings by id, as one transaction: the whole batch or nothing.
    public func insert(
        _ buildings: [Building], progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?
    ) async throws {
        try buildings.validateForStore()
        let columns = try buildings.map(BuildingColumns.init)
        try await transaction(timeout: Self.bulkTimeout) { connection in
            try await Self.insert(columns, on: connection, logger: self.logger) { written in
                progress?(written, columns.count)
            }
        }
    }

    /// Replaces every record with `contents`, in one transaction.
    public func replaceContents(
        with contents: StoreContents, progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?
    ) async throws {
        try contents.towns.validateForStore()
        try contents.facilities.validateForStore()
        let towns = try contents.towns.map { ($0, try DocumentCoding.encode($0)) }
        let facilities = try contents.facilities.map { ($0, try DocumentCoding.encode($0)) }
        try await transaction(timeout: Self.bulkTimeout) { connection in
            // Children first, as SQLite's removeAll does; the operations' own records (tokens,
            // the audit log, public events) stay.
            for table in ["shelter_status", "damage_report", "building", "facility", "town"] {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: self.logger)
            }
            for (town, document) in towns {
                try await Self.upsert(town, document: document, on: connection, logger: self.logger)
            }
            for (facility, document) in facilities {
                try await Self.upsert(facility, document: document, on: connection, logger: self.logger)
            }
            var written = 0
            var index = 0
            while let batch = try contents.buildings.batch(index) {
                try batch.validateForStore()
                let before = written
                try await Self.insert(try batch.map(BuildingColumns.init), on: connection, logger: self.logger) {
                    progress?(before + $0, contents.buildings.total)
                }
                written += batch.count
                index += 1
            }
        }
    }

    /// How long a bulk write may take: the ward's 118,522 buildings take seconds.
    static let bulkTimeout = Duration.seconds(600)

    /// Writes buildings in statements of ``buildingsPerStatement`` rows, each its rows as one
    /// JSON array that `jsonb_to_recordset` turns back into rows, after checking their towns.
    static func insert(
        _ buildings: [BuildingColumns], on connection: PostgresConnection, logger: Logger,
        progress: (Int) -> Void
    ) async throws {
        let towns = Set(
            try await connection.query("SELECT code FROM town", logger: logger).collect().map {
                try $0.decode(String.self)
            })
        if let stray = buildings.first(where: { $0.townCode.map { !towns.contains($0) } ?? false }) {
            throw StoreError.invalidRecord(
                id: stray.id, problems: ["townCode \(stray.townCode ?? "") is not a town in the store"])
        }
        let encoder = JSONEncoder()
        var written = 0
        while written < buildings.count {
            let part = buildings[written..<min(buildings.count, written + buildingsPerStatement)]
            let rows = String(decoding: try encoder.encode(Array(part)), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO building (id, latitude, longitude, structure, construction_year, floors, floor_area, use,
                                      fire_resistance, seismic_retrofit, town_code, is_synthetic, footprint,
                                      assumed_attributes)
                SELECT id, latitude, longitude, structure, construction_year, floors, floor_area, use,
                       fire_resistance, seismic_retrofit, town_code, is_synthetic, footprint, assumed_attributes
                FROM jsonb_to_recordset(\(rows)::jsonb) AS r(
                    id text, latitude double precision, longitude double precision, structure text,
                    construction_year integer, floors integer, floor_area double precision, use text,
                    fire_resistance text, seismic_retrofit text, town_code text, is_synthetic boolean,
                    footprint text, assumed_attributes text)
                ON CONFLICT (id) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
                    structure = excluded.structure, construction_year = excluded.construction_year,
                    floors = excluded.floors, floor_area = excluded.floor_area, use = excluded.use,
                    fire_resistance = excluded.fire_resistance, seismic_retrofit = excluded.seismic_retrofit,
                    town_code = excluded.town_code, is_synthetic = excluded.is_synthetic,
                    footprint = excluded.footprint, assumed_attributes = excluded.assumed_attributes
                """, logger: logger)
            written += part.count
            progress(written)
        }
    }

    static func upsert(_ town: Town, document: String, on connection: PostgresConnection, logger: Logger) async throws {
        let box = town.boundary.boundingBox
        try await connection.query(
            """
            INSERT INTO town (code, name, households, population, min_latitude, max_latitude,
                              min_longitude, max_longitude, document)
            VALUES (\(town.code), \(town.name), \(town.households), \(town.population.total),
                    \(box.minLatitude), \(box.maxLatitude), \(box.minLongitude), \(box.maxLongitude), \(document))
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, households = excluded.households,
                population = excluded.population, min_latitude = excluded.min_latitude,
                max_latitude = excluded.max_latitude, min_longitude = excluded.min_longitude,
                max_longitude = excluded.max_longitude, document = excluded.document
            """, logger: logger)
    }

    /// How many buildings the store holds.
    public func buildingCount() async throws -> Int {
        try await read(.replica) { connection in
            try await connection.query("SELECT COUNT(*)::bigint FROM building", logger: self.logger).collect()
                .first?.decode(Int.self) ?? 0
        }
    }

    /// Building counts by structure class and construction era.
    public func buildingCountsByClass() async throws -> [BuildingClassCount] {
        try await read(.replica) { connection in
            BuildingClassCount.tally(
                try await connection.query(
                    """
                    SELECT structure, construction_year, COUNT(*)::bigint FROM building
                    GROUP BY structure, construction_year
                    """, logger: self.logger
                ).collect().map { try $0.decode((String, Int?, Int).self) })
        }
    }

    /// Counts over the building register.
    public func buildingTotals() async throws -> BuildingTotals {
        try await read(.replica) { connection in
            let (all, synthetic, assumed) =
                try await connection.query(
                    """
                    SELECT COUNT(*)::bigint, COUNT(*) FILTER (WHERE is_synthetic)::bigint,
                           COUNT(*) FILTER (WHERE NOT is_synthetic AND assumed_attributes <> '')::bigint
                    FROM building
                    """, logger: self.logger
                ).collect().first?.decode((Int, Int, Int).self) ?? (0, 0, 0)
            var byStructure: [String: Int] = [:]
            for row in try await connection.query(
                "SELECT structure, COUNT(*)::bigint FROM building GROUP BY structure", logger: self.logger
            ).collect() {
                let (structure, count) = try row.decode((String, Int).self)
                byStructure[structure] = count
            }
            return BuildingTotals(
                all: all, synthetic: synthetic, withAssumedAttributes: assumed, byStructure: byStructure)
        }
    }

    /// Buildings whose point lies in the box, ordered by id.
    public func buildings(in box: BoundingBox) async throws -> [Building] {
        try await buildings(
            """
            SELECT \(unescaped: Self.buildingColumns) FROM building
            WHERE position && ST_MakeEnvelope(\(box.minLongitude), \(box.minLatitude), \(box.maxLongitude),
                                              \(box.maxLatitude), 4326)
              AND latitude BETWEEN \(box.minLatitude) AND \(box.maxLatitude)
              AND longitude BETWEEN \(box.minLongitude) AND \(box.maxLongitude)
            ORDER BY id COLLATE "C"
            """)
    }

    /// Every building, ordered by id.
    public func buildings() async throws -> [Building] {
        try await buildings("SELECT \(unescaped: Self.buildingColumns) FROM building ORDER BY id COLLATE \"C\"")
    }

    /// The buildings of one town, ordered by id.
    public func buildings(inTown code: String) async throws -> [Building] {
        try await buildings(
            """
            SELECT \(unescaped: Self.buildingColumns) FROM building WHERE town_code = \(code) ORDER BY id COLLATE "C"
            """)
    }

    static let buildingColumns = """
        id, latitude, longitude, structure, construction_year, floors, floor_area, use, fire_resistance,
        seismic_retrofit, town_code, is_synthetic, footprint, assumed_attributes
        """

    /// The buildings `query` returns (``buildingColumns``, in order), read as the rows stream
    /// in: the ward's rows are never held as rows and buildings at once.
    private func buildings(_ query: PostgresQuery) async throws -> [Building] {
        try await read(.replica) { connection in
            var assumedSets: [String: Set<Building.Attribute>] = [:]
            var buildings: [Building] = []
            for try await row in try await connection.query(query, logger: self.logger) {
                let (id, latitude, longitude, structure, year, floors, area, use) = try row.decode(
                    (String, Double, Double, String, Int?, Int?, Double?, String).self)
                let cells = Array(row)
                let fireResistance = try cells[8].decode(String?.self)
                let retrofit = try cells[9].decode(String.self)
                let town = try cells[10].decode(String?.self)
                let synthetic = try cells[11].decode(Bool.self)
                let footprint = try cells[12].decode(String?.self)
                let assumed = try cells[13].decode(String.self)
                buildings.append(
                    try BuildingColumns(
                        id: id, latitude: latitude, longitude: longitude, structure: structure,
                        constructionYear: year, floors: floors, floorArea: area, use: use,
                        fireResistance: fireResistance, seismicRetrofit: retrofit, townCode: town,
                        isSynthetic: synthetic, footprint: footprint, assumedAttributes: assumed
                    ).building(assumedSets: &assumedSets))
            }
            return buildings
        }
    }
}
