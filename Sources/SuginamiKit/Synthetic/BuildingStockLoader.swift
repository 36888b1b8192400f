/// Generates the synthetic stock town by town and stores it, reporting progress.
extension SyntheticBuildingGenerator {
    /// Progress of a long load: buildings stored so far out of the total.
    public typealias Progress = @Sendable (_ stored: Int, _ total: Int) -> Void

    /// The most buildings a generator makes: about twice the largest stock of any Japanese
    /// municipality (Tokyo's 23 wards hold ~1.8 million), far above any real use, and low enough
    /// that the records fit in memory.
    public static let maximumBuildingCount = 5_000_000

    /// Generates buildings for every town and inserts them through `transaction`, so that they
    /// are stored with whatever else the transaction writes, or not at all.
    /// - Returns: the number of buildings stored.
    /// - Throws: ``StoreError/invalidArgument(_:)`` if ``totalBuildings`` is negative or above
    ///   ``maximumBuildingCount``, before anything is written.
    @discardableResult
    public func insert(
        towns: [Town], stock: BuildingStockTable, into transaction: StoreTransaction, progress: Progress? = nil
    ) throws -> Int {
        guard (0...Self.maximumBuildingCount).contains(totalBuildings) else {
            throw StoreError.invalidArgument(
                "a synthetic stock of \(totalBuildings) buildings: give 0 to \(Self.maximumBuildingCount)")
        }
        let counts = allocation(for: towns)
        var stored = 0
        for (index, town) in towns.enumerated() where counts[index] > 0 {
            try transaction.insert(buildings(in: town, townIndex: index, count: counts[index], stock: stock))
            stored += counts[index]
            progress?(stored, totalBuildings)
        }
        return stored
    }

    /// Generates buildings for every town and stores them in one transaction: all or none.
    /// - Returns: the number of buildings stored.
    @discardableResult
    public func load(
        towns: [Town], stock: BuildingStockTable, into store: SuginamiStore, progress: Progress? = nil
    ) async throws -> Int {
        try await store.write { try insert(towns: towns, stock: stock, into: $0, progress: progress) }
    }
}
