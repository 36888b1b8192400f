import Foundation
import HeapModule
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
    }

    /// Seconds to walk the route (network and access legs) at `speed` metres a second.
    public func walkingTime(speed: Double) -> Double { (length + accessDistance) / speed }

    /// The route as a GeoJSON Feature with a LineString (RFC 7946, lon/lat).
    public func geoJSON(properties: [String: Any] = [:]) throws -> Data {
        var all = properties
        all["length_m"] = (length * 10).rounded() / 10
        all["access_m"] = (accessDistance * 10).rounded() / 10
        all["streets"] = streets
        let feature: [String: Any] = [
            "type": "Feature",
            "geometry": ["type": "LineString", "coordinates": points.map { [$0.longitude, $0.latitude] }],
            "properties": all,
        ]
        return try JSONSerialization.data(withJSONObject: feature, options: [.sortedKeys])
    }
}

/// Exact shortest routes between any two positions (Dijkstra from the snapped origin, stopped as
/// soon as no shorter route to the destination can exist), and routes to the nearest open
/// shelter by following a ``ShelterTree``. Closed edges are skipped without rebuilding.
public struct Router: Sendable {
    /// The network.
    public let graph: RoadGraph
    /// Its snapping index.
    public let locator: EdgeLocator

    /// A router over `graph`.
    public init(graph: RoadGraph, locator: EdgeLocator? = nil) {
        self.graph = graph
        self.locator = locator ?? EdgeLocator(graph: graph)
    }

    func snap(_ point: GeoPoint) throws(RoutingError) -> EdgeLocator.Snap {
        guard let snap = locator.snap(point) else { throw .offNetwork(point, locator.maximumDistance) }
        return snap
    }

    /// The shortest route from `origin` to `destination`.
    /// - Throws: ``RoutingError/offNetwork(_:_:)`` for a position far from every road, and
    ///   ``RoutingError/unreachable(_:)`` when no route joins them.
    public func route(
        from origin: GeoPoint, to destination: GeoPoint, closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil
    ) throws(RoutingError) -> Route {
        func factor(_ edge: Int) -> Double { penalties?.factors[edge] ?? 1 }
        let start = try snap(origin)
        let end = try snap(destination)
        let n = graph.nodeCount
        var distance = [Double](repeating: .infinity, count: n)
        var parent = [Int32](repeating: -1, count: n)
        var parentEdge = [Int32](repeating: -1, count: n)
        var heap = Heap<ShelterTree.Entry>()
        let startFrom = Int(graph.edgeFrom[start.edge])
        let startTo = Int(graph.edgeTo[start.edge])
        let startLength = graph.edgeLengths[start.edge]
        func seed(_ node: Int, _ cost: Double) {
            if cost < distance[node] {
                distance[node] = cost
                heap.insert(ShelterTree.Entry(distance: cost, node: Int32(node)))
            }
        }
        let startClosed = closedEdges.contains(Int32(start.edge))
        if !startClosed {
            seed(startTo, (startLength - start.offset) * factor(start.edge))
            if graph.edgeTwoWay[start.edge] { seed(startFrom, start.offset * factor(start.edge)) }
        }
        let endFrom = Int(graph.edgeFrom[end.edge])
        let endTo = Int(graph.edgeTo[end.edge])
        let endLength = graph.edgeLengths[end.edge]
        let endClosed = closedEdges.contains(Int32(end.edge))
        var best = Double.infinity
        var bestVia = -2  // −1: along the shared edge; else the node entered from
        if start.edge == end.edge && !startClosed {
            if end.offset >= start.offset {
                best = (end.offset - start.offset) * factor(start.edge)
                bestVia = -1
            } else if graph.edgeTwoWay[start.edge] {
                best = (start.offset - end.offset) * factor(start.edge)
                bestVia = -1
            }
        }
        while let entry = heap.popMin() {
            let node = Int(entry.node)
            guard entry.distance == distance[node] else { continue }
            if entry.distance >= best { break }
            if !endClosed {
                let endWeight = factor(end.edge)
                if node == endFrom, entry.distance + end.offset * endWeight < best {
                    best = entry.distance + end.offset * endWeight
                    bestVia = node
                }
                if node == endTo, graph.edgeTwoWay[end.edge],
                    entry.distance + (endLength - end.offset) * endWeight < best
                {
                    best = entry.distance + (endLength - end.offset) * endWeight
                    bestVia = node
                }
            }
            for arc in Int(graph.offsets[node])..<Int(graph.offsets[node + 1]) {
                let edge = graph.arcEdges[arc]
                if !closedEdges.isEmpty && closedEdges.contains(edge) { continue }
                let head = Int(graph.heads[arc])
                let candidate = entry.distance + graph.lengths[arc] * factor(Int(edge))
                if candidate < distance[head] {
                    distance[head] = candidate
                    parent[head] = Int32(node)
                    parentEdge[head] = edge
                    heap.insert(ShelterTree.Entry(distance: candidate, node: Int32(head)))
                }
            }
        }
        guard best.isFinite else { throw .unreachable("no route from \(origin) to \(destination) on the open network") }
        if bestVia == -1 {
            let metres = abs(end.offset - start.offset)
            return Route(
                points: [start.point, end.point], length: metres, cost: best,
                accessDistance: start.distance + end.distance, nodes: [],
                streets: [graph.name(ofEdge: start.edge)].filter { !$0.isEmpty },
                legs: [
                    Route.Leg(points: [start.point, end.point], length: metres, street: graph.name(ofEdge: start.edge))
                ])
        }
        // Nodes back from the node the destination edge was entered at.
        var nodes = [bestVia]
        var edges: [Int] = []
        while parent[nodes.last!] >= 0 {
            edges.append(Int(parentEdge[nodes.last!]))
            nodes.append(Int(parent[nodes.last!]))
        }
        nodes.reverse()
        edges.reverse()
        let first = [start.point] + partial(start, toward: nodes[0])
        let firstLength = nodes[0] == startTo ? startLength - start.offset : start.offset
        var legs = [Route.Leg(points: first, length: firstLength, street: graph.name(ofEdge: start.edge))]
        for (index, edge) in edges.enumerated() {
            legs.append(
                Route.Leg(
                    points: oriented(edge, from: nodes[index]), length: graph.edgeLengths[edge],
                    street: graph.name(ofEdge: edge)))
        }
        let last = partial(end, toward: nodes.last!).reversed() + [end.point]
        let lastLength = nodes.last! == endFrom ? end.offset : endLength - end.offset
        legs.append(Route.Leg(points: last, length: lastLength, street: graph.name(ofEdge: end.edge)))
        var points = legs[0].points
        for leg in legs.dropFirst() { points += leg.points.dropFirst() }
        let streets = legs.map(\.street).filter { !$0.isEmpty }
        return Route(
            points: points, length: legs.reduce(0) { $0 + $1.length }, cost: best,
            accessDistance: start.distance + end.distance, nodes: nodes,
            streets: streets.reduce(into: []) { if $0.last != $1 { $0.append($1) } }, legs: legs)
    }

    /// The route from `origin` to its nearest open shelter, following `tree` (built with the
    /// same closures).
    public func routeToShelter(
        from origin: GeoPoint, tree: ShelterTree, closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil
    ) throws(RoutingError) -> Route {
        let start = try snap(origin)
        guard !closedEdges.contains(Int32(start.edge)) else {
            throw .unreachable("the road at \(origin) is closed")
        }
        let from = Int(graph.edgeFrom[start.edge])
        let to = Int(graph.edgeTo[start.edge])
        let weight = penalties?.factors[start.edge] ?? 1
        var options = [(node: to, cost: (graph.edgeLengths[start.edge] - start.offset) * weight + tree.distances[to])]
        if graph.edgeTwoWay[start.edge] { options.append((from, start.offset * weight + tree.distances[from])) }
        guard let best = options.min(by: { $0.cost < $1.cost }), best.cost.isFinite else {
            throw .unreachable("no open shelter can be reached from \(origin)")
        }
        let nodes = tree.path(from: best.node)
        let first = [start.point] + partial(start, toward: nodes[0])
        let firstLength = best.node == to ? graph.edgeLengths[start.edge] - start.offset : start.offset
        var legs = [Route.Leg(points: first, length: firstLength, street: graph.name(ofEdge: start.edge))]
        for (a, b) in zip(nodes, nodes.dropFirst()) {
            // The tree's arc from a to b: the shortest edge joining them.
            let arcs = Int(graph.offsets[a])..<Int(graph.offsets[a + 1])
            guard
                let arc = arcs.filter({ graph.heads[$0] == Int32(b) && !closedEdges.contains(graph.arcEdges[$0]) })
                    .min(by: { graph.lengths[$0] < graph.lengths[$1] })
            else { continue }
            let edge = Int(graph.arcEdges[arc])
            legs.append(
                Route.Leg(points: oriented(edge, from: a), length: graph.lengths[arc], street: graph.name(ofEdge: edge))
            )
        }
        var points = legs[0].points
        for leg in legs.dropFirst() { points += leg.points.dropFirst() }
        return Route(
            points: points, length: legs.reduce(0) { $0 + $1.length }, cost: best.cost, accessDistance: start.distance,
            nodes: nodes,
            streets: legs.map(\.street).filter { !$0.isEmpty }.reduce(into: []) { if $0.last != $1 { $0.append($1) } },
            legs: legs)
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
