#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fire model laid out for the event loop: cluster members in contiguous arrays with their
/// (cell, class) slot and random key, and each cluster's buildings per town and per cell.
struct FireEventLoop: Sendable {
    let model: FireModel
    /// Per member (cluster order): its (cell × class) slot in the event's probability arrays.
    let memberSlot: [Int32]
    /// Per member: its random key.
    let memberKey: [UInt64]
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
        memberKey = clusters.members.map { model.keys[Int($0)] }
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
        memberSlot.withUnsafeBufferPointer { slots in
            memberKey.withUnsafeBufferPointer { keys in
                for cluster in 0..<clusterCount {
                    let first = Int(starts[cluster])
                    let last = Int(starts[cluster + 1])
                    var lambda = 0.0
                    for member in first..<last { lambda += flaming[Int(slots[member])] }
                    guard lambda > 0 else { continue }
                    let burn = -expm1(-lambda)
                    // The sampled realisation: the cluster burns with P(burn), keyed by its first
                    // member (stable when other buildings are added); the building where it
                    // caught is drawn in proportion to p. Paired comparisons use the expectation,
                    // so these draws need not be shared between runs.
                    if random.uniform(.fireIgnition, event: UInt64(event), index: keys[first], draw: 0) < burn {
                        var target =
                            random.uniform(.fireIgnition, event: UInt64(event), index: keys[first], draw: 1) * lambda
                        var caught = last - 1
                        for member in first..<last {
                            target -= flaming[Int(slots[member])]
                            if target <= 0 {
                                caught = member
                                break
                            }
                        }
                        burned.append(model.clusters.members[caught])
                    }
                    burnSum[cluster] += burn
                    for run in Int(townStart[cluster])..<Int(townStart[cluster + 1]) {
                        townBurnt[Int(townIndex[run])] += burn * Double(townCount[run])
                    }
                    for run in Int(cellStart[cluster])..<Int(cellStart[cluster + 1]) {
                        cellBurnt[Int(cellIndex[run])] += burn * Double(cellCount[run])
                    }
                }
            }
        }
        return burned
    }
}
