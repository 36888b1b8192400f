/// Generates the synthetic stock town by town and stores it in batches, reporting progress.
extension SyntheticBuildingGenerator {
    /// Progress of a long load: buildings stored so far out of the total.
    public typealias Progress = @Sendable (_ stored: Int, _ total: Int) -> Void

    /// Generates buildings for every town and stores them, `batchSize` per transaction.
    ///
    /// Each committed batch stays even if the process is killed later; the load can be rerun,
    /// as inserting a building that exists replaces it.
    /// - Returns: the number of buildings stored.
    @discardableResult
    public func load(
        towns: [Town], stock: BuildingStockTable, into store: SuginamiStore, batchSize: Int = 5_000,
        progress: Progress? = nil
    ) async throws -> Int {
        guard batchSize > 0 else { throw StoreError.invalidArgument("batch size must be at least 1") }
        let counts = allocation(for: towns)
        var pending: [Building] = []
        var stored = 0
        for (index, town) in towns.enumerated() {
            pending += buildings(in: town, townIndex: index, count: counts[index], stock: stock)
            while pending.count >= batchSize {
                try await store.insert(Array(pending.prefix(batchSize)))
                pending.removeFirst(batchSize)
                stored += batchSize
                progress?(stored, totalBuildings)
            }
        }
        if !pending.isEmpty {
            try await store.insert(pending)
            stored += pending.count
            progress?(stored, totalBuildings)
        }
        return stored
    }
}
