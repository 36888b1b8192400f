/// What a search minimises on each arc of a ``RoadGraph``: its length, multiplied by the
/// penalty factor of its edge, or infinite where the edge is closed.
///
/// A value: a new set of closures or penalties is a new metric, applied to a
/// ``RoadHierarchy`` by customizing (``CustomizedHierarchy``) or to a ``ShelterTree`` by
/// repairing it, never by rebuilding the graph.
public struct RoadMetric: Sendable, Equatable {
    /// Per edge: the factor its length is multiplied by (1 plain, > 1 penalised, `.infinity`
    /// closed).
    public private(set) var edgeFactors: [Double]
    /// Per graph arc: the weight searches use.
    public private(set) var arcWeights: [Double]

    /// Arcs weigh at least this (1 µm), so that the next hop towards a shelter always comes
    /// strictly nearer to it even across zero-length edges (duplicate OSM nodes), while any
    /// route of under 10,000 edges moves by under 1 cm.
    static let smallestWeight = 1e-6

    /// The plain metric of `graph`: every arc weighs its length.
    public init(graph: RoadGraph) {
        edgeFactors = [Double](repeating: 1, count: graph.edgeCount)
        arcWeights = graph.lengths.map { Self.weight(length: $0, factor: 1) }
    }

    /// The metric of `graph` with `closedEdges` removed and each edge's length multiplied by
    /// its factor in `penalties`.
    /// - Throws: ``NetworkMismatch`` for an edge number the network does not have, or
    ///   penalties made for another network.
    public init(graph: RoadGraph, closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil)
        throws(NetworkMismatch)
    {
        try NetworkMismatch.check(edges: closedEdges, of: graph)
        if let penalties, penalties.factors.count != graph.edgeCount {
            throw .otherNetwork("penalties", expected: graph.edgeCount, found: penalties.factors.count)
        }
        var factors = penalties?.factors ?? [Double](repeating: 1, count: graph.edgeCount)
        for edge in closedEdges { factors[Int(edge)] = .infinity }
        edgeFactors = factors
        arcWeights = zip(graph.lengths, graph.arcEdges).map { Self.weight(length: $0, factor: factors[Int($1)]) }
    }

    /// The weight of an arc of `length` metres on an edge with `factor`.
    @inline(__always) static func weight(length: Double, factor: Double) -> Double {
        factor.isFinite ? max(length * factor, smallestWeight) : .infinity
    }

    /// Whether an edge is closed.
    public func isClosed(edge: Int) -> Bool { !edgeFactors[edge].isFinite }

    /// Closes `edges` (both directions) in `graph`'s metric, touching only their own arcs.
    /// - Throws: ``NetworkMismatch`` for an edge number `graph` does not have, or a `graph`
    ///   this metric was not made for; the metric is then unchanged.
    public mutating func close(edges: some Collection<Int32>, in graph: RoadGraph) throws(NetworkMismatch) {
        try check(against: graph)
        try NetworkMismatch.check(edges: edges, of: graph)
        for edge in edges {
            edgeFactors[Int(edge)] = .infinity
            for node in [graph.edgeFrom[Int(edge)], graph.edgeTo[Int(edge)]] {
                for arc in Int(graph.offsets[Int(node)])..<Int(graph.offsets[Int(node) + 1])
                where graph.arcEdges[arc] == edge {
                    arcWeights[arc] = .infinity
                }
            }
        }
    }

    /// Throws unless this metric was made for a network of `graph`'s size.
    func check(against graph: RoadGraph) throws(NetworkMismatch) {
        guard edgeFactors.count == graph.edgeCount, arcWeights.count == graph.arcCount else {
            throw .otherNetwork("the metric", expected: graph.edgeCount, found: edgeFactors.count)
        }
    }
}

/// Edge numbers, penalties, a metric or a tree that do not belong to the network they are
/// used with.
public enum NetworkMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// An edge number outside the network's `0..<edgeCount`.
    case unknownEdge(Int32, edgeCount: Int)
    /// A node number (a shelter's, say) outside the network's `0..<nodeCount`.
    case unknownNode(Int, nodeCount: Int)
    /// Something made for a network of another size: what, how many edges (nodes, for a
    /// tree) this network has, and how many it has entries for.
    case otherNetwork(String, expected: Int, found: Int)

    /// A sentence.
    public var description: String {
        switch self {
        case .unknownEdge(let edge, let count):
            "edge \(edge) is not in the network: it has \(count) edges, numbered 0 to \(count - 1)"
        case .unknownNode(let node, let count):
            "node \(node) is not in the network: it has \(count) nodes, numbered 0 to \(count - 1)"
        case .otherNetwork(let what, let expected, let found):
            "\(what) was made for another network: it has \(found) entries where this network has \(expected)"
        }
    }

    /// Throws for the first of `nodes` outside `0..<nodeCount`.
    static func check(nodes: [Int], nodeCount: Int) throws(NetworkMismatch) {
        for node in nodes where !(0..<nodeCount).contains(node) {
            throw .unknownNode(node, nodeCount: nodeCount)
        }
    }

    /// Throws for the first of `edges` that `graph` does not have.
    static func check(edges: some Sequence<Int32>, of graph: RoadGraph) throws(NetworkMismatch) {
        for edge in edges where !(0..<Int32(graph.edgeCount)).contains(edge) {
            throw .unknownEdge(edge, edgeCount: graph.edgeCount)
        }
    }
}
