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

    /// The tree towards `shelters` (graph node indices; duplicates are ignored) under
    /// `customized`'s metric.
    /// - Throws: ``NetworkMismatch`` for a shelter node the network does not have.
    public init(customized: CustomizedHierarchy, shelters: [Int]) throws(NetworkMismatch) {
        try NetworkMismatch.check(nodes: shelters, nodeCount: customized.hierarchy.nodeCount)
        let sweep = customized.sweep(toNearestOf: shelters)
        distances = sweep.distance
        shelter = sweep.target
        nextHop = sweep.nextHop
    }

    /// The tree as CSV, `node_id,distance_m` for every node of `graph` in node order (`inf`
    /// where no shelter can be reached): the form other tools compare with.
    public func csv(graph: RoadGraph) -> String {
        var text = "node_id,distance_m\n"
        for node in 0..<min(graph.nodeCount, distances.count) {
            let distance = distances[node]
            text += "\(graph.nodeIDs[node]),\(distance.isFinite ? String(distance) : "inf")\n"
        }
        return text
    }

    /// The node path from `node` to its shelter, following the tree; empty if none is reachable.
    public func path(from node: Int) -> [Int] {
        guard distances[node].isFinite else { return [] }
        // Counted first, so the array is allocated once (this is the per-resident hot path);
        // a way longer than the network has nodes is a loop (a tree computed from a crafted
        // customization), answered as no way rather than followed for ever.
        var count = 1
        var current = node
        while nextHop[current] >= 0 {
            current = Int(nextHop[current])
            count += 1
            if count > nextHop.count { return [] }
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
    /// - Throws: ``NetworkMismatch`` for an edge number `graph` does not have, or a metric or
    ///   tree made for another network; the tree is then unchanged.
    public mutating func repair(closing closedEdges: some Collection<Int32>, graph: RoadGraph, metric: RoadMetric)
        throws(NetworkMismatch)
    {
        try check(graph: graph, metric: metric)
        try NetworkMismatch.check(edges: closedEdges, of: graph)
        // Roots of the invalid subtrees: tails of closed arcs that were next hops.
        var roots: [Int32] = []
        for edge in closedEdges {
            let (from, to) = (graph.edgeFrom[Int(edge)], graph.edgeTo[Int(edge)])
            if nextHop[Int(from)] == to { roots.append(from) }
            if nextHop[Int(to)] == from { roots.append(to) }
        }
        researchSubtrees(below: roots, graph: graph, metric: metric)
    }

    /// Refuses a graph or metric of another network than the tree's.
    private func check(graph: RoadGraph, metric: RoadMetric) throws(NetworkMismatch) {
        try metric.check(against: graph)
        guard distances.count == graph.nodeCount else {
            throw .otherNetwork("the shelter tree", expected: graph.nodeCount, found: distances.count)
        }
    }

    /// Runs `body` with a search over the tree's labels.
    private mutating func searching(_ body: (inout TreeRepair) -> Void) {
        distances.withUnsafeMutableBufferPointer { distance in
            nextHop.withUnsafeMutableBufferPointer { next in
                shelter.withUnsafeMutableBufferPointer { shelter in
                    var search = TreeRepair(labels: (distance, next, shelter))
                    defer { search.deallocate() }
                    body(&search)
                }
            }
        }
    }

    /// Searches again every node whose way runs through one of `roots`, from its intact neighbours.
    private mutating func researchSubtrees(below roots: [Int32], graph: RoadGraph, metric: RoadMetric) {
        if roots.isEmpty { return }
        searching { search in
            search.collect(below: roots, graph: graph)
            search.seed(graph: graph, metric: metric)
            search.settle(graph: graph, metric: metric)
        }
    }
}

extension ShelterTree {
    /// Adds shelters (a relief centre opened, or got room again) in place: a search from the new
    /// shelters that goes only where it shortens a way, so the rest of the tree is not touched.
    /// Nodes that are shelters already are left as they are.
    /// - Throws: ``NetworkMismatch`` for a node, metric or tree of another network; the tree is
    ///   then unchanged.
    public mutating func addShelters(_ nodes: [Int], graph: RoadGraph, metric: RoadMetric) throws(NetworkMismatch) {
        try check(graph: graph, metric: metric)
        try NetworkMismatch.check(nodes: nodes, nodeCount: graph.nodeCount)
        let sources = Set(nodes).filter { shelter[$0] != Int32($0) }.sorted().map { Int32($0) }
        if sources.isEmpty { return }
        searching { search in
            search.start(from: sources)
            search.settle(graph: graph, metric: metric)
        }
    }

    /// Removes shelters (a relief centre closed, or is full) in place: only the nodes that went
    /// to them are searched again, from their neighbours, as ``repair(closing:graph:metric:)``
    /// does. Nodes that are not shelters are ignored.
    /// - Throws: ``NetworkMismatch`` for a node, metric or tree of another network; the tree is
    ///   then unchanged.
    public mutating func removeShelters(_ nodes: [Int], graph: RoadGraph, metric: RoadMetric) throws(NetworkMismatch) {
        try check(graph: graph, metric: metric)
        try NetworkMismatch.check(nodes: nodes, nodeCount: graph.nodeCount)
        researchSubtrees(
            below: Set(nodes).filter { shelter[$0] == Int32($0) }.sorted().map { Int32($0) }, graph: graph,
            metric: metric)
    }
}

/// The search behind ``ShelterTree/repair(closing:graph:metric:)``: marks the subtrees hanging
/// below the closed tree arcs, gives each of their nodes the best way through an intact
/// neighbour, then runs Dijkstra confined to them.
///
/// Its queue is a 4-ary heap with decrease-key kept by hand: swift-collections' `Heap` has no
/// decrease-key, and with stale entries instead the whole repair measured about 1.5 times
/// slower here, where more than half the nodes of a ward are queued at once after 5 % closures.
private struct TreeRepair {
    /// Per node: its place in the heap, or one of the states below.
    private let slot: UnsafeMutableBufferPointer<Int32>
    /// The heap: keys (distances) and nodes side by side, so sifting reads no other array.
    private let keys: UnsafeMutableBufferPointer<Double>
    private let nodes: UnsafeMutableBufferPointer<Int32>
    private var count = 0
    /// The affected nodes, in the order they were found.
    private let affected: UnsafeMutableBufferPointer<Int32>
    private var affectedCount = 0
    private let distance: UnsafeMutableBufferPointer<Double>
    private let next: UnsafeMutableBufferPointer<Int32>
    private let shelter: UnsafeMutableBufferPointer<Int32>

    private static let intact: Int32 = -1
    private static let unqueued: Int32 = -2
    private static let settled: Int32 = -3

    init(
        labels: (
            distance: UnsafeMutableBufferPointer<Double>, next: UnsafeMutableBufferPointer<Int32>,
            shelter: UnsafeMutableBufferPointer<Int32>
        )
    ) {
        (distance, next, shelter) = labels
        let nodeCount = labels.distance.count
        slot = .allocate(capacity: nodeCount)
        slot.initialize(repeating: Self.intact)
        keys = .allocate(capacity: nodeCount)
        nodes = .allocate(capacity: nodeCount)
        affected = .allocate(capacity: nodeCount)
    }

    func deallocate() {
        for buffer in [slot, nodes, affected] { buffer.deallocate() }
        keys.deallocate()
    }

    /// Marks `roots` and every node whose tree path runs through one of them.
    mutating func collect(below roots: [Int32], graph: RoadGraph) {
        for root in roots where slot[Int(root)] == Self.intact {
            slot[Int(root)] = Self.unqueued
            affected[affectedCount] = root
            affectedCount += 1
        }
        graph.reverseOffsets.withUnsafeBufferPointer { offsets in
            graph.reverseTails.withUnsafeBufferPointer { tails in
                var cursor = 0
                while cursor < affectedCount {
                    let node = affected[cursor]
                    cursor += 1
                    for arc in Int(offsets[Int(node)])..<Int(offsets[Int(node) + 1]) {
                        let child = Int(tails[arc])
                        if next[child] == node && slot[child] == Self.intact {
                            slot[child] = Self.unqueued
                            affected[affectedCount] = Int32(child)
                            affectedCount += 1
                        }
                    }
                }
            }
        }
    }

    /// Gives each affected node its best way through an intact neighbour, and queues those
    /// that have one (one heap construction, not one insertion each).
    mutating func seed(graph: RoadGraph, metric: RoadMetric) {
        graph.offsets.withUnsafeBufferPointer { offsets in
            graph.heads.withUnsafeBufferPointer { heads in
                metric.arcWeights.withUnsafeBufferPointer { weights in
                    for index in 0..<affectedCount {
                        let v = Int(affected[index])
                        var best = Double.infinity
                        var hop: Int32 = -1
                        for arc in Int(offsets[v])..<Int(offsets[v + 1]) {
                            let head = Int(heads[arc])
                            guard slot[head] == Self.intact else { continue }
                            let candidate = weights[arc] + distance[head]
                            if candidate < best {
                                best = candidate
                                hop = Int32(head)
                            }
                        }
                        distance[v] = best
                        if best.isFinite {
                            next[v] = hop
                            shelter[v] = shelter[Int(hop)]
                            keys[count] = best
                            nodes[count] = Int32(v)
                            slot[v] = Int32(count)
                            count += 1
                        } else {
                            next[v] = -1
                            shelter[v] = -1
                        }
                    }
                }
            }
        }
        for position in stride(from: (count - 2) / 4, through: 0, by: -1) where count > 1 {
            siftDown(from: position, key: keys[position], node: nodes[position])
        }
    }

    /// Makes `sources` shelters and queues them, for a search that only shortens ways: an
    /// intact node is queued when a shorter way to it is found.
    mutating func start(from sources: [Int32]) {
        for source in sources {
            let node = Int(source)
            distance[node] = 0
            next[node] = -1
            shelter[node] = source
            count += 1
            siftUp(from: count - 1, key: 0, node: source)
        }
    }

    /// Dijkstra over the affected nodes, backwards along the arcs into each settled node.
    mutating func settle(graph: RoadGraph, metric: RoadMetric) {
        graph.reverseOffsets.withUnsafeBufferPointer { offsets in
            graph.reverseTails.withUnsafeBufferPointer { tails in
                graph.reverseLengths.withUnsafeBufferPointer { lengths in
                    graph.reverseEdges.withUnsafeBufferPointer { edges in
                        metric.edgeFactors.withUnsafeBufferPointer { factors in
                            while count > 0 {
                                let (reached, v) = popMin()
                                for arc in Int(offsets[v])..<Int(offsets[v + 1]) {
                                    let tail = Int(tails[arc])
                                    let place = slot[tail]
                                    guard place >= Self.unqueued else { continue }  // intact or settled
                                    let candidate =
                                        reached
                                        + RoadMetric.weight(length: lengths[arc], factor: factors[Int(edges[arc])])
                                    guard candidate < distance[tail] else { continue }
                                    distance[tail] = candidate
                                    next[tail] = Int32(v)
                                    shelter[tail] = shelter[v]
                                    if place < 0 {  // unqueued, or intact and now shortened
                                        count += 1
                                        siftUp(from: count - 1, key: candidate, node: Int32(tail))
                                    } else {
                                        siftUp(from: Int(place), key: candidate, node: Int32(tail))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func popMin() -> (Double, Int) {
        let (key, node) = (keys[0], Int(nodes[0]))
        slot[node] = Self.settled
        count -= 1
        if count > 0 { siftDown(from: 0, key: keys[count], node: nodes[count]) }
        return (key, node)
    }

    private func siftUp(from start: Int, key: Double, node: Int32) {
        var position = start
        while position > 0 {
            let parent = (position - 1) >> 2
            guard keys[parent] > key else { break }
            move(from: parent, to: position)
            position = parent
        }
        place(key: key, node: node, at: position)
    }

    private func siftDown(from start: Int, key: Double, node: Int32) {
        var position = start
        while true {
            let first = 4 * position + 1
            guard first < count else { break }
            var smallest = first
            for child in first + 1..<min(first + 4, count) where keys[child] < keys[smallest] { smallest = child }
            guard keys[smallest] < key else { break }
            move(from: smallest, to: position)
            position = smallest
        }
        place(key: key, node: node, at: position)
    }

    @inline(__always) private func move(from source: Int, to target: Int) {
        keys[target] = keys[source]
        nodes[target] = nodes[source]
        slot[Int(nodes[target])] = Int32(target)
    }

    @inline(__always) private func place(key: Double, node: Int32, at position: Int) {
        keys[position] = key
        nodes[position] = node
        slot[Int(node)] = Int32(position)
    }
}
