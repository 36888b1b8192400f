import GRDB

/// The writes of one transaction on a ``SuginamiStore``: what ``SuginamiStore/write(_:)``
/// hands its closure. Everything written through it is committed together when the closure
/// returns, or not at all if it throws or the process dies first.
///
/// ```swift
/// try await store.write { transaction in
///     try transaction.removeAll()
///     try transaction.save(dataset.towns)
///     try transaction.save(dataset.facilities)
/// }
/// ```
///
/// It is valid only inside that closure; keep no reference to it.
public final class StoreTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Deletes every record: facilities with their status history, towns, buildings and damage
    /// reports. The schema stays.
    public func removeAll() throws {
        // Children first, so that no foreign key is left pointing nowhere during the delete.
        for table in ["shelterStatus", "damageReport", "building", "facility", "town"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
    }

    /// Inserts or replaces towns by census code.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before any of them is written.
    public func save(_ towns: [Town]) throws {
        try towns.validateForStore()
        let rows = try towns.map { ($0, try DocumentCoding.encode($0)) }
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

    /// Inserts or replaces facilities by id.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before any of them is written.
    public func save(_ facilities: [Facility]) throws {
        try facilities.validateForStore()
        let rows = try facilities.map { ($0, try DocumentCoding.encode($0)) }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO facility (id, kind, name, latitude, longitude, capacity, sourceID, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                    latitude = excluded.latitude, longitude = excluded.longitude, capacity = excluded.capacity,
                    sourceID = excluded.sourceID, document = excluded.document
                """)
        for (facility, document) in rows {
            try statement.execute(arguments: [
                facility.id, facility.kind.rawValue, facility.name, facility.position.latitude,
                facility.position.longitude, facility.capacity, facility.source.id, document,
            ])
        }
    }

    /// Inserts or replaces buildings by id.
    /// - Parameters:
    ///   - buildings: the buildings.
    ///   - progress: called every 5,000 rows with (rows written, rows in this call).
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` for a record that fails validation
    ///   or names a town the store does not hold, before any of them is written.
    public func insert(_ buildings: [Building], progress: ((_ written: Int, _ total: Int) -> Void)? = nil) throws {
        try buildings.validateForStore()
        let footprints = try buildings.map { try $0.footprint.map { try DocumentCoding.encode($0) } }
        let towns = Set(try String.fetchAll(db, sql: "SELECT code FROM town"))
        if let stray = buildings.first(where: { $0.townCode.map { !towns.contains($0) } ?? false }) {
            throw StoreError.invalidRecord(
                id: stray.id, problems: ["townCode \(stray.townCode ?? "") is not a town in the store"])
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO building (id, latitude, longitude, structure, constructionYear, floors, floorArea, use,
                                      fireResistance, seismicRetrofit, townCode, isSynthetic, footprint,
                                      assumedAttributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude,
                    structure = excluded.structure, constructionYear = excluded.constructionYear,
                    floors = excluded.floors, floorArea = excluded.floorArea, use = excluded.use,
                    fireResistance = excluded.fireResistance, seismicRetrofit = excluded.seismicRetrofit,
                    townCode = excluded.townCode, isSynthetic = excluded.isSynthetic,
                    footprint = excluded.footprint, assumedAttributes = excluded.assumedAttributes
                """)
        for (index, (building, footprint)) in zip(buildings, footprints).enumerated() {
            if index > 0, index % 5_000 == 0 { progress?(index, buildings.count) }
            try statement.execute(arguments: [
                building.id, building.position.latitude, building.position.longitude, building.structure.rawValue,
                building.constructionYear, building.floors, building.floorArea, building.use.rawValue,
                building.fireResistance?.rawValue, building.seismicRetrofit.rawValue, building.townCode,
                building.isSynthetic, footprint, Building.Attribute.text(building.assumedAttributes),
            ])
        }
        progress?(buildings.count, buildings.count)
    }

    /// Writes the towns, the facilities and every batch of buildings.
    /// - Parameter progress: called after each batch with (buildings written, all).
    public func write(
        _ contents: StoreContents, progress: (@Sendable (_ written: Int, _ total: Int) -> Void)? = nil
    ) throws {
        try save(contents.towns)
        try save(contents.facilities)
        var written = 0
        var index = 0
        while let batch = try contents.buildings.batch(index) {
            try insert(batch)
            written += batch.count
            index += 1
            progress?(written, contents.buildings.total)
        }
    }
}
