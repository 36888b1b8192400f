#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fire model laid out for the event loop: cluster members in contiguous arrays with their
/// (cell, class) slot, and each cluster's buildings per town and per cell.
struct FireEventLoop: Sendable {
    let model: FireModel
    /// Per member (cluster order): its (cell × class) slot in the event's probability arrays.
    let memberSlot: [Int32]
    /// Per cluster: (town, count) runs, CSR.
    let townStart: [Int32]
    let townIndex: [Int32]
    let townCount: [Float]
    /// Per cluster: (cell, count) runs, CSR.
    let cellStart: [Int32]
    let cellIndex: [Int32]
    let cellCount: [Float]

    var clusterCount: Int { model.clusters.count }

    /// - Parameters:
    ///   - slotOfBuilding: per building (inventory order), its cell × class slot.
    ///   - townOfBuilding, cellOfBuilding: per building, its town and cell index.
    init(model: FireModel, slotOfBuilding: [Int32], townOfBuilding: [Int32], cellOfBuilding: [Int32]) {
        let clusters = model.clusters
        memberSlot = clusters.members.map { slotOfBuilding[Int($0)] }
        func runs(_ of: [Int32]) -> ([Int32], [Int32], [Float]) {
            var start: [Int32] = [0]
            var index: [Int32] = []
            var count: [Float] = []
            start.reserveCapacity(clusters.count + 1)
            var tally: [Int32: Int] = [:]
            for cluster in 0..<clusters.count {
                tally.removeAll(keepingCapacity: true)
                for member in clusters.memberStart[cluster]..<clusters.memberStart[cluster + 1] {
                    tally[of[Int(clusters.members[Int(member)])], default: 0] += 1
                }
                for (unit, n) in tally.sorted(by: { $0.key < $1.key }) {
                    index.append(unit)
                    count.append(Float(n))
                }
                start.append(Int32(index.count))
            }
            return (start, index, count)
        }
        (townStart, townIndex, townCount) = runs(townOfBuilding)
        (cellStart, cellIndex, cellCount) = runs(cellOfBuilding)
        self.model = model
    }

    /// One event: from the flaming probability per slot, adds each cluster's P(burn) to
    /// `burnSum`, the expected burnt buildings per town and cell to `townBurnt` and `cellBurnt`,
    /// and returns, for each cluster that burned in the sampled realisation, the building where
    /// it caught.
    func run(
        event: Int, flaming: UnsafeBufferPointer<Double>, random: CounterRandom,
        burnSum: UnsafeMutableBufferPointer<Double>, townBurnt: UnsafeMutableBufferPointer<Double>,
        cellBurnt: UnsafeMutableBufferPointer<Double>
    ) -> [Int32] {
        let starts = model.clusters.memberStart
        var burned: [Int32] = []
        // The sampled realisation: a Poisson process of flaming fires over the clusters laid end
        // to end, each cluster an interval of length λ = Σ p (so it holds a fire with probability
        // 1 − exp(−λ), independently, as the expectation assumes); the gaps between fires are
        // exponential draws keyed by (event, draw), so an event costs one draw per fire, not one
        // per building. The building where a fire caught is where its point falls in the
        // cluster's run of p. Paired comparisons use the expectation, which these draws do not touch.
        var draw: UInt64 = 0
        func gap() -> Double {
            defer { draw += 1 }
            return -log(random.uniform(.fireIgnition, event: UInt64(event), index: 0, draw: draw))
        }
        var nextFire = gap()
        var position = 0.0
        memberSlot.withUnsafeBufferPointer { slots in
            for cluster in 0..<clusterCount {
                let first = Int(starts[cluster])
                let last = Int(starts[cluster + 1])
                var lambda = 0.0
                for member in first..<last { lambda += flaming[Int(slots[member])] }
                guard lambda > 0 else { continue }
                // 1 − exp(−λ): the series is exact to 1e-13 below 1e-3, and far cheaper.
                let burn = lambda < 1e-3 ? lambda * (1 - lambda * (0.5 - lambda / 6)) : -expm1(-lambda)
                if nextFire < position + lambda {
                    var within = nextFire - position
                    var caught = last - 1
                    for member in first..<last {
                        within -= flaming[Int(slots[member])]
                        if within <= 0 {
                            caught = member
                            break
                        }
                    }
                    burned.append(model.clusters.members[caught])
                    // Further fires in the same cluster change nothing: skip past it.
                    while nextFire < position + lambda { nextFire += gap() }
                }
                position += lambda
                burnSum[cluster] += burn
                for run in Int(townStart[cluster])..<Int(townStart[cluster + 1]) {
                    townBurnt[Int(townIndex[run])] += burn * Double(townCount[run])
                }
                for run in Int(cellStart[cluster])..<Int(cellStart[cluster + 1]) {
                    cellBurnt[Int(cellIndex[run])] += burn * Double(cellCount[run])
                }
            }
        }
        return burned
    }
}
