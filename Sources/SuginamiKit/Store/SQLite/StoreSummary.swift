import GRDB

/// What a store holds, in figures: the summary `refd load` prints and the daemon serves.
public struct StoreSummary: Sendable, Hashable, Codable {
    /// Facilities by ``FacilityKind`` raw value.
    public var facilitiesByKind: [String: Int]
    /// Number of 町丁目.
    public var towns: Int
    /// Households in all towns.
    public var households: Int
    /// Residents in all towns.
    public var population: Int
    /// Residents aged 65 and over.
    public var elderly: Int
    /// Residents under 15.
    public var children: Int
    /// Buildings stored.
    public var buildings: Int
    /// Of which synthetic.
    public var syntheticBuildings: Int
    /// Of which real but with some fields assumed (``Building/assumedAttributes``).
    public var buildingsWithAssumedAttributes: Int
    /// Buildings by ``StructureClass`` raw value.
    public var buildingsByStructure: [String: Int]
    /// Planned capacity of the 震災救援所 (people), over those with a published capacity.
    public var reliefCentreCapacity: Int
    /// Relief centres without a published capacity.
    public var reliefCentresWithoutCapacity: Int
    /// Planned capacity of the 指定緊急避難場所 (people).
    public var emergencySiteCapacity: Int
    /// Relief-centre capacity per resident (1.0 would shelter everyone).
    public var reliefCentreCapacityPerResident: Double
}

extension SuginamiStore {
    /// Counts and totals over the whole store.
    public func summary() async throws -> StoreSummary {
        let counts = try await facilityCounts()
        let towns = try await towns()
        let reliefCentres = try await facilities(kinds: [.reliefCentre])
        let emergencySites = try await facilities(kinds: [.emergencyEvacuationSite])
        let (total, synthetic, assumed, byStructure) = try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building") ?? 0
            let synthetic = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM building WHERE isSynthetic = 1") ?? 0
            let assumed =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM building WHERE isSynthetic = 0 AND assumedAttributes <> ''") ?? 0
            var byStructure: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT structure, COUNT(*) FROM building GROUP BY structure") {
                byStructure[row[0]] = row[1]
            }
            return (total, synthetic, assumed, byStructure)
        }
        let population = towns.reduce(0) { $0 + $1.population.total }
        let reliefCapacity = reliefCentres.compactMap(\.capacity).reduce(0, +)
        return StoreSummary(
            facilitiesByKind: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            towns: towns.count,
            households: towns.reduce(0) { $0 + $1.households },
            population: population,
            elderly: towns.reduce(0) { $0 + $1.population.elderly },
            children: towns.reduce(0) { $0 + $1.population.children },
            buildings: total, syntheticBuildings: synthetic, buildingsWithAssumedAttributes: assumed,
            buildingsByStructure: byStructure,
            reliefCentreCapacity: reliefCapacity,
            reliefCentresWithoutCapacity: reliefCentres.filter { $0.capacity == nil }.count,
            emergencySiteCapacity: emergencySites.compactMap(\.capacity).reduce(0, +),
            reliefCentreCapacityPerResident: population > 0 ? Double(reliefCapacity) / Double(population) : 0)
    }
}
