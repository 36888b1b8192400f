import Foundation

/// Buildings in a store: inserted in whole batches, read by box, town or all, counted by
/// class; and the store's whole contents replaced at once (what `refd load` does).
///
/// Two back ends give it: ``SuginamiStore`` (SQLite) and `PostgresStore` (SuginamiPostgreSQL).
public protocol BuildingStore: ReferenceDataStore {
    /// Inserts or replaces buildings by id, as one transaction: the whole batch or nothing.
    /// - Parameters:
    ///   - buildings: the records; ids must be unique in the batch.
    ///   - progress: called every 5,000 rows with (rows written, rows in all), for a progress
    ///     display; the rows become visible only when the whole call commits.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` for a record that fails validation
    ///   or names a town the store does not hold, before anything is written.
    func insert(_ buildings: [Building], progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?) async throws

    /// Removes every record (facilities with their status history, towns, buildings, damage
    /// reports) and stores `contents` instead, in one transaction: killed at any moment, the
    /// store holds the old records or the new ones.
    /// - Parameter progress: called as buildings are written with (written, all).
    /// - Throws: ``StoreError`` for an invalid record, before the transaction commits.
    func replaceContents(with contents: StoreContents, progress: (@Sendable (_ written: Int, _ total: Int) -> Void)?)
        async throws

    /// Imports a building register (CSV in UTF-8 or Shift_JIS, or GeoPackage) in one
    /// transaction, streaming: the file is read a piece at a time and stored in batches, so
    /// memory stays bounded whatever the file's size, and the register is stored whole or not
    /// at all (killed at any moment, the store keeps what it had).
    ///
    /// Every row is checked as ``BuildingRegisterFormat/read(contentsOf:options:)`` checks it;
    /// an id used twice in the file and a town code the store does not hold are refused with
    /// their row, like any other bad value. A building whose id the store already holds is
    /// replaced.
    /// - Parameters:
    ///   - url: the register file.
    ///   - options: encoding, skipping bad rows, source.
    ///   - progress: called after each piece of the file with (bytes read, file size), or for
    ///     GeoPackage (rows read, rows).
    /// - Throws: `InputFileError` naming the file, row and column of the first bad row (unless
    ///   skipping was asked for); ``StoreError``.
    func importBuildingRegister(
        contentsOf url: URL, options: ImportOptions, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> BuildingRegisterImportSummary

    /// How many buildings the store holds.
    func buildingCount() async throws -> Int

    /// Building counts by structure class and construction era.
    func buildingCountsByClass() async throws -> [BuildingClassCount]

    /// Counts over the building register: all, synthetic, with assumed attributes, by structure.
    func buildingTotals() async throws -> BuildingTotals

    /// Buildings whose point lies in the box, ordered by id.
    func buildings(in box: BoundingBox) async throws -> [Building]

    /// Every building, ordered by id (what a ward-wide simulation runs over).
    func buildings() async throws -> [Building]

    /// The buildings of one town, ordered by id.
    func buildings(inTown code: String) async throws -> [Building]
}

extension BuildingStore {
    /// Imports a building register with the default options, without a progress display.
    public func importBuildingRegister(contentsOf url: URL, options: ImportOptions = ImportOptions()) async throws
        -> BuildingRegisterImportSummary
    {
        try await importBuildingRegister(contentsOf: url, options: options, progress: nil)
    }

    /// Inserts or replaces buildings by id, as one transaction, without a progress display.
    public func insert(_ buildings: [Building]) async throws {
        try await insert(buildings, progress: nil)
    }

    /// Counts and totals over the whole store.
    public func summary() async throws -> StoreSummary {
        let counts = try await facilityCounts()
        let towns = try await towns()
        let reliefCentres = try await facilities(kinds: [.reliefCentre])
        let emergencySites = try await facilities(kinds: [.emergencyEvacuationSite])
        let buildings = try await buildingTotals()
        let population = towns.reduce(0) { $0 + $1.population.total }
        let reliefCapacity = reliefCentres.compactMap(\.capacity).reduce(0, +)
        return StoreSummary(
            facilitiesByKind: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            towns: towns.count,
            households: towns.reduce(0) { $0 + $1.households },
            population: population,
            elderly: towns.reduce(0) { $0 + $1.population.elderly },
            children: towns.reduce(0) { $0 + $1.population.children },
            buildings: buildings.all, syntheticBuildings: buildings.synthetic,
            buildingsWithAssumedAttributes: buildings.withAssumedAttributes,
            buildingsByStructure: buildings.byStructure,
            reliefCentreCapacity: reliefCapacity,
            reliefCentresWithoutCapacity: reliefCentres.filter { $0.capacity == nil }.count,
            emergencySiteCapacity: emergencySites.compactMap(\.capacity).reduce(0, +),
            reliefCentreCapacityPerResident: population > 0 ? Double(reliefCapacity) / Double(population) : 0)
    }
}

/// Counts over a store's building register.
public struct BuildingTotals: Sendable, Hashable {
    /// Every building.
    public var all: Int
    /// Those made by the synthetic generator.
    public var synthetic: Int
    /// Real buildings with at least one assumed attribute.
    public var withAssumedAttributes: Int
    /// By structure class (its raw value).
    public var byStructure: [String: Int]

    package init(all: Int, synthetic: Int, withAssumedAttributes: Int, byStructure: [String: Int]) {
        self.all = all
        self.synthetic = synthetic
        self.withAssumedAttributes = withAssumedAttributes
        self.byStructure = byStructure
    }
}

/// What ``BuildingStore/replaceContents(with:progress:)`` stores: the towns, the facilities
/// and the buildings, the buildings a batch at a time so that a large stock is not held twice.
public struct StoreContents: Sendable {
    /// The towns.
    public var towns: [Town]
    /// The facilities.
    public var facilities: [Facility]
    /// The buildings, in batches.
    public var buildings: any BuildingBatches

    /// The contents.
    public init(towns: [Town], facilities: [Facility], buildings: any BuildingBatches) {
        self.towns = towns
        self.facilities = facilities
        self.buildings = buildings
    }
}

/// Buildings handed to a store a batch at a time: made (drawn, generated, read) as the store
/// asks for them, so that only one batch is held besides what the store keeps.
public protocol BuildingBatches: Sendable {
    /// The number of buildings in all, for progress.
    var total: Int { get }

    /// The batch after `index` batches, or nil when all have been given.
    func batch(_ index: Int) throws -> [Building]?
}

/// Buildings already in memory, in batches of 10,000.
public struct BuildingArrayBatches: BuildingBatches {
    /// The buildings.
    public var buildings: [Building]

    /// The batches of these buildings.
    public init(_ buildings: [Building]) { self.buildings = buildings }

    /// The number of buildings.
    public var total: Int { buildings.count }

    /// Buildings `10,000 × index` on, at most 10,000.
    public func batch(_ index: Int) throws -> [Building]? {
        let start = index * 10_000
        guard start < buildings.count else { return nil }
        return Array(buildings[start..<min(buildings.count, start + 10_000)])
    }
}
