/// Assigns people to open shelters within their capacities so that the total distance walked is
/// least (収容力を考慮した避難先の割当): a transportation problem solved exactly as a min-cost flow
/// by successive shortest paths, with an "unplaced" outlet priced above any real route so that as
/// many people as possible are placed first. Who cannot be placed, and where they are, is
/// reported rather than dropped.
public enum ShelterAssignment {
    /// People at one place (e.g. a 町丁目, at its representative node).
    public struct Demand: Sendable, Hashable {
        /// An id for reports.
        public var id: String
        /// The network node they start from.
        public var node: Int
        /// How many.
        public var people: Int

        /// Creates a demand.
        public init(id: String, node: Int, people: Int) {
            self.id = id
            self.node = node
            self.people = people
        }
    }

    /// One open shelter.
    public struct Shelter: Sendable, Hashable {
        /// An id for reports.
        public var id: String
        /// Its network node.
        public var node: Int
        /// How many it takes.
        public var capacity: Int

        /// Creates a shelter.
        public init(id: String, node: Int, capacity: Int) {
            self.id = id
            self.node = node
            self.capacity = capacity
        }
    }

    /// People sent from a demand to a shelter.
    public struct Flow: Sendable, Hashable {
        /// The demand's id.
        public var demand: String
        /// The shelter's id.
        public var shelter: String
        /// How many.
        public var people: Int
        /// Metres each walks, under the router's metric: weighted by penalty factors when the
        /// router has penalty areas (so people are kept out of them), plain metres otherwise.
        public var distance: Double
    }

    /// The assignment.
    public struct Result: Sendable, Hashable {
        /// Non-zero flows.
        public var flows: [Flow]
        /// People who could not be placed, by demand id (no capacity left within reach).
        public var unplaced: [String: Int]
        /// Σ people × ``Flow/distance``.
        public var personMetres: Double
        /// The optimality certificate was checked: the residual network has no negative cycle.
        public var verifiedOptimal: Bool
    }

    /// Solves the assignment over `router`'s network under its metric (closures, penalties).
    /// - Throws: ``RoutingError/unreachable(_:)`` for a demand or shelter node outside the graph
    ///   or a negative count.
    public static func solve(
        demands: [Demand], shelters: [Shelter], router: Router
    ) throws(RoutingError) -> Result {
        let graph = router.graph
        for demand in demands where !(0..<graph.nodeCount).contains(demand.node) || demand.people < 0 {
            throw .unreachable("demand \(demand.id): node \(demand.node) or count \(demand.people) is invalid")
        }
        for shelter in shelters where !(0..<graph.nodeCount).contains(shelter.node) || shelter.capacity < 0 {
            throw .unreachable("shelter \(shelter.id): node \(shelter.node) or capacity \(shelter.capacity) is invalid")
        }
        // Walking distance from every node to each shelter: one hierarchy sweep per shelter.
        let distances = shelters.map { router.customized.sweep(toNearestOf: [$0.node]).distance }
        let cost = demands.map { demand in shelters.indices.map { distances[$0][demand.node] } }
        let longest = cost.flatMap { $0 }.filter(\.isFinite).max() ?? 0
        let unplacedCost = (longest + 1) * 2  // above any route, so placement comes first
        // Nodes: source 0, demands 1…D, shelters D+1…D+S, unplaced D+S+1, sink D+S+2.
        let d = demands.count
        let s = shelters.count
        let source = 0
        let outlet = d + s + 1
        let sink = d + s + 2
        var network = FlowNetwork(nodeCount: d + s + 3)
        for (i, demand) in demands.enumerated() {
            network.add(source, 1 + i, capacity: demand.people, cost: 0)
            network.add(1 + i, outlet, capacity: demand.people, cost: unplacedCost)
            for j in 0..<s where cost[i][j].isFinite {
                network.add(1 + i, 1 + d + j, capacity: demand.people, cost: cost[i][j])
            }
        }
        for (j, shelter) in shelters.enumerated() { network.add(1 + d + j, sink, capacity: shelter.capacity, cost: 0) }
        network.add(outlet, sink, capacity: demands.reduce(0) { $0 + $1.people }, cost: 0)
        network.minimumCostFlow(from: source, to: sink)
        var flows: [Flow] = []
        var unplaced: [String: Int] = [:]
        var personMetres = 0.0
        for (i, demand) in demands.enumerated() {
            for arc in network.arcs(from: 1 + i) where network.flow(arc) > 0 {
                let head = network.head(arc)
                if head == outlet {
                    unplaced[demand.id] = network.flow(arc)
                } else {
                    let j = head - 1 - d
                    flows.append(
                        Flow(
                            demand: demand.id, shelter: shelters[j].id, people: network.flow(arc), distance: cost[i][j])
                    )
                    personMetres += Double(network.flow(arc)) * cost[i][j]
                }
            }
        }
        return Result(
            flows: flows, unplaced: unplaced, personMetres: personMetres,
            verifiedOptimal: !network.hasNegativeResidualCycle())
    }
}

/// A small min-cost flow network (successive shortest paths with Bellman–Ford; the
/// transportation problems here have a few hundred nodes). Written by hand because no package
/// in reach offers min-cost flow.
struct FlowNetwork {
    private var heads: [Int] = []
    private var capacities: [Int] = []
    private var costs: [Double] = []
    private var adjacency: [[Int]]

    init(nodeCount: Int) { adjacency = Array(repeating: [], count: nodeCount) }

    /// Adds an arc and its residual twin (index ^ 1).
    mutating func add(_ from: Int, _ to: Int, capacity: Int, cost: Double) {
        adjacency[from].append(heads.count)
        heads.append(to)
        capacities.append(capacity)
        costs.append(cost)
        adjacency[to].append(heads.count)
        heads.append(from)
        capacities.append(0)
        costs.append(-cost)
    }

    func arcs(from node: Int) -> [Int] { adjacency[node].filter { $0 % 2 == 0 } }
    func head(_ arc: Int) -> Int { heads[arc] }
    /// Flow on a forward arc: the capacity of its twin.
    func flow(_ arc: Int) -> Int { capacities[arc ^ 1] }

    /// Sends as much as possible from `source` to `sink` at least cost.
    mutating func minimumCostFlow(from source: Int, to sink: Int) {
        let n = adjacency.count
        while true {
            var distance = [Double](repeating: .infinity, count: n)
            var via = [Int](repeating: -1, count: n)
            var inQueue = [Bool](repeating: false, count: n)
            distance[source] = 0
            var queue = [source]
            var head = 0
            // SPFA (queue-based Bellman–Ford): residual costs may be negative.
            while head < queue.count {
                let node = queue[head]
                head += 1
                inQueue[node] = false
                for arc in adjacency[node] where capacities[arc] > 0 {
                    let next = heads[arc]
                    let candidate = distance[node] + costs[arc]
                    if candidate < distance[next] - 1e-9 {
                        distance[next] = candidate
                        via[next] = arc
                        if !inQueue[next] {
                            inQueue[next] = true
                            queue.append(next)
                        }
                    }
                }
            }
            guard distance[sink].isFinite else { return }
            var bottleneck = Int.max
            var node = sink
            while node != source {
                let arc = via[node]
                bottleneck = min(bottleneck, capacities[arc])
                node = heads[arc ^ 1]
            }
            guard bottleneck > 0 else { return }
            node = sink
            while node != source {
                let arc = via[node]
                capacities[arc] -= bottleneck
                capacities[arc ^ 1] += bottleneck
                node = heads[arc ^ 1]
            }
        }
    }

    /// Whether the residual network has a negative cycle (then the flow would not be optimal).
    func hasNegativeResidualCycle() -> Bool {
        let n = adjacency.count
        var distance = [Double](repeating: 0, count: n)
        for round in 0...n {
            var changed = false
            for node in 0..<n {
                for arc in adjacency[node] where capacities[arc] > 0 {
                    let next = heads[arc]
                    if distance[node] + costs[arc] < distance[next] - 1e-7 {
                        distance[next] = distance[node] + costs[arc]
                        changed = true
                    }
                }
            }
            if !changed { return false }
            if round == n { return true }
        }
        return false
    }
}
