import Foundation

/// A ``RoadHierarchy`` with a ``RoadMetric`` applied, ready for exact searches: the all-nodes
/// sweep behind ``ShelterTree`` and point-to-point queries (``PathQuery``).
///
/// Basic customization gives every shortcut the weight of the shortest path through its lower
/// triangles; perfect customization then finds the true distance along every arc, and the
/// searches keep only arcs that lie on shortest paths (`SearchGraph`). Together about 8 ms at
/// ward scale on two cores, so a new set of closures or penalties is a new customization, not a
/// new hierarchy.
public struct CustomizedHierarchy: Sendable {
    /// The topology.
    public let hierarchy: RoadHierarchy
    /// The metric applied.
    public let metric: RoadMetric
    /// The arcs searches travel upward (lower rank → higher) and downward, pruned to those on
    /// shortest paths, with their customized weights.
    let upward: SearchGraph
    let downward: SearchGraph
    /// Per hierarchy arc: the graph node after the start of the path it stands for, upward and
    /// downward (−1 where there is no path): the next hop of the shelter tree without unpacking.
    let nextUp: FlatArray<Int32>
    let nextDown: FlatArray<Int32>
    /// Per hierarchy arc {x, y}: the lower triangle its weight came through, upward and
    /// downward, so unpacking needs no search.
    let viaUp: FlatArray<Triangle>
    let viaDown: FlatArray<Triangle>

    /// The two lower arcs of a triangle {z, x, y} (z below x below y) that a shortcut {x, y}
    /// stands for: {z, x} and {z, y}. Where the arc's weight is that of a graph arc itself,
    /// `zx` is −1 and `zy` is that graph arc, so unpacking reads one record per step.
    struct Triangle {
        var zx: Int32
        var zy: Int32
        /// The graph arc this hierarchy arc stands for, if it is not a shortcut.
        static func graphArc(_ arc: Int32) -> Triangle { Triangle(zx: -1, zy: arc) }
    }

    /// Customizes `hierarchy` (built from `graph`) for `metric`.
    public init(hierarchy: RoadHierarchy, graph: RoadGraph, metric: RoadMetric) {
        let arcs = hierarchy.arcCount
        var inputUp = [Double](repeating: .infinity, count: arcs)
        var inputDown = [Double](repeating: .infinity, count: arcs)
        var inputUpArc = [Int32](repeating: -1, count: arcs)
        var inputDownArc = [Int32](repeating: -1, count: arcs)
        for (arc, slot) in hierarchy.arcSlots.enumerated() where slot >= 0 {
            let weight = metric.arcWeights[arc]
            let target = Int(slot >> 1)
            if slot & 1 == 1 {
                if weight < inputUp[target] || inputUpArc[target] < 0 {
                    inputUp[target] = weight
                    inputUpArc[target] = Int32(arc)
                }
            } else if weight < inputDown[target] || inputDownArc[target] < 0 {
                inputDown[target] = weight
                inputDownArc[target] = Int32(arc)
            }
        }
        var up = inputUp
        var down = inputDown
        var nextUp = inputUpArc.map { $0 >= 0 ? graph.heads[Int($0)] : -1 }
        var nextDown = inputDownArc.map { $0 >= 0 ? graph.heads[Int($0)] : -1 }
        var viaUp = inputUpArc.map(Triangle.graphArc)
        var viaDown = inputDownArc.map(Triangle.graphArc)
        up.withUnsafeMutableBufferPointer { up in
            down.withUnsafeMutableBufferPointer { down in
                nextUp.withUnsafeMutableBufferPointer { nextUp in
                    nextDown.withUnsafeMutableBufferPointer { nextDown in
                        viaUp.withUnsafeMutableBufferPointer { viaUp in
                            viaDown.withUnsafeMutableBufferPointer { viaDown in
                                hierarchy.upOffsets.withUnsafeBufferPointer { upOffsets in
                                    hierarchy.upHeads.withUnsafeBufferPointer { upHeads in
                                        hierarchy.downOffsets.withUnsafeBufferPointer { downOffsets in
                                            hierarchy.downTails.withUnsafeBufferPointer { downTails in
                                                hierarchy.downArcs.withUnsafeBufferPointer { downArcs in
                                                    let kernel = Kernel(
                                                        upOffsets: upOffsets, upHeads: upHeads,
                                                        downOffsets: downOffsets,
                                                        downTails: downTails, downArcs: downArcs,
                                                        weights: Weights(
                                                            up: up, down: down, nextUp: nextUp, nextDown: nextDown,
                                                            viaUp: viaUp, viaDown: viaDown))
                                                    kernel.run(split: hierarchy.split)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.hierarchy = hierarchy
        self.metric = metric
        // Perfect customization, for searches that skip every arc off the shortest paths.
        let perfect = Self.perfectWeights(hierarchy: hierarchy, up: up, down: down)
        self.upward = SearchGraph(hierarchy: hierarchy, basic: up, perfect: perfect.up)
        self.downward = SearchGraph(hierarchy: hierarchy, basic: down, perfect: perfect.down)
        self.nextUp = FlatArray(nextUp)
        self.nextDown = FlatArray(nextDown)
        self.viaUp = FlatArray(viaUp)
        self.viaDown = FlatArray(viaDown)
    }

    /// A customization from its parts, as ``RoadNetworkFile`` stores that of the plain metric
    /// (checked there): the same value the other initialiser computes, without the work.
    init(
        hierarchy: RoadHierarchy, metric: RoadMetric, upward: SearchGraph, downward: SearchGraph,
        next: (up: FlatArray<Int32>, down: FlatArray<Int32>), via: (up: FlatArray<Triangle>, down: FlatArray<Triangle>)
    ) {
        self.hierarchy = hierarchy
        self.metric = metric
        self.upward = upward
        self.downward = downward
        (nextUp, nextDown) = next
        (viaUp, viaDown) = via
    }

    /// The customized arrays, for the kernel.
    struct Weights {
        var up: UnsafeMutableBufferPointer<Double>
        var down: UnsafeMutableBufferPointer<Double>
        var nextUp: UnsafeMutableBufferPointer<Int32>
        var nextDown: UnsafeMutableBufferPointer<Int32>
        var viaUp: UnsafeMutableBufferPointer<Triangle>
        var viaDown: UnsafeMutableBufferPointer<Triangle>
    }

    /// Basic customization: nodes in rank order; for each upward arc x→y of x, every lower
    /// triangle {z, x, y} (z a lower neighbour of x whose upward arcs reach y) offers the paths
    /// x→z→y and y→z→x. Arcs below x are final by then, so one pass is exact. The two bins of
    /// the hierarchy's ``ParallelSplit`` run on two threads, then the nodes above them.
    struct Kernel: @unchecked Sendable {
        // Unchecked: the two threads write disjoint arcs (those of their own subtrees) and read
        // only arcs below them, which no other thread writes.
        let upOffsets: UnsafeBufferPointer<Int32>
        let upHeads: UnsafeBufferPointer<Int32>
        let downOffsets: UnsafeBufferPointer<Int32>
        let downTails: UnsafeBufferPointer<Int32>
        let downArcs: UnsafeBufferPointer<Int32>
        let weights: Weights

        func run(split: ParallelSplit) {
            let n = upOffsets.count - 1
            if split.bins.count == 2 {
                DispatchQueue.concurrentPerform(iterations: 2) { bin in
                    customize(ranges: split.bins[bin], nodeCount: n)
                }
                customize(ranges: split.top.map { $0..<($0 + 1) }, nodeCount: n)
            } else {
                customize(ranges: [0..<n], nodeCount: n)
            }
        }

        func customize(ranges: [Range<Int>], nodeCount n: Int) {
            let up = weights.up
            let down = weights.down
            let nextUp = weights.nextUp
            let nextDown = weights.nextDown
            let viaUp = weights.viaUp
            let viaDown = weights.viaDown
            // The arc from the current x to each head; entries of earlier nodes are never read,
            // because every head reached below is an upward neighbour of x (chordality).
            let slot = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
            defer { slot.deallocate() }
            for range in ranges {
                for x in range {
                    let first = Int(upOffsets[x])
                    let end = Int(upOffsets[x + 1])
                    if first == end { continue }
                    for arc in first..<end { slot[Int(upHeads[arc])] = Int32(arc) }
                    for entry in Int(downOffsets[x])..<Int(downOffsets[x + 1]) {
                        let z = Int(downTails[entry])
                        let zx = Int(downArcs[entry])
                        let upZX = up[zx]
                        let downZX = down[zx]
                        let nextDownZX = nextDown[zx]
                        let middle = Int32(zx)
                        var zy = zx + 1
                        let zEnd = Int(upOffsets[z + 1])
                        while zy < zEnd {
                            let xy = Int(slot[Int(upHeads[zy])])
                            let throughUp = downZX + up[zy]  // x → z → y
                            if throughUp < up[xy] {
                                up[xy] = throughUp
                                nextUp[xy] = nextDownZX
                                viaUp[xy] = Triangle(zx: middle, zy: Int32(zy))
                            }
                            let throughDown = down[zy] + upZX  // y → z → x
                            if throughDown < down[xy] {
                                down[xy] = throughDown
                                nextDown[xy] = nextDown[zy]
                                viaDown[xy] = Triangle(zx: middle, zy: Int32(zy))
                            }
                            zy += 1
                        }
                    }
                }
            }
        }
    }

    /// For every graph node, the weighted distance to the nearest of `targets` (graph nodes);
    /// `.infinity` where none is reachable.
    /// - Throws: ``NetworkMismatch`` for a target the network does not have.
    public func distances(toNearestOf targets: [Int]) throws(NetworkMismatch) -> [Double] {
        try NetworkMismatch.check(nodes: targets, nodeCount: hierarchy.nodeCount)
        return sweep(toNearestOf: targets).distance
    }

    /// The result of a sweep, by graph node: distance, the next node on the way, and the
    /// target reached (−1 for none).
    struct Sweep {
        var distance: [Double]
        var nextHop: [Int32]
        var target: [Int32]
    }

    /// Distances from every node to the nearest of `targets`, with the next node of the way and
    /// the target reached: PHAST (Delling et al., 2011) over the hierarchy. Upward from the
    /// targets over reversed arcs, visiting only their elimination-tree ancestors (every upward
    /// path lies there), then downward over every node in falling rank. Targets outside the
    /// network are skipped: the public entries check them first.
    func sweep(toNearestOf targets: [Int]) -> Sweep {
        let n = hierarchy.nodeCount
        var distance = [Double](repeating: .infinity, count: n)
        var next = [Int32](repeating: -1, count: n)
        var target = [Int32](repeating: -1, count: n)
        // The targets' ancestors, listed (a few thousand ranks, not all n, are visited upward).
        var chain: [Int32] = []
        var onChain = [Bool](repeating: false, count: n)
        for node in targets where (0..<n).contains(node) {
            var r = Int(hierarchy.rankOf[node])
            distance[r] = 0
            target[r] = Int32(node)
            while r >= 0 && !onChain[r] {
                onChain[r] = true
                chain.append(Int32(r))
                r = Int(hierarchy.parent[r])
            }
        }
        chain.sort()
        distance.withUnsafeMutableBufferPointer { distance in
            next.withUnsafeMutableBufferPointer { next in
                target.withUnsafeMutableBufferPointer { target in
                    upward.offsets.withUnsafeBufferPointer { upOffsets in
                        upward.arcs.withUnsafeBufferPointer { upArcs in
                            downward.offsets.withUnsafeBufferPointer { downOffsets in
                                downward.arcs.withUnsafeBufferPointer { downArcs in
                                    nextUp.withUnsafeBufferPointer { nextUp in
                                        nextDown.withUnsafeBufferPointer { nextDown in
                                            Self.sweep(
                                                upward: (upOffsets, upArcs, nextUp),
                                                downward: (downOffsets, downArcs, nextDown),
                                                chain: chain,
                                                labels: (distance, next, target))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Back to graph order, rank by rank: the reads run in order and the scattered writes
        // do not stall as gathered reads would.
        var nextHop: [Int32] = []
        var targets: [Int32] = []
        let distances = [Double](unsafeUninitializedCapacity: n) { outDistance, filled in
            nextHop = [Int32](unsafeUninitializedCapacity: n) { outNext, filledNext in
                targets = [Int32](unsafeUninitializedCapacity: n) { outTarget, filledTarget in
                    hierarchy.nodeAt.withUnsafeBufferPointer { nodeAt in
                        for r in 0..<n {
                            let node = Int(nodeAt[r])
                            outDistance[node] = distance[r]
                            outNext[node] = next[r]
                            outTarget[node] = target[r]
                        }
                    }
                    filledTarget = n
                }
                filledNext = n
            }
            filled = n
        }
        return Sweep(distance: distances, nextHop: nextHop, target: targets)
    }

    private static func sweep(
        upward: (
            offsets: UnsafeBufferPointer<Int32>, arcs: UnsafeBufferPointer<SearchGraph.Arc>,
            next: UnsafeBufferPointer<Int32>
        ),
        downward: (
            offsets: UnsafeBufferPointer<Int32>, arcs: UnsafeBufferPointer<SearchGraph.Arc>,
            next: UnsafeBufferPointer<Int32>
        ),
        chain: [Int32],
        labels: (
            distance: UnsafeMutableBufferPointer<Double>, next: UnsafeMutableBufferPointer<Int32>,
            target: UnsafeMutableBufferPointer<Int32>
        )
    ) {
        let n = upward.offsets.count - 1
        let (distance, next, target) = labels
        // Upward from the targets: y reaches a target through x by y→x (an arc travelled
        // downward).
        for rank in chain {
            let x = Int(rank)
            let here = distance[x]
            if here == .infinity { continue }
            for entry in Int(downward.offsets[x])..<Int(downward.offsets[x + 1]) {
                let arc = downward.arcs[entry]
                let y = Int(arc.head)
                let candidate = here + arc.weight
                if candidate < distance[y] {
                    distance[y] = candidate
                    next[y] = downward.next[Int(arc.arc)]
                    target[y] = target[x]
                }
            }
        }
        // Downward: x's best is its own or through a higher neighbour y (x→y upward), final
        // once every y is, so one pass in falling rank. On one thread: on two, over the
        // hierarchy's split, it measured slower (0.47-0.54 against 0.37-0.44 ms at ward scale,
        // 4.5-5.2 against 4.1-4.9 ms for the 23 wards): waking the second thread costs more
        // than half this pass.
        for x in stride(from: n - 1, through: 0, by: -1) {
            var best = distance[x]
            var bestEntry = -1
            for entry in Int(upward.offsets[x])..<Int(upward.offsets[x + 1]) {
                let arc = upward.arcs[entry]
                let candidate = distance[Int(arc.head)] + arc.weight
                let better = candidate < best
                best = better ? candidate : best
                bestEntry = better ? entry : bestEntry
            }
            if bestEntry >= 0 {
                let arc = upward.arcs[bestEntry]
                distance[x] = best
                next[x] = upward.next[Int(arc.arc)]
                target[x] = target[Int(arc.head)]
            }
        }
    }
}
