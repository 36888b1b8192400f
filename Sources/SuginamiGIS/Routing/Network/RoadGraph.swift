import SuginamiKit

/// A road network as compact arrays (CSR, structure of arrays), built once and shared read-only
/// across tasks: nodes with their positions, and directed arcs grouped by tail node, each with
/// its length in metres, the OSM way it came from and its street name.
///
/// An undirected (two-way) road becomes two arcs. The reverse graph (arcs grouped by head) is
/// kept too, for searches towards a set of targets such as the shelter tree.
public struct RoadGraph: Sendable {
    /// Node latitudes, degrees.
    public let latitudes: FlatArray<Double>
    /// Node longitudes, degrees.
    public let longitudes: FlatArray<Double>
    /// External node ids (OSM node ids or the CSV ids), by node index.
    public let nodeIDs: FlatArray<Int64>
    /// Arcs of node i are `offsets[i]..<offsets[i+1]`.
    let offsets: FlatArray<Int32>
    /// Head node of each arc.
    let heads: FlatArray<Int32>
    /// Length of each arc, metres.
    let lengths: FlatArray<Double>
    /// The undirected edge each arc belongs to (both directions share it), for closures.
    let arcEdges: FlatArray<Int32>
    /// Reverse graph: arcs into node i are `reverseOffsets[i]..<reverseOffsets[i+1]`.
    let reverseOffsets: FlatArray<Int32>
    /// Tail node of each reverse arc.
    let reverseTails: FlatArray<Int32>
    /// Length of each reverse arc.
    let reverseLengths: FlatArray<Double>
    /// The edge of each reverse arc.
    let reverseEdges: FlatArray<Int32>
    /// Per edge: the OSM way id (0 when unknown) and the index of its name in ``names``.
    public let edgeWays: FlatArray<Int64>
    let edgeNames: FlatArray<Int32>
    /// Street names; index 0 is the empty name.
    public let names: [String]
    /// Intermediate points of edge e (between its two nodes, in the `from` → `to` direction) are
    /// `shapePoints[shapeOffsets[e]..<shapeOffsets[e+1]]`; straight edges have none.
    let shapeOffsets: FlatArray<Int32>
    let shapePoints: FlatArray<GeoPoint>
    /// Each edge's tail and head node, as read.
    let edgeFrom: FlatArray<Int32>
    let edgeTo: FlatArray<Int32>
    /// Each edge's length and whether it may be used from `to` to `from`.
    let edgeLengths: FlatArray<Double>
    let edgeTwoWay: FlatArray<Bool>
    /// Whether each edge is a flight of steps (`highway=steps`, 階段), which instructions name.
    let edgeSteps: FlatArray<Bool>

    /// An edge as a reader hands it over.
    public struct Edge: Sendable, Hashable {
        /// Tail node index.
        public var from: Int32
        /// Head node index.
        public var to: Int32
        /// Metres.
        public var length: Double
        /// Usable from `to` to `from` as well.
        public var twoWay: Bool
        /// The OSM way id, or 0.
        public var way: Int64
        /// The street name, or "".
        public var name: String
        /// Intermediate points along the edge from `from` to `to` (empty for a straight edge).
        public var shape: [GeoPoint]
        /// A flight of steps (階段).
        public var isSteps: Bool

        /// Creates an edge.
        public init(
            from: Int32, to: Int32, length: Double, twoWay: Bool, way: Int64 = 0, name: String = "",
            shape: [GeoPoint] = [], isSteps: Bool = false
        ) {
            self.from = from
            self.to = to
            self.length = length
            self.twoWay = twoWay
            self.way = way
            self.name = name
            self.shape = shape
            self.isSteps = isSteps
        }
    }

    /// Builds the arrays from nodes and edges.
    /// - Throws: ``RoadGraphError`` for an edge referencing a missing node or with a length that
    ///   is negative or not finite.
    public init(nodeIDs: [Int64], latitudes: [Double], longitudes: [Double], edges: [Edge]) throws(RoadGraphError) {
        let nodeCount = nodeIDs.count
        precondition(latitudes.count == nodeCount && longitudes.count == nodeCount, "one position per node")
        guard nodeCount > 0, !edges.isEmpty else { throw .empty(nodes: nodeCount, edges: edges.count) }
        var nameIndex: [String: Int32] = ["": 0]
        var names = [""]
        var edgeWays: [Int64] = []
        var edgeNames: [Int32] = []
        edgeWays.reserveCapacity(edges.count)
        edgeNames.reserveCapacity(edges.count)
        var outDegree = [Int32](repeating: 0, count: nodeCount + 1)
        var inDegree = [Int32](repeating: 0, count: nodeCount + 1)
        for (number, edge) in edges.enumerated() {
            guard (0..<Int32(nodeCount)).contains(edge.from), (0..<Int32(nodeCount)).contains(edge.to) else {
                throw .missingNode(edge: number)
            }
            guard edge.length.isFinite, edge.length >= 0, edge.length <= Self.longestEdge else {
                throw .badLength(edge: number, edge.length)
            }
            outDegree[Int(edge.from) + 1] += 1
            inDegree[Int(edge.to) + 1] += 1
            if edge.twoWay {
                outDegree[Int(edge.to) + 1] += 1
                inDegree[Int(edge.from) + 1] += 1
            }
            edgeWays.append(edge.way)
            if let existing = nameIndex[edge.name] {
                edgeNames.append(existing)
            } else {
                nameIndex[edge.name] = Int32(names.count)
                edgeNames.append(Int32(names.count))
                names.append(edge.name)
            }
        }
        for node in 0..<nodeCount {
            outDegree[node + 1] += outDegree[node]
            inDegree[node + 1] += inDegree[node]
        }
        let arcCount = Int(outDegree[nodeCount])
        var heads = [Int32](repeating: 0, count: arcCount)
        var lengths = [Double](repeating: 0, count: arcCount)
        var arcEdges = [Int32](repeating: 0, count: arcCount)
        var tails = [Int32](repeating: 0, count: arcCount)
        var reverseLengths = [Double](repeating: 0, count: arcCount)
        var reverseEdges = [Int32](repeating: 0, count: arcCount)
        var forwardCursor = outDegree
        var reverseCursor = inDegree
        func add(_ from: Int32, _ to: Int32, _ length: Double, _ edge: Int32) {
            let forward = Int(forwardCursor[Int(from)])
            heads[forward] = to
            lengths[forward] = length
            arcEdges[forward] = edge
            forwardCursor[Int(from)] += 1
            let backward = Int(reverseCursor[Int(to)])
            tails[backward] = from
            reverseLengths[backward] = length
            reverseEdges[backward] = edge
            reverseCursor[Int(to)] += 1
        }
        var shapeOffsets: [Int32] = [0]
        var shapePoints: [GeoPoint] = []
        shapeOffsets.reserveCapacity(edges.count + 1)
        for (number, edge) in edges.enumerated() {
            add(edge.from, edge.to, edge.length, Int32(number))
            if edge.twoWay { add(edge.to, edge.from, edge.length, Int32(number)) }
            shapePoints += edge.shape
            shapeOffsets.append(Int32(shapePoints.count))
        }
        self.shapeOffsets = FlatArray(shapeOffsets)
        self.shapePoints = FlatArray(shapePoints)
        edgeFrom = FlatArray(edges.map(\.from))
        edgeTo = FlatArray(edges.map(\.to))
        edgeLengths = FlatArray(edges.map(\.length))
        edgeTwoWay = FlatArray(edges.map(\.twoWay))
        edgeSteps = FlatArray(edges.map(\.isSteps))
        self.nodeIDs = FlatArray(nodeIDs)
        self.latitudes = FlatArray(latitudes)
        self.longitudes = FlatArray(longitudes)
        offsets = FlatArray(outDegree)
        self.heads = FlatArray(heads)
        self.lengths = FlatArray(lengths)
        self.arcEdges = FlatArray(arcEdges)
        reverseOffsets = FlatArray(inDegree)
        reverseTails = FlatArray(tails)
        self.reverseLengths = FlatArray(reverseLengths)
        self.reverseEdges = FlatArray(reverseEdges)
        self.edgeWays = FlatArray(edgeWays)
        self.edgeNames = FlatArray(edgeNames)
        self.names = names
    }

    /// Number of nodes.
    public var nodeCount: Int { nodeIDs.count }
    /// Number of directed arcs.
    public var arcCount: Int { heads.count }
    /// Number of edges (a two-way road is one edge).
    public var edgeCount: Int { edgeWays.count }

    /// The polyline of an edge from its `from` node to its `to` node.
    public func geometry(ofEdge edge: Int) -> [GeoPoint] {
        [position(of: Int(edgeFrom[edge]))] + shapePoints[Int(shapeOffsets[edge])..<Int(shapeOffsets[edge + 1])]
            + [position(of: Int(edgeTo[edge]))]
    }

    /// An edge's tail node (its `from`, as read).
    public func from(ofEdge edge: Int) -> Int { Int(edgeFrom[edge]) }
    /// An edge's head node (its `to`, as read).
    public func to(ofEdge edge: Int) -> Int { Int(edgeTo[edge]) }
    /// An edge's length in metres.
    public func length(ofEdge edge: Int) -> Double { edgeLengths[edge] }
    /// Whether an edge is a flight of steps (階段).
    public func isSteps(edge: Int) -> Bool { edgeSteps[edge] }

    /// The edges that lead from node `from` to node `to` (usually one).
    public func edges(from: Int, to: Int) -> [Int] {
        (Int(offsets[from])..<Int(offsets[from + 1])).filter { heads[$0] == Int32(to) }.map { Int(arcEdges[$0]) }
    }

    /// The street name of an edge ("" when the data has none).
    public func name(ofEdge edge: Int) -> String { names[Int(edgeNames[edge])] }

    /// The position of a node.
    public func position(of node: Int) -> GeoPoint {
        // Positions were validated when the graph was read.
        (try? GeoPoint(latitude: latitudes[node], longitude: longitudes[node]))!
    }
}

extension RoadGraph {
    /// Every array of a graph, as stored in a network file.
    struct Storage {
        var latitudes: FlatArray<Double>
        var longitudes: FlatArray<Double>
        var nodeIDs: FlatArray<Int64>
        var offsets: FlatArray<Int32>
        var heads: FlatArray<Int32>
        var lengths: FlatArray<Double>
        var arcEdges: FlatArray<Int32>
        var reverseOffsets: FlatArray<Int32>
        var reverseTails: FlatArray<Int32>
        var reverseLengths: FlatArray<Double>
        var reverseEdges: FlatArray<Int32>
        var edgeWays: FlatArray<Int64>
        var edgeNames: FlatArray<Int32>
        var names: [String]
        var shapeOffsets: FlatArray<Int32>
        var shapePoints: FlatArray<GeoPoint>
        var edgeFrom: FlatArray<Int32>
        var edgeTo: FlatArray<Int32>
        var edgeLengths: FlatArray<Double>
        var edgeTwoWay: FlatArray<Bool>
        var edgeSteps: FlatArray<Bool>
    }

    /// A graph from arrays already checked for consistency (``RoadNetworkFile``).
    init(storage: Storage) {
        latitudes = storage.latitudes
        longitudes = storage.longitudes
        nodeIDs = storage.nodeIDs
        offsets = storage.offsets
        heads = storage.heads
        lengths = storage.lengths
        arcEdges = storage.arcEdges
        reverseOffsets = storage.reverseOffsets
        reverseTails = storage.reverseTails
        reverseLengths = storage.reverseLengths
        reverseEdges = storage.reverseEdges
        edgeWays = storage.edgeWays
        edgeNames = storage.edgeNames
        names = storage.names
        shapeOffsets = storage.shapeOffsets
        shapePoints = storage.shapePoints
        edgeFrom = storage.edgeFrom
        edgeTo = storage.edgeTo
        edgeLengths = storage.edgeLengths
        edgeTwoWay = storage.edgeTwoWay
        edgeSteps = storage.edgeSteps
    }
}

extension RoadGraph {
    /// The longest edge accepted, in metres: longer than any road between two junctions (the
    /// longest bridges and tunnels are tens of kilometres), so that a corrupt length is refused
    /// rather than routed.
    public static let longestEdge = 1_000_000.0
}

/// Why a road graph could not be built.
public enum RoadGraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No nodes or no edges: nothing to route on.
    case empty(nodes: Int, edges: Int)
    /// An edge names a node that does not exist.
    case missingNode(edge: Int)
    /// A negative or non-finite length.
    case badLength(edge: Int, Double)

    /// A sentence.
    public var description: String {
        switch self {
        case .missingNode(let edge): "edge \(edge) references a node that does not exist"
        case .empty(let nodes, let edges):
            "the network has \(nodes) nodes and \(edges) edges; routing needs at least one road"
        case .badLength(let edge, let length):
            "edge \(edge) has length \(length) m; lengths must be finite, ≥ 0 and at most 1,000 km"
        }
    }
}
