import HeapModule

/// The exact way to the nearest open shelter under a metric that changed since a
/// ``ShelterTree`` was made, found by one search from the resident rather than by refreshing
/// the whole tree: the first right answer after a batch of closures, while the refresh runs
/// behind.
///
/// When the change only closed roads, raised penalties or removed shelters (it cannot have
/// shortened any way), the earlier tree's distances are lower bounds of the new ones and serve
/// as an A* potential; the search stops at the first node whose earlier way to its shelter is
/// still intact, because that way is then also the shortest now. A node whose earlier way
/// crossed a closure is found out by walking its tree path, once per query. When the change can
/// have shortened ways (a road opened, a shelter added), the search is plain Dijkstra to the
/// first shelter reached. Either way the answer is the one a refreshed tree would give, up to
/// the rounding of the sums (below 1e-9 m at ward scale).
public struct GuidedShelterSearch: Sendable {
    /// The graph searched.
    let graph: RoadGraph
    /// The current metric.
    let metric: RoadMetric
    /// The earlier tree and the metric it was made under.
    let tree: ShelterTree
    let treeMetric: RoadMetric
    /// Per node: whether it is a shelter now.
    let isShelter: [Bool]
    /// Whether the earlier tree's distances bound the new ones from below.
    public let isGuided: Bool

    /// A search under `metric` for the nearest of `shelters` (node indices), guided by `tree`,
    /// which was made under `treeMetric` on the same `graph`.
    /// - Throws: ``NetworkMismatch`` for a shelter node, metric or tree of another network.
    public init(graph: RoadGraph, metric: RoadMetric, shelters: [Int], tree: ShelterTree, treeMetric: RoadMetric)
        throws(NetworkMismatch)
    {
        try metric.check(against: graph)
        try treeMetric.check(against: graph)
        try NetworkMismatch.check(nodes: shelters, nodeCount: graph.nodeCount)
        guard tree.distances.count == graph.nodeCount else {
            throw .otherNetwork("the shelter tree", expected: graph.nodeCount, found: tree.distances.count)
        }
        var isShelter = [Bool](repeating: false, count: graph.nodeCount)
        for node in shelters { isShelter[node] = true }
        // Guided when no arc got lighter and every shelter now was one then.
        let lighter = metric.arcWeights.withUnsafeBufferPointer { now in
            treeMetric.arcWeights.withUnsafeBufferPointer { then in
                (0..<now.count).contains { now[$0] < then[$0] }
            }
        }
        let added = shelters.contains { tree.shelter[$0] != Int32($0) }
        self.graph = graph
        self.metric = metric
        self.tree = tree
        self.treeMetric = treeMetric
        self.isShelter = isShelter
        isGuided = !lighter && !added
    }

    /// The way found: the node path from the source chosen to a shelter, and its weight
    /// including the source's cost.
    public struct Way: Sendable, Hashable {
        /// Nodes from the source chosen to the shelter.
        public var nodes: [Int]
        /// Weighted metres, the source's cost included.
        public var weight: Double
    }

    private struct Entry: Comparable {
        var key: Double
        var node: Int32
        static func < (a: Entry, b: Entry) -> Bool { a.key < b.key }
    }

    /// The lightest way from any of `sources` (a node and the cost of reaching it) to a shelter
    /// open now; `nil` when none can be reached from them.
    public func nearest(from sources: [(node: Int, cost: Double)]) -> Way? {
        let n = graph.nodeCount
        var reached = [Double](repeating: .infinity, count: n)
        var parent = [Int32](repeating: -1, count: n)
        // Per node: 0 not yet known, 1 its earlier way is intact now, 2 it is not.
        var intact = [UInt8](repeating: 0, count: n)
        var queue = Heap<Entry>()
        let potential = tree.distances
        for source in sources where source.cost.isFinite && (0..<n).contains(source.node) {
            let h = isGuided ? potential[source.node] : 0
            guard h.isFinite, source.cost < reached[source.node] else { continue }
            reached[source.node] = source.cost
            parent[source.node] = -1
            queue.insert(Entry(key: source.cost + h, node: Int32(source.node)))
        }
        let weights = metric.arcWeights
        while let entry = queue.popMin() {
            let v = Int(entry.node)
            let h = isGuided ? potential[v] : 0
            guard entry.key <= reached[v] + h else { continue }  // a stale entry
            if isShelter[v] || (isGuided && isIntact(v, &intact)) {
                var nodes: [Int] = []
                var node = Int32(v)
                while node >= 0 {
                    nodes.append(Int(node))
                    node = parent[Int(node)]
                }
                nodes.reverse()
                if !isShelter[v] { nodes += tree.path(from: v).dropFirst() }
                return Way(nodes: nodes, weight: reached[v] + h)
            }
            for arc in Int(graph.offsets[v])..<Int(graph.offsets[v + 1]) {
                let weight = weights[arc]
                guard weight.isFinite else { continue }
                let head = Int(graph.heads[arc])
                let candidate = reached[v] + weight
                guard candidate < reached[head] else { continue }
                let headPotential = isGuided ? potential[head] : 0
                guard headPotential.isFinite else { continue }  // it reached no shelter before
                reached[head] = candidate
                parent[head] = Int32(v)
                queue.insert(Entry(key: candidate + headPotential, node: Int32(head)))
            }
        }
        return nil
    }

    /// Whether `node`'s earlier way to its shelter is still open and still ends at a shelter:
    /// walks the way until a node already known, and records the answer for every node walked.
    private func isIntact(_ node: Int, _ known: inout [UInt8]) -> Bool {
        var walked: [Int] = []
        var current = node
        var answer: UInt8 = 0
        while answer == 0 {
            if known[current] != 0 {
                answer = known[current]
                break
            }
            walked.append(current)
            let next = Int(tree.nextHop[current])
            if walked.count > known.count {
                answer = 2  // a loop (see ShelterTree.path): not a way
            } else if next < 0 {
                // A shelter then: intact if it is one now (a node that reached none is never asked).
                answer = isShelter[current] ? 1 : 2
            } else if !stepIsOpen(from: current, to: next) {
                answer = 2
            } else {
                current = next
            }
        }
        for node in walked { known[node] = answer }
        return answer == 1
    }

    /// Whether the tree's step `from` → `to` weighs now what it weighed then (its lightest arc).
    private func stepIsOpen(from: Int, to: Int) -> Bool {
        var now = Double.infinity
        var then = Double.infinity
        for arc in Int(graph.offsets[from])..<Int(graph.offsets[from + 1]) where graph.heads[arc] == Int32(to) {
            now = min(now, metric.arcWeights[arc])
            then = min(then, treeMetric.arcWeights[arc])
        }
        return now.isFinite && now == then
    }
}
