import HeapModule

/// For every node, the distance to the nearest open shelter and the next node on the way
/// there: one multi-source Dijkstra from the shelters over the reverse graph (so one-way
/// streets are respected), with closed edges skipped and penalised edges weighted without
/// rebuilding the graph.
public struct ShelterTree: Sendable {
    /// Metres to the nearest shelter (weighted by the penalties, when given); `.infinity` where
    /// none is reachable.
    public let distances: [Double]
    /// The next node towards that shelter (−1 at a shelter or where none is reachable).
    public let nextHop: [Int32]
    /// The shelter (node index) each node reaches (−1 where none is reachable).
    public let shelter: [Int32]

    /// Computes the tree for `shelters` (node indices; duplicates are allowed) with the edges
    /// in `closedEdges` (edge numbers, both directions) removed and each edge's length
    /// multiplied by its factor in `penalties`.
    public init(graph: RoadGraph, shelters: [Int], closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil) {
        let n = graph.nodeCount
        var distance = [Double](repeating: .infinity, count: n)
        var next = [Int32](repeating: -1, count: n)
        var origin = [Int32](repeating: -1, count: n)
        distance.withUnsafeMutableBufferPointer { distance in
            next.withUnsafeMutableBufferPointer { next in
                origin.withUnsafeMutableBufferPointer { origin in
                    graph.reverseOffsets.withUnsafeBufferPointer { offsets in
                        graph.reverseTails.withUnsafeBufferPointer { tails in
                            graph.reverseLengths.withUnsafeBufferPointer { lengths in
                                graph.reverseEdges.withUnsafeBufferPointer { edges in
                                    (penalties?.factors ?? []).withUnsafeBufferPointer { factors in
                                        Self.search(
                                            offsets: offsets, tails: tails, lengths: lengths, edges: edges,
                                            factors: factors, shelters: shelters, closed: closedEdges,
                                            distance: distance, next: next, origin: origin)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        distances = distance
        nextHop = next
        shelter = origin
    }

    /// Dijkstra over buffers, in one function so that nothing mutable is captured by a closure
    /// (captured variables are boxed and checked for exclusive access on every use).
    private static func search(
        offsets: UnsafeBufferPointer<Int32>, tails: UnsafeBufferPointer<Int32>, lengths: UnsafeBufferPointer<Double>,
        edges: UnsafeBufferPointer<Int32>, factors: UnsafeBufferPointer<Double>, shelters: [Int], closed: Set<Int32>,
        distance: UnsafeMutableBufferPointer<Double>, next: UnsafeMutableBufferPointer<Int32>,
        origin: UnsafeMutableBufferPointer<Int32>
    ) {
        var heap = Heap<Entry>()
        heap.reserveCapacity(distance.count / 4)
        for shelter in shelters where shelter >= 0 && shelter < distance.count && distance[shelter] != 0 {
            distance[shelter] = 0
            origin[shelter] = Int32(shelter)
            heap.insert(Entry(distance: 0, node: Int32(shelter)))
        }
        let checkClosures = !closed.isEmpty
        let weighted = !factors.isEmpty
        while let entry = heap.popMin() {
            let node = Int(entry.node)
            guard entry.distance == distance[node] else { continue }  // a stale entry
            for arc in Int(offsets[node])..<Int(offsets[node + 1]) {
                if checkClosures && closed.contains(edges[arc]) { continue }
                let tail = Int(tails[arc])
                let candidate = entry.distance + (weighted ? lengths[arc] * factors[Int(edges[arc])] : lengths[arc])
                if candidate < distance[tail] {
                    distance[tail] = candidate
                    next[tail] = entry.node
                    origin[tail] = origin[node]
                    heap.insert(Entry(distance: candidate, node: Int32(tail)))
                }
            }
        }
    }

    struct Entry: Comparable {
        var distance: Double
        var node: Int32
        static func < (a: Entry, b: Entry) -> Bool { a.distance < b.distance }
    }

    /// The node path from `node` to its shelter, following the tree; empty if none is reachable.
    public func path(from node: Int) -> [Int] {
        guard distances[node].isFinite else { return [] }
        var path = [node]
        var current = node
        while nextHop[current] >= 0 {
            current = Int(nextHop[current])
            path.append(current)
        }
        return path
    }
}
