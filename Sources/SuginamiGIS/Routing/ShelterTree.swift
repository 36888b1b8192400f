import HeapModule

/// For every node, the distance to the nearest open shelter (震災救援所), the next node on the
/// way there and which shelter that is.
///
/// Computed by one sweep over a ``CustomizedHierarchy`` (so one-way streets, closures and
/// penalties are those of its metric), then read by any number of residents: the way to the
/// nearest shelter is a walk along ``nextHop``. A closure arriving on its own is repaired in
/// place (``repair(closing:graph:metric:)``) rather than recomputed.
public struct ShelterTree: Sendable {
    /// Weighted metres to the nearest shelter (equal to metres without penalties); `.infinity`
    /// where none is reachable.
    public private(set) var distances: [Double]
    /// The next node towards that shelter (−1 at a shelter or where none is reachable).
    public private(set) var nextHop: [Int32]
    /// The shelter (node index) each node reaches (−1 where none is reachable).
    public private(set) var shelter: [Int32]

    /// The tree towards `shelters` (graph node indices; duplicates and out-of-range entries
    /// are ignored) under `customized`'s metric.
    public init(customized: CustomizedHierarchy, graph: RoadGraph, shelters: [Int]) {
        let sweep = customized.sweep(toNearestOf: shelters, graph: graph)
        distances = sweep.distance
        shelter = sweep.target
        nextHop = sweep.nextHop
    }

    /// The node path from `node` to its shelter, following the tree; empty if none is reachable.
    public func path(from node: Int) -> [Int] {
        guard distances[node].isFinite else { return [] }
        // Counted first, so the array is allocated once (this is the per-resident hot path).
        var count = 1
        var current = node
        while nextHop[current] >= 0 {
            current = Int(nextHop[current])
            count += 1
        }
        return [Int](unsafeUninitializedCapacity: count) { buffer, filled in
            var current = node
            for index in 0..<count {
                buffer[index] = current
                current = Int(nextHop[current])
            }
            filled = count
        }
    }

    /// Repairs the tree after `closedEdges` were closed in `metric` (which must already have
    /// them closed; see ``RoadMetric/close(edges:in:)``): only nodes whose way ran over a closed
    /// edge are searched again, from their intact neighbours (Ramalingam and Reps), so a
    /// closure off every tree path costs almost nothing.
    public mutating func repair(closing closedEdges: some Sequence<Int32>, graph: RoadGraph, metric: RoadMetric) {
        // Roots of the invalid subtrees: tails of closed arcs that were next hops.
        var affected: [Int32] = []
        var isAffected = [Bool](repeating: false, count: distances.count)
        for edge in closedEdges where (0..<Int32(graph.edgeCount)).contains(edge) {
            let ends = (graph.edgeFrom[Int(edge)], graph.edgeTo[Int(edge)])
            for (tail, head) in [ends, (ends.1, ends.0)] where nextHop[Int(tail)] == head && !isAffected[Int(tail)] {
                isAffected[Int(tail)] = true
                affected.append(tail)
            }
        }
        if affected.isEmpty { return }
        // Everything hanging below them.
        var cursor = 0
        while cursor < affected.count {
            let node = Int(affected[cursor])
            cursor += 1
            for arc in Int(graph.reverseOffsets[node])..<Int(graph.reverseOffsets[node + 1]) {
                let child = graph.reverseTails[arc]
                if nextHop[Int(child)] == Int32(node) && !isAffected[Int(child)] {
                    isAffected[Int(child)] = true
                    affected.append(child)
                }
            }
        }
        distances.withUnsafeMutableBufferPointer { distance in
            nextHop.withUnsafeMutableBufferPointer { next in
                shelter.withUnsafeMutableBufferPointer { shelter in
                    Self.settle(
                        affected: affected, isAffected: isAffected, graph: graph, metric: metric,
                        labels: (distance, next, shelter))
                }
            }
        }
    }

    /// Seeds each affected node from its intact neighbours, then settles them among
    /// themselves (Dijkstra confined to the affected set).
    private static func settle(
        affected: [Int32], isAffected: [Bool], graph: RoadGraph, metric: RoadMetric,
        labels: (
            distance: UnsafeMutableBufferPointer<Double>, next: UnsafeMutableBufferPointer<Int32>,
            shelter: UnsafeMutableBufferPointer<Int32>
        )
    ) {
        let (distance, next, shelter) = labels
        var heap = Heap<Entry>()
        heap.reserveCapacity(affected.count)
        for node in affected {
            let v = Int(node)
            var best = Double.infinity
            var hop: Int32 = -1
            for arc in Int(graph.offsets[v])..<Int(graph.offsets[v + 1]) {
                let head = graph.heads[arc]
                if isAffected[Int(head)] { continue }
                let candidate = metric.arcWeights[arc] + distance[Int(head)]
                if candidate < best {
                    best = candidate
                    hop = head
                }
            }
            distance[v] = best
            next[v] = best.isFinite ? hop : -1
            shelter[v] = best.isFinite ? shelter[Int(hop)] : -1
            if best.isFinite { heap.insert(Entry(distance: best, node: node)) }
        }
        graph.reverseOffsets.withUnsafeBufferPointer { offsets in
            graph.reverseTails.withUnsafeBufferPointer { tails in
                graph.reverseLengths.withUnsafeBufferPointer { lengths in
                    graph.reverseEdges.withUnsafeBufferPointer { edges in
                        metric.edgeFactors.withUnsafeBufferPointer { factors in
                            isAffected.withUnsafeBufferPointer { isAffected in
                                while let entry = heap.popMin() {
                                    let (reached, node) = (entry.distance, entry.node)
                                    let v = Int(node)
                                    guard reached == distance[v] else { continue }  // stale
                                    for arc in Int(offsets[v])..<Int(offsets[v + 1]) {
                                        let tail = Int(tails[arc])
                                        guard isAffected[tail] else { continue }
                                        let candidate =
                                            reached
                                            + RoadMetric.weight(length: lengths[arc], factor: factors[Int(edges[arc])])
                                        if candidate < distance[tail] {
                                            distance[tail] = candidate
                                            next[tail] = node
                                            shelter[tail] = shelter[v]
                                            heap.insert(Entry(distance: candidate, node: Int32(tail)))
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

    /// A queue entry of the repair search (stale entries are skipped when popped).
    struct Entry: Comparable {
        var distance: Double
        var node: Int32
        static func < (a: Entry, b: Entry) -> Bool { a.distance < b.distance }
    }
}
