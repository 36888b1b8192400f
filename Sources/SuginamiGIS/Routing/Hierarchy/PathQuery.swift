/// Exact point-to-point searches on a ``CustomizedHierarchy``, walking the elimination tree
/// upward from both ends over the pruned search graphs (no priority queue); a path is read
/// back from the final labels and its shortcuts unpacked into graph arcs.
///
/// Keeps its scratch arrays between queries, so one query costs the nodes it climbs and not
/// the size of the network: keep one per task and reuse it.
public struct PathQuery: Sendable {
    /// The hierarchy searched.
    public let customized: CustomizedHierarchy
    /// Per rank, the best weight found from the sources (forward) and to the targets
    /// (backward), side by side, as the climb reads them together.
    var labels: [Label]
    /// The ranks climbed, ascending.
    var touched: [Int32] = []

    /// What the two sides know of a rank.
    struct Label {
        var forward: Double
        var backward: Double
        static let unreached = Label(forward: .infinity, backward: .infinity)
    }

    /// A query over `customized`.
    public init(_ customized: CustomizedHierarchy) {
        self.customized = customized
        labels = [Label](repeating: .unreached, count: customized.hierarchy.nodeCount)
        touched.reserveCapacity(1024)
    }

    /// A shortest path found: its weight, the graph arcs in order, and which of the given
    /// sources and targets it joins.
    public struct Path: Sendable, Equatable {
        /// The weight: source cost, arcs, target cost.
        public var weight: Double
        /// Graph arcs from the source node to the target node (empty when they coincide).
        public var arcs: [Int32]
        /// Index into the sources given.
        public var source: Int
        /// Index into the targets given.
        public var target: Int
    }

    /// The weighted distance from graph node `source` to graph node `target` (`.infinity` when
    /// there is no path), without the path.
    public mutating func distance(from source: Int, to target: Int) -> Double {
        let rank = customized.hierarchy.rankOf
        let (best, _) = search(
            sources: (Int(rank[source]), 0, -1, .infinity), targets: (Int(rank[target]), 0, -1, .infinity))
        reset()
        return best
    }

    /// The shortest path from any of `sources` to any of `targets` (graph nodes, each with a
    /// cost to start or end there; up to two of each, the ends of a snapped edge), or nil when
    /// none exists.
    public mutating func shortestPath(
        from sources: [(node: Int, cost: Double)], to targets: [(node: Int, cost: Double)]
    ) -> Path? {
        precondition((1...2).contains(sources.count) && (1...2).contains(targets.count), "one or two ends each")
        let rank = customized.hierarchy.rankOf
        let second = (
            sources.count > 1 ? Int(rank[sources[1].node]) : -1, sources.count > 1 ? sources[1].cost : .infinity
        )
        let secondTarget = (
            targets.count > 1 ? Int(rank[targets[1].node]) : -1, targets.count > 1 ? targets[1].cost : .infinity
        )
        let sourceEnds = ((Int(rank[sources[0].node]), sources[0].cost), second)
        let targetEnds = ((Int(rank[targets[0].node]), targets[0].cost), secondTarget)
        let (best, meeting) = search(
            sources: (sourceEnds.0.0, sourceEnds.0.1, sourceEnds.1.0, sourceEnds.1.1),
            targets: (targetEnds.0.0, targetEnds.0.1, targetEnds.1.0, targetEnds.1.1))
        defer { reset() }
        guard best.isFinite, meeting >= 0 else { return nil }
        // Hierarchy arcs from the source up to the meeting node, then down to the target.
        let up = climbed(to: Int(meeting), on: customized.upward, forward: true, ends: sourceEnds)
        let down = climbed(to: Int(meeting), on: customized.downward, forward: false, ends: targetEnds)
        let sequence = up.arcs.reversed().map { (arc: $0, upward: true) } + down.arcs.map { (arc: $0, upward: false) }
        return Path(weight: best, arcs: customized.unpack(sequence), source: up.end, target: down.end)
    }

    /// The hierarchy arcs one side climbed from its ends to `meeting`, highest first, and the
    /// index of the end it started from: read back from the final labels rather than recorded
    /// during the climb (which doubled its time). Each label below the meeting was set, to the
    /// bit, as a lower rank's label plus one arc, and `touched` holds the ranks climbed in
    /// ascending order; so from the meeting down, the predecessor is the nearest rank below
    /// with an arc to it that sums exactly.
    private func climbed(
        to meeting: Int, on search: SearchGraph, forward: Bool, ends: ((Int, Double), (Int, Double))
    ) -> (arcs: [Int32], end: Int) {
        labels.withUnsafeBufferPointer { labels in
            touched.withUnsafeBufferPointer { touched in
                search.offsets.withUnsafeBufferPointer { offsets in
                    search.arcs.withUnsafeBufferPointer { searchArcs in
                        @inline(__always) func label(_ r: Int) -> Double {
                            forward ? labels[r].forward : labels[r].backward
                        }
                        var arcs: [Int32] = []
                        var node = meeting
                        var position = touched.lastIndex(of: Int32(meeting))!
                        while true {
                            if node == ends.0.0 && label(node) == ends.0.1 { return (arcs, 0) }
                            if node == ends.1.0 && label(node) == ends.1.1 { return (arcs, 1) }
                            let target = label(node)
                            var found = false
                            while position > 0 && !found {
                                position -= 1
                                let below = Int(touched[position])
                                let there = label(below)
                                let end = Int(offsets[below + 1])
                                // Unreached from this side, or no arc up to `node` (heads ascend).
                                guard there < target, end > Int(offsets[below]), Int(searchArcs[end - 1].head) >= node
                                else { continue }
                                var low = Int(offsets[below])
                                var high = end
                                while low < high {
                                    let probe = (low + high) >> 1
                                    if Int(searchArcs[probe].head) < node { low = probe + 1 } else { high = probe }
                                }
                                let arc = searchArcs[low]
                                if Int(arc.head) == node && there + arc.weight == target {
                                    arcs.append(arc.arc)
                                    node = below
                                    found = true
                                }
                            }
                            precondition(found, "every label below the meeting came from a lower one")
                        }
                    }
                }
            }
        }
    }

    /// Seeds the ends (ranks with costs; rank −1 for an absent second end) and climbs; the best
    /// weight and the meeting rank (−1 for none).
    private mutating func search(
        sources: (Int, Double, Int, Double), targets: (Int, Double, Int, Double)
    ) -> (Double, Int32) {
        for (r, cost) in [(sources.0, sources.1), (sources.2, sources.3)] where r >= 0 {
            labels[r].forward = min(labels[r].forward, cost)
        }
        for (r, cost) in [(targets.0, targets.1), (targets.2, targets.3)] where r >= 0 {
            labels[r].backward = min(labels[r].backward, cost)
        }
        let chains = (Int32(sources.0), Int32(sources.2), Int32(targets.0), Int32(targets.2))
        var best = Double.infinity
        var meeting: Int32 = -1
        let hierarchy = customized.hierarchy
        customized.upward.offsets.withUnsafeBufferPointer { upOffsets in
            customized.upward.arcs.withUnsafeBufferPointer { upArcs in
                customized.downward.offsets.withUnsafeBufferPointer { downOffsets in
                    customized.downward.arcs.withUnsafeBufferPointer { downArcs in
                        hierarchy.parent.withUnsafeBufferPointer { parent in
                            labels.withUnsafeMutableBufferPointer { labels in
                                let climb = Climb(
                                    upOffsets: upOffsets, upArcs: upArcs, downOffsets: downOffsets,
                                    downArcs: downArcs, parent: parent, labels: labels)
                                climb.run(chains, touched: &touched, best: &best, meeting: &meeting)
                            }
                        }
                    }
                }
            }
        }
        return (best, meeting)
    }

    /// Clears what the last search touched (only ranks on its chains).
    private mutating func reset() {
        for r in touched { labels[Int(r)] = .unreached }
        touched.removeAll(keepingCapacity: true)
    }

    /// The interleaved climb over the raw arrays: nodes of all chains in ascending rank, so
    /// each is final when reached; a node on both sides may improve the best path, and a side
    /// stops relaxing from a node once it cannot beat that best.
    private struct Climb {
        let upOffsets: UnsafeBufferPointer<Int32>
        let upArcs: UnsafeBufferPointer<SearchGraph.Arc>
        let downOffsets: UnsafeBufferPointer<Int32>
        let downArcs: UnsafeBufferPointer<SearchGraph.Arc>
        let parent: UnsafeBufferPointer<Int32>
        let labels: UnsafeMutableBufferPointer<Label>

        func run(
            _ chains: (Int32, Int32, Int32, Int32), touched: inout [Int32], best: inout Double, meeting: inout Int32
        ) {
            var (s0, s1, t0, t1) = chains
            @inline(__always) func lowest(_ a: Int32, _ b: Int32) -> Int32 {
                a < 0 ? b : (b < 0 ? a : min(a, b))
            }
            while true {
                let x = lowest(lowest(s0, s1), lowest(t0, t1))
                if x < 0 { break }
                let node = Int(x)
                touched.append(x)
                let there = labels[node].forward
                let back = labels[node].backward
                if there + back < best {
                    best = there + back
                    meeting = x
                }
                if (s0 == x || s1 == x) && there < best {
                    for entry in Int(upOffsets[node])..<Int(upOffsets[node + 1]) {
                        let arc = upArcs[entry]
                        let y = Int(arc.head)
                        let candidate = there + arc.weight
                        let old = labels[y].forward
                        labels[y].forward = Swift.min(candidate, old)
                    }
                }
                if (t0 == x || t1 == x) && back < best {
                    for entry in Int(downOffsets[node])..<Int(downOffsets[node + 1]) {
                        let arc = downArcs[entry]
                        let y = Int(arc.head)
                        let candidate = back + arc.weight
                        let old = labels[y].backward
                        labels[y].backward = Swift.min(candidate, old)
                    }
                }
                let next = parent[node]
                if s0 == x { s0 = next }
                if s1 == x { s1 = next }
                if t0 == x { t0 = next }
                if t1 == x { t1 = next }
            }
        }
    }
}

extension CustomizedHierarchy {
    /// The graph arcs that a sequence of hierarchy arcs stands for, each travelled upward
    /// (lower rank to higher) or downward: a graph arc itself, or the two halves of the lower
    /// triangle {z, x, y} its weight came through, with an explicit stack.
    func unpack(_ sequence: [(arc: Int32, upward: Bool)]) -> [Int32] {
        var arcs: [Int32] = []
        arcs.reserveCapacity(8 * sequence.count)
        // Last in, first out: push the sequence reversed, and each triangle's second half first.
        var stack: [(arc: Int32, upward: Bool)] = sequence.reversed()
        viaUp.withUnsafeBufferPointer { viaUp in
            viaDown.withUnsafeBufferPointer { viaDown in
                while let (arc, upward) = stack.popLast() {
                    let triangle = upward ? viaUp[Int(arc)] : viaDown[Int(arc)]
                    if triangle.zx < 0 {
                        arcs.append(triangle.zy)
                    } else if upward {  // x → z, then z → y
                        stack.append((triangle.zy, true))
                        stack.append((triangle.zx, false))
                    } else {  // y → z, then z → x
                        stack.append((triangle.zx, true))
                        stack.append((triangle.zy, false))
                    }
                }
            }
        }
        return arcs
    }
}
