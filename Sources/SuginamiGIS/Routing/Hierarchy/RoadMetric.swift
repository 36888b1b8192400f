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

    /// The metric of `graph` with `closedEdges` removed and each edge's length multiplied by
    /// its factor in `penalties`.
    public init(graph: RoadGraph, closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil) {
        var factors = penalties?.factors ?? [Double](repeating: 1, count: graph.edgeCount)
        for edge in closedEdges where (0..<Int32(graph.edgeCount)).contains(edge) { factors[Int(edge)] = .infinity }
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
    public mutating func close(edges: some Sequence<Int32>, in graph: RoadGraph) {
        for edge in edges where (0..<Int32(graph.edgeCount)).contains(edge) {
            edgeFactors[Int(edge)] = .infinity
            for node in [graph.edgeFrom[Int(edge)], graph.edgeTo[Int(edge)]] {
                for arc in Int(graph.offsets[Int(node)])..<Int(graph.offsets[Int(node) + 1])
                where graph.arcEdges[arc] == edge {
                    arcWeights[arc] = .infinity
                }
            }
        }
    }
}
