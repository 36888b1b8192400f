/// Generates the synthetic stock town by town and stores it, reporting progress.
extension SyntheticBuildingGenerator {
    /// Progress of a long load: buildings stored so far out of the total.
    public typealias Progress = @Sendable (_ stored: Int, _ total: Int) -> Void

    /// The most buildings a generator makes: about twice the largest stock of any Japanese
    /// municipality (Tokyo's 23 wards hold ~1.8 million), far above any real use, and low enough
    /// that the records fit in memory.
    public static let maximumBuildingCount = 5_000_000

    /// The stock for every town, in batches of one town each, as a store asks for them.
    /// - Throws: ``StoreError/invalidArgument(_:)`` if ``totalBuildings`` is negative or above
    ///   ``maximumBuildingCount``.
    public func batches(towns: [Town], stock: BuildingStockTable) throws -> SyntheticBuildingBatches {
        guard (0...Self.maximumBuildingCount).contains(totalBuildings) else {
            throw StoreError.invalidArgument(
                "a synthetic stock of \(totalBuildings) buildings: give 0 to \(Self.maximumBuildingCount)")
        }
        return SyntheticBuildingBatches(generator: self, towns: towns, stock: stock, counts: allocation(for: towns))
    }

    /// Generates buildings for every town and stores them in one transaction: all or none.
    /// - Returns: the number of buildings stored.
    @discardableResult
    public func load(
        towns: [Town], stock: BuildingStockTable, into store: some BuildingStore, progress: Progress? = nil
    ) async throws -> Int {
        let batches = try batches(towns: towns, stock: stock)
        var all: [Building] = []
        all.reserveCapacity(batches.total)
        var index = 0
        while let batch = try batches.batch(index) {
            all += batch
            index += 1
        }
        try await store.insert(all, progress: progress)
        return all.count
    }
}

/// A synthetic stock, town by town: one batch per town, generated when asked for.
public struct SyntheticBuildingBatches: BuildingBatches {
    let generator: SyntheticBuildingGenerator
    let towns: [Town]
    let stock: BuildingStockTable
    let counts: [Int]

    /// The number of buildings in all.
    public var total: Int { counts.reduce(0, +) }

    /// The buildings of town `index`.
    public func batch(_ index: Int) throws -> [Building]? {
        guard index < towns.count else { return nil }
        guard counts[index] > 0 else { return [] }
        return generator.buildings(in: towns[index], townIndex: index, count: counts[index], stock: stock)
    }
}
