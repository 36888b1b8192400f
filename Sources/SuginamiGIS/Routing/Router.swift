import Foundation
import SuginamiKit

/// A route over the network: its polyline from the snapped origin to the snapped destination,
/// its length and the streets it follows.
public struct Route: Sendable, Hashable {
    /// The polyline, from the point where the origin meets the network.
    public var points: [GeoPoint]
    /// Metres along the network.
    public var length: Double
    /// The length with each penalised edge weighted (equal to ``length`` without penalties):
    /// what the route minimises.
    public var cost: Double = 0
    /// Metres from the origin and the destination to the network (walked straight).
    public var accessDistance: Double
    /// Of ``accessDistance``, the metres at the end: from the network to the destination itself
    /// (a relief centre's position), which instructions mention when they are long.
    public var destinationAccess: Double = 0
    /// The network nodes passed, in order.
    public var nodes: [Int]
    /// The street names along the way, consecutive repeats and unnamed stretches dropped.
    public var streets: [String]
    /// The route edge by edge (the first and last may be parts of an edge), for instructions.
    public var legs: [Leg] = []

    /// One edge (or part of one) of a route.
    public struct Leg: Sendable, Hashable {
        /// Its polyline, in the direction of travel.
        public var points: [GeoPoint]
        /// Metres.
        public var length: Double
        /// The street name ("" where the data has none).
        public var street: String
        /// A flight of steps (階段), which instructions name.
        public var isSteps = false
    }

    /// The walking speed assumed when none is given: 1.0 m/s, a parameter (an evacuation on
    /// foot after an earthquake is slower than the usual 1.3 m/s, and slower still for elderly
    /// people or wheelchairs; give their own speed).
    public static let defaultWalkingSpeed = 1.0

    /// Seconds to walk the route (network and access legs) at `speed` metres a second.
    public func walkingTime(speed: Double = Route.defaultWalkingSpeed) -> Double { (length + accessDistance) / speed }
}

extension Route {
    /// A route made of `legs` (the first starting at the snapped origin).
    init(legs: [Leg], cost: Double, accessDistance: Double, nodes: [Int]) {
        var points = legs.first?.points ?? []
        for leg in legs.dropFirst() { points += leg.points.dropFirst() }
        let streets = legs.map(\.street).filter { !$0.isEmpty }
        self.init(
            points: points, length: legs.reduce(0) { $0 + $1.length }, cost: cost, accessDistance: accessDistance,
            nodes: nodes, streets: streets.reduce(into: []) { if $0.last != $1 { $0.append($1) } }, legs: legs)
    }
}

/// Exact shortest routes between any two positions, and routes to the nearest open shelter by
/// following a ``ShelterTree``, under one ``RoadMetric`` (closures and penalties) applied to a
/// customizable contraction hierarchy.
///
/// Build the ``RoadHierarchy`` once per network and pass it in; a new metric is a new
/// customization (``applying(_:)``), never a new hierarchy.
public struct Router: Sendable {
    /// The network.
    public let graph: RoadGraph
    /// Its snapping index.
    public let locator: EdgeLocator
    /// The hierarchy with the current metric applied.
    public private(set) var customized: CustomizedHierarchy

    /// The metric routes minimise.
    public var metric: RoadMetric { customized.metric }

    /// A router over `graph` (its hierarchy is built when not given: a fraction of a second at
    /// ward scale, seconds for all 23 wards) under `metric` (plain lengths when not given).
    public init(
        graph: RoadGraph, hierarchy: RoadHierarchy? = nil, metric: RoadMetric? = nil, locator: EdgeLocator? = nil
    ) {
        self.graph = graph
        self.locator = locator ?? EdgeLocator(graph: graph)
        customized = CustomizedHierarchy(
            hierarchy: hierarchy ?? RoadHierarchy(graph: graph), graph: graph,
            metric: metric ?? RoadMetric(graph: graph))
    }

    /// A router from parts already made (``RoadNetwork/router(metric:)``).
    init(graph: RoadGraph, locator: EdgeLocator, customized: CustomizedHierarchy) {
        self.graph = graph
        self.locator = locator
        self.customized = customized
    }

    /// The same router under another metric (closures or penalties changed).
    public func applying(_ metric: RoadMetric) -> Router {
        var copy = self
        copy.customized = CustomizedHierarchy(hierarchy: customized.hierarchy, graph: graph, metric: metric)
        return copy
    }

    /// The tree towards `shelters` (node indices) under this router's metric.
    /// - Throws: ``NetworkMismatch`` for a shelter node the network does not have.
    public func shelterTree(shelters: [Int]) throws(NetworkMismatch) -> ShelterTree {
        try ShelterTree(customized: customized, shelters: shelters)
    }

    /// The nearest point of an open road (one `accepts` too, when given) to `point`.
    /// - Throws: ``RoutingError/offNetwork(_:_:)`` when no road at all lies within the limit,
    ///   ``RoutingError/unreachable(_:)`` when roads do but every one of them is closed (or refused).
    func snap(_ point: GeoPoint, accepting accepts: ((Int) -> Bool)? = nil) throws(RoutingError)
        -> EdgeLocator.Snap
    {
        let factors = metric.edgeFactors
        if let snap = locator.snap(point, accepting: { factors[$0].isFinite && accepts?($0) != false }) {
            return snap
        }
        guard locator.snap(point) != nil else { throw .offNetwork(point, locator.maximumDistance) }
        throw .unreachable(
            "every road within \(Int(locator.maximumDistance)) m of \(point) is closed"
                + (accepts == nil ? "" : " or leads nowhere open"))
    }

    /// The shortest route from `origin` to `destination`.
    /// - Throws: ``RoutingError/offNetwork(_:_:)`` for a position far from every road, and
    ///   ``RoutingError/unreachable(_:)`` when no route joins them (naming the nearest position
    ///   from which the destination can be reached, when there is one).
    public func route(from origin: GeoPoint, to destination: GeoPoint) throws(RoutingError) -> Route {
        var query = PathQuery(customized)
        return try route(from: origin, to: destination, using: &query)
    }

    /// The shortest route from `origin` to `destination`, reusing `query`'s scratch space (made
    /// from this router's ``customized``): the fast path for many queries.
    public func route(
        from origin: GeoPoint, to destination: GeoPoint, using query: inout PathQuery
    ) throws(RoutingError) -> Route {
        let start = try snap(origin)
        let end = try snap(destination)
        let factors = metric.edgeFactors
        let startFactor = factors[start.edge]
        let startLength = graph.edgeLengths[start.edge]
        let startFrom = Int(graph.edgeFrom[start.edge])
        let startTo = Int(graph.edgeTo[start.edge])
        var sources = [(node: startTo, cost: (startLength - start.offset) * startFactor)]
        if graph.edgeTwoWay[start.edge] { sources.append((startFrom, start.offset * startFactor)) }
        let endFactor = factors[end.edge]
        guard endFactor.isFinite else {
            throw .unreachable("no route from \(origin) to \(destination): the road at the destination is closed")
        }
        let endLength = graph.edgeLengths[end.edge]
        let endFrom = Int(graph.edgeFrom[end.edge])
        let endTo = Int(graph.edgeTo[end.edge])
        var targets = [(node: endFrom, cost: end.offset * endFactor)]
        if graph.edgeTwoWay[end.edge] { targets.append((endTo, (endLength - end.offset) * endFactor)) }
        // Along the one edge both lie on, when its direction allows.
        var along = Double.infinity
        if start.edge == end.edge && startFactor.isFinite
            && (end.offset >= start.offset || graph.edgeTwoWay[start.edge])
        {
            along = abs(end.offset - start.offset) * startFactor
        }
        let path = query.shortestPath(from: sources, to: targets)
        if along.isFinite && along <= (path?.weight ?? .infinity) {
            let metres = abs(end.offset - start.offset)
            return Route(
                points: [start.point, end.point], length: metres, cost: along,
                accessDistance: start.distance + end.distance, nodes: [],
                streets: [graph.name(ofEdge: start.edge)].filter { !$0.isEmpty },
                legs: [
                    Route.Leg(
                        points: [start.point, end.point], length: metres, street: graph.name(ofEdge: start.edge),
                        isSteps: graph.isSteps(edge: start.edge))
                ])
        }
        guard let path, path.weight.isFinite else {
            throw .unreachable(
                unreachableReason(
                    from: origin, to: destination, targets: targets.filter { $0.cost.isFinite }.map(\.node)))
        }
        var nodes = [sources[path.source].node]
        for arc in path.arcs { nodes.append(Int(graph.heads[Int(arc)])) }
        let edges = path.arcs.map { Int(graph.arcEdges[Int($0)]) }
        let first = [start.point] + partial(start, toward: nodes[0])
        let firstLength = nodes[0] == startTo ? startLength - start.offset : start.offset
        var legs = [
            Route.Leg(
                points: first, length: firstLength, street: graph.name(ofEdge: start.edge),
                isSteps: graph.isSteps(edge: start.edge))
        ]
        for (index, edge) in edges.enumerated() {
            legs.append(
                Route.Leg(
                    points: oriented(edge, from: nodes[index]), length: graph.edgeLengths[edge],
                    street: graph.name(ofEdge: edge), isSteps: graph.isSteps(edge: edge)))
        }
        let last = partial(end, toward: nodes.last!).reversed() + [end.point]
        let lastLength = nodes.last! == endFrom ? end.offset : endLength - end.offset
        legs.append(
            Route.Leg(
                points: last, length: lastLength, street: graph.name(ofEdge: end.edge),
                isSteps: graph.isSteps(edge: end.edge)))
        return Route(legs: legs, cost: path.weight, accessDistance: start.distance + end.distance, nodes: nodes)
    }

    /// Why no route joins two positions, with the nearest position (straight line from the
    /// origin) from which the destination can still be reached.
    func unreachableReason(from origin: GeoPoint, to destination: GeoPoint, targets: [Int]) -> String {
        let reaching = targets.isEmpty ? [] : customized.sweep(toNearestOf: targets).distance
        guard !reaching.isEmpty, let alternative = nearestPosition(to: origin, where: { reaching[$0].isFinite }) else {
            return "no route from \(origin) to \(destination) on the open network, from anywhere"
        }
        return "no route from \(origin) to \(destination) on the open network; the nearest position that has one is "
            + alternative
    }

    /// The node nearest to `origin` among those satisfying `accepts`, described for a person:
    /// its position, network node id and straight-line distance; nil when there is none.
    func nearestPosition(to origin: GeoPoint, where accepts: (Int) -> Bool) -> String? {
        guard let node = nearestNode(to: origin, where: accepts) else { return nil }
        let position = graph.position(of: node)
        let metres = Int(Geodesic.grs80.distance(from: origin, to: position).rounded())
        return "\(position) (network node \(graph.nodeIDs[node]), \(metres) m away in a straight line)"
    }

    /// The node nearest to `point` in a straight line among those satisfying `accepts`.
    func nearestNode(to point: GeoPoint, where accepts: (Int) -> Bool) -> Int? {
        // Ranked on a local equirectangular plane (exact enough to choose at ward scale).
        let scale = cos(point.latitude * .pi / 180)
        var best: (node: Int, squared: Double)?
        for node in 0..<graph.nodeCount where accepts(node) {
            let east = (graph.longitudes[node] - point.longitude) * scale
            let north = graph.latitudes[node] - point.latitude
            let squared = east * east + north * north
            if squared < best?.squared ?? .infinity { best = (node, squared) }
        }
        return best?.node
    }

    /// The route from `origin` to its nearest open shelter, following `tree` (built under this
    /// router's metric).
    /// - Throws: ``RoutingError/unreachable(_:)`` when no open shelter can be reached, naming
    ///   the nearest position from which one can.
    public func routeToShelter(from origin: GeoPoint, tree: ShelterTree) throws(RoutingError) -> Route {
        // The nearest open road from which a shelter can be reached (in its direction of travel).
        let start: EdgeLocator.Snap
        do {
            start = try snap(origin) { edge in
                tree.distances[Int(graph.edgeTo[edge])].isFinite
                    || (graph.edgeTwoWay[edge] && tree.distances[Int(graph.edgeFrom[edge])].isFinite)
            }
        } catch RoutingError.unreachable {
            guard let alternative = nearestPosition(to: origin, where: { tree.distances[$0].isFinite }) else {
                throw .unreachable("no open shelter can be reached from \(origin), nor from anywhere else")
            }
            throw .unreachable(
                "no open shelter can be reached from any road within \(Int(locator.maximumDistance)) m of \(origin); "
                    + "the nearest position that reaches one is " + alternative)
        }
        let from = Int(graph.edgeFrom[start.edge])
        let to = Int(graph.edgeTo[start.edge])
        let factor = metric.edgeFactors[start.edge]
        var options = [(node: to, cost: (graph.edgeLengths[start.edge] - start.offset) * factor + tree.distances[to])]
        if graph.edgeTwoWay[start.edge] { options.append((from, start.offset * factor + tree.distances[from])) }
        guard let best = options.min(by: { $0.cost < $1.cost }), best.cost.isFinite else {
            let closed = factor.isFinite ? "" : " (the road there is closed)"
            guard let alternative = nearestPosition(to: origin, where: { tree.distances[$0].isFinite }) else {
                throw .unreachable("no open shelter can be reached from \(origin)\(closed), nor from anywhere else")
            }
            throw .unreachable(
                "no open shelter can be reached from \(origin)\(closed); the nearest position that reaches one is "
                    + alternative)
        }
        return route(from: start, along: tree.path(from: best.node), cost: best.cost, metric: metric)
    }

    /// The route from `origin` to its nearest open shelter under `search`'s metric, found by
    /// that one search (``GuidedShelterSearch``) while a refreshed tree is being made; `nil`
    /// when the nearest open road reaches no shelter, where the answer needs the refreshed
    /// tree (which finds the nearest road that does, or explains why none can).
    public func routeToShelter(from origin: GeoPoint, search: GuidedShelterSearch) -> Route? {
        let factors = search.metric.edgeFactors
        guard let start = locator.snap(origin, accepting: { factors[$0].isFinite }) else { return nil }
        let from = Int(graph.edgeFrom[start.edge])
        let to = Int(graph.edgeTo[start.edge])
        let factor = factors[start.edge]
        var sources = [(node: to, cost: (graph.edgeLengths[start.edge] - start.offset) * factor)]
        if graph.edgeTwoWay[start.edge] { sources.append((from, start.offset * factor)) }
        guard let way = search.nearest(from: sources) else { return nil }
        return route(from: start, along: way.nodes, cost: way.weight, metric: search.metric)
    }

    /// The route from a snapped position along `nodes` (starting at an end of its edge), under
    /// `metric`.
    private func route(from start: EdgeLocator.Snap, along nodes: [Int], cost: Double, metric: RoadMetric) -> Route {
        let to = Int(graph.edgeTo[start.edge])
        let first = [start.point] + partial(start, toward: nodes[0])
        let firstLength = nodes[0] == to ? graph.edgeLengths[start.edge] - start.offset : start.offset
        var legs = [
            Route.Leg(
                points: first, length: firstLength, street: graph.name(ofEdge: start.edge),
                isSteps: graph.isSteps(edge: start.edge))
        ]
        for (a, b) in zip(nodes, nodes.dropFirst()) {
            // The arc from a to b: the lightest open arc joining them.
            let arcs = Int(graph.offsets[a])..<Int(graph.offsets[a + 1])
            guard
                let arc = arcs.filter({ graph.heads[$0] == Int32(b) && metric.arcWeights[$0].isFinite })
                    .min(by: { metric.arcWeights[$0] < metric.arcWeights[$1] })
            else { continue }
            let edge = Int(graph.arcEdges[arc])
            legs.append(
                Route.Leg(
                    points: oriented(edge, from: a), length: graph.lengths[arc], street: graph.name(ofEdge: edge),
                    isSteps: graph.isSteps(edge: edge))
            )
        }
        return Route(legs: legs, cost: cost, accessDistance: start.distance, nodes: nodes)
    }

    /// The edge's polyline starting at node `from`.
    func oriented(_ edge: Int, from node: Int) -> [GeoPoint] {
        let geometry = graph.geometry(ofEdge: edge)
        return Int(graph.edgeFrom[edge]) == node ? geometry : geometry.reversed()
    }

    /// The part of the snapped edge from the snap point to `node` (one of its ends), without the
    /// snap point itself.
    func partial(_ snap: EdgeLocator.Snap, toward node: Int) -> [GeoPoint] {
        let geometry = graph.geometry(ofEdge: snap.edge)
        if Int(graph.edgeTo[snap.edge]) == node {
            return Array(geometry[(snap.segment + 1)...])
        }
        return Array(geometry[...snap.segment].reversed())
    }
}

/// Why no route could be given.
public enum RoutingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The position is farther than the limit from every road.
    case offNetwork(GeoPoint, Double)
    /// No route exists on the open network.
    case unreachable(String)

    /// A sentence.
    public var description: String {
        switch self {
        case .offNetwork(let point, let limit): "\(point) is more than \(Int(limit)) m from every road of the network"
        case .unreachable(let reason): reason
        }
    }
}
