import Foundation
import SuginamiKit

/// Routing to the open relief centres (震災救援所) of a store over a road network: which centres
/// are open and have room, the tree of ways to the nearest one from every junction, and routes
/// with instructions. The one call a daemon or a vendor's app makes.
///
/// ## Updates while others read
/// The state lives in an immutable ``Snapshot``. Readers take it (`await routing.snapshot`, one
/// actor hop) and compute routes on it in their own task, in parallel, for as long as they
/// like. Updates (``record(_:)`` for a status report, ``close(edges:)`` for closed roads) run
/// one at a time on the actor, repair a copy of the tree in place — only the junctions whose way
/// changed are searched again — and publish it as the next snapshot. A reader therefore never
/// sees a half-updated tree, and an update never waits for readers.
///
/// ```swift
/// let network = try await RoadNetwork.load(.bundledSynthetic)
/// let routing = try await ReliefCentreRouting(store: store, network: network)
/// let way = try await routing.snapshot.routeToNearestCentre(from: position)
/// print(way.centre.facility.name, way.route.length)
/// try await routing.close(edges: try RoadNetworkInputs.closures(closuresURL, in: network.graph))
/// ```
public actor ReliefCentreRouting {
    /// How a centre without any status report counts.
    public enum UnreportedCentres: String, Sendable, Hashable, CaseIterable {
        /// Open (a ward's plan opens every centre after a strong earthquake).
        case open
        /// Closed until a report says otherwise.
        case closed
    }

    /// The current state, for readers.
    public private(set) var snapshot: Snapshot
    /// Closures given at start-up or through ``close(edges:)``: they stay.
    private var lastingClosures: Set<Int32>
    /// Closures that can be lifted again (a published road-blocked report), by name.
    private var namedClosures: [String: Set<Int32>] = [:]
    private let penalties: EdgePenalties?

    /// Routing over `network` to the relief centres among `facilities` (or, with `kind`, to the
    /// facilities of that kind: ``FacilityKind/temporaryStayFacility`` for stranded commuters;
    /// other kinds are ignored), open or not by `statuses` (by `Facility/id`).
    ///
    /// No open centre is not an error here: a daemon starts before the first report arrives;
    /// a route asked for then throws ``ReliefCentreRoutingError/noOpenCentre``.
    /// - Throws: ``NetworkMismatch`` for closures or penalties of another network.
    public init(
        network: RoadNetwork, facilities: [Facility], statuses: [String: ShelterStatus],
        unreported: UnreportedCentres = .open, closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil,
        kind: FacilityKind = .reliefCentre
    ) throws(NetworkMismatch) {
        let metric = try RoadMetric(graph: network.graph, closedEdges: closedEdges, penalties: penalties)
        let router = Router(graph: network.graph, hierarchy: network.hierarchy, metric: metric)
        let centres = facilities.filter { $0.kind == kind }.sorted { $0.id < $1.id }.map { facility in
            Centre(
                facility: facility, status: statuses[facility.id], unreported: unreported,
                node: router.locator.nearestNode(to: facility.position))
        }
        let open = centres.filter(\.isOpen).compactMap(\.node)
        let tree = try router.shelterTree(shelters: open)
        lastingClosures = closedEdges
        self.penalties = penalties
        snapshot = Snapshot(
            network: network, router: router, tree: tree, centres: centres, unreported: unreported,
            hasPenalties: penalties != nil, kind: kind)
    }

    /// Routing over `network` to the relief centres of `store` (or its facilities of `kind`),
    /// with their latest status reports.
    /// - Throws: the store's errors, and ``NetworkMismatch`` as the other initialiser.
    public init(
        store: SuginamiStore, network: RoadNetwork, unreported: UnreportedCentres = .open,
        closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil, kind: FacilityKind = .reliefCentre
    ) async throws {
        try self.init(
            network: network, facilities: try await store.facilities(kinds: [kind]),
            statuses: try await store.currentStatuses(), unreported: unreported, closedEdges: closedEdges,
            penalties: penalties, kind: kind)
    }

    /// Takes a new status report: a centre that opens joins the tree, one that closes or is
    /// full leaves it (repaired in place), and its room changes.
    /// - Throws: ``ReliefCentreRoutingError/unknownCentre(_:)`` for a facility that is not one
    ///   of the relief centres.
    public func record(_ status: ShelterStatus) throws(ReliefCentreRoutingError) {
        guard let index = snapshot.centres.firstIndex(where: { $0.facility.id == status.facilityID }) else {
            throw .unknownCentre(status.facilityID)
        }
        var next = snapshot
        let before = next.centres[index]
        next.centres[index] = Centre(
            facility: before.facility, status: status, unreported: next.unreported, node: before.node)
        let after = next.centres[index]
        if let node = after.node, before.isOpen != after.isOpen {
            // Several centres can share a junction: the node stays a shelter while one is open.
            let stillOpenHere = next.centres.contains { $0.node == node && $0.isOpen }
            let graph = next.network.graph
            let metric = next.router.metric
            do {
                if after.isOpen {
                    try next.tree.addShelters([node], graph: graph, metric: metric)
                } else if !stillOpenHere {
                    try next.tree.removeShelters([node], graph: graph, metric: metric)
                }
            } catch {
                // The tree, graph and metric are one network's by construction.
                preconditionFailure("shelter tree and network disagree: \(error)")
            }
        }
        next.revision += 1
        snapshot = next
    }

    /// Closes roads (edge numbers of the network): the metric is updated and the tree repaired
    /// in place, so a closure off every way to a centre costs almost nothing.
    /// - Throws: ``NetworkMismatch`` for an edge number the network does not have; nothing
    ///   changes then.
    public func close(edges: Set<Int32>) throws(NetworkMismatch) {
        var next = snapshot
        var metric = next.router.metric
        try metric.close(edges: edges, in: next.network.graph)
        next.router = next.router.applying(metric)
        try next.tree.repair(closing: edges, graph: next.network.graph, metric: metric)
        next.revision += 1
        snapshot = next
        lastingClosures.formUnion(edges)
    }

    /// Closes roads under a name (a published report's id) so that they can be opened again
    /// with ``reopen(named:)``; the tree is repaired in place as by ``close(edges:)``. Closing
    /// under a name already used adds to it.
    /// - Throws: ``NetworkMismatch`` for an edge number the network does not have; nothing
    ///   changes then.
    public func close(edges: Set<Int32>, named name: String) throws(NetworkMismatch) {
        var next = snapshot
        var metric = next.router.metric
        try metric.close(edges: edges, in: next.network.graph)
        next.router = next.router.applying(metric)
        try next.tree.repair(closing: edges, graph: next.network.graph, metric: metric)
        namedClosures[name, default: []].formUnion(edges)
        next.closureNames = namedClosures.keys.sorted()
        next.revision += 1
        snapshot = next
    }

    /// Opens again the roads closed under `name`, except those another closure still holds.
    /// Opening a road can shorten ways anywhere, so the metric and the tree are made anew
    /// (tens of milliseconds at ward scale); nothing happens for a name not in use.
    public func reopen(named name: String) {
        guard namedClosures.removeValue(forKey: name) != nil else { return }
        var closed = lastingClosures
        for edges in namedClosures.values { closed.formUnion(edges) }
        var next = snapshot
        do {
            let metric = try RoadMetric(graph: next.network.graph, closedEdges: closed, penalties: penalties)
            next.router = next.router.applying(metric)
            next.tree = try next.router.shelterTree(shelters: next.centres.filter(\.isOpen).compactMap(\.node))
        } catch {
            preconditionFailure("closures and penalties were checked against this network: \(error)")
        }
        next.closureNames = namedClosures.keys.sorted()
        next.revision += 1
        snapshot = next
    }

    /// Closes every road that touches one of `areas` (a fire's footprint, say).
    public func close(areas: [GeoMultiPolygon]) {
        let edges = HazardAreas.closedEdges(in: snapshot.network.graph, areas: areas)
        do {
            try close(edges: edges)
        } catch {
            preconditionFailure("edges found in the network are its own: \(error)")
        }
    }
}

extension ReliefCentreRouting {
    /// One relief centre and whether it takes people now.
    public struct Centre: Sendable, Hashable {
        /// The facility.
        public let facility: Facility
        /// Its latest status report, if any.
        public let status: ShelterStatus?
        /// `true` when the latest report says open (or there is none and unreported centres
        /// count as open); a full centre is not open.
        public let isOpen: Bool
        /// Room for more people: the capacity minus the last reported occupancy (never below
        /// zero); `nil` without a known capacity.
        public let room: Int?
        /// The network junction the centre is reached at, `nil` when it lies more than the
        /// snapping distance from every road.
        public let node: Int?

        init(facility: Facility, status: ShelterStatus?, unreported: UnreportedCentres, node: Int?) {
            self.facility = facility
            self.status = status
            self.node = node
            isOpen = status.map { $0.state == .open } ?? (unreported == .open)
            room = facility.capacity.map { max(0, $0 - (status?.occupancy ?? 0)) }
        }

        /// Whether the centre is open with room for `people` more (any open centre when `nil`).
        public func takes(_ people: Int?) -> Bool {
            guard isOpen else { return false }
            guard let people else { return true }
            return (room ?? -1) >= people
        }
    }

    /// The state readers use: immutable, so it can be read from any task while updates go on.
    public struct Snapshot: Sendable {
        /// The network routed on.
        public let network: RoadNetwork
        /// The router, with the current closures and penalties.
        public internal(set) var router: Router
        /// From every junction, the way to the nearest open centre.
        public internal(set) var tree: ShelterTree
        /// Every relief centre with its status, by id.
        public internal(set) var centres: [Centre]
        /// How centres without a report count.
        public let unreported: UnreportedCentres
        /// Whether routes minimise penalised lengths rather than metres.
        public let hasPenalties: Bool
        /// The kind of facility routed to (relief centres unless made for another).
        public let kind: FacilityKind
        /// The names of the closures in force that can be lifted (``close(edges:named:)``),
        /// sorted: what a route answer says it avoided.
        public internal(set) var closureNames: [String] = []
        /// 0 at start, and one more with each update: tells two snapshots apart.
        public internal(set) var revision = 0

        /// The open centres, or those open with room for `people` more.
        public func openCentres(withRoomFor people: Int? = nil) -> [Centre] {
            centres.filter { $0.takes(people) }
        }

        /// The route from `origin` to the nearest open centre, or to the nearest with room for
        /// `people` more (a tree over those centres is built for the question: tens of
        /// milliseconds at ward scale).
        /// - Throws: ``ReliefCentreRoutingError`` when no centre qualifies or none can be reached.
        public func routeToNearestCentre(from origin: GeoPoint, withRoomFor people: Int? = nil)
            throws(ReliefCentreRoutingError) -> ReliefCentreRoute
        {
            // No copies of the centres here: this runs for every resident's request.
            guard centres.contains(where: \.isOpen) else { throw .noOpenCentre }
            guard centres.contains(where: { $0.takes(people) }) else { throw .noCentreWithRoom(people ?? 0) }
            guard centres.contains(where: { $0.takes(people) && $0.node != nil }) else { throw .noCentreOnNetwork }
            let tree: ShelterTree
            if people == nil {
                tree = self.tree
            } else {
                do {
                    tree = try router.shelterTree(shelters: centres.filter { $0.takes(people) }.compactMap(\.node))
                } catch {
                    preconditionFailure("centre nodes come from this network: \(error)")
                }
            }
            var route: Route
            do {
                route = try router.routeToShelter(from: origin, tree: tree)
            } catch {
                throw .routing(error)
            }
            let end = route.nodes.last
            guard let centre = centres.first(where: { $0.takes(people) && $0.node == end && end != nil }) else {
                throw .routing(.unreachable("no open relief centre can be reached from \(origin)"))
            }
            // The route reaches the centre, not the junction it is attached to: the last steps
            // are walked straight, counted in the length and time, and drawn.
            if let last = route.points.last {
                let metres = Geodesic.grs80.distance(from: last, to: centre.facility.position)
                if metres > 0.5 {
                    route.points.append(centre.facility.position)
                    route.accessDistance += metres
                    route.destinationAccess = metres
                }
            }
            return ReliefCentreRoute(route: route, centre: centre)
        }

        /// The shortest route between two positions on the network as it is now.
        /// - Throws: ``RoutingError`` for a position far from every road or no route.
        public func route(from origin: GeoPoint, to destination: GeoPoint) throws(RoutingError) -> Route {
            try router.route(from: origin, to: destination)
        }

        /// The roads a blocked-road report closes: along `road` (a line drawn over the map), every
        /// edge within `tolerance` metres of a point taken every 5 m of it; at a single
        /// `position`, the one edge nearest within `tolerance`. Empty when no road is that near.
        public func edgesBlocked(at position: GeoPoint, along road: [GeoPoint]?, tolerance: Double = 25)
            -> Set<Int32>
        {
            func edge(near point: GeoPoint) -> Int32? {
                guard let snap = router.locator.snap(point), snap.distance <= tolerance else { return nil }
                return Int32(snap.edge)
            }
            guard let road, road.count >= 2 else { return edge(near: position).map { [$0] } ?? [] }
            var edges = Set<Int32>()
            for (start, end) in zip(road, road.dropFirst()) {
                let metres = Geodesic.grs80.distance(from: start, to: end)
                let steps = max(1, Int((metres / 5).rounded(.up)))
                for step in 0...steps {
                    let point = start.interpolated(to: end, fraction: Double(step) / Double(steps))
                    if let found = edge(near: point) { edges.insert(found) }
                }
            }
            return edges
        }

        /// The tree as CSV (see ``ShelterTree/csv(graph:)``).
        public func treeCSV() -> String { tree.csv(graph: network.graph) }

        /// Places each town's population (町丁目, from the census) in the open centres within
        /// their room (capacity minus reported occupancy), with the least total walking. Each
        /// town's people are placed at the mean of its boundary vertices; centres without a known
        /// capacity are left out.
        /// - Throws: ``ReliefCentreRoutingError/routing(_:)`` when the network cannot join them.
        public func assign(towns: [Town]) throws(ReliefCentreRoutingError) -> TownAssignment {
            var demands: [ShelterAssignment.Demand] = []
            var offNetwork: [String] = []
            for town in towns {
                let vertices = town.boundary.polygons.flatMap(\.exterior)
                guard !vertices.isEmpty else { continue }
                let latitude = vertices.map(\.latitude).reduce(0, +) / Double(vertices.count)
                let longitude = vertices.map(\.longitude).reduce(0, +) / Double(vertices.count)
                guard let point = try? GeoPoint(latitude: latitude, longitude: longitude),
                    let node = router.locator.nearestNode(to: point)
                else {
                    offNetwork.append(town.code)
                    continue
                }
                demands.append(ShelterAssignment.Demand(id: town.code, node: node, people: town.population.total))
            }
            let shelters = openCentres().compactMap { centre -> ShelterAssignment.Shelter? in
                guard let room = centre.room, room > 0, let node = centre.node else { return nil }
                return ShelterAssignment.Shelter(id: centre.facility.id, node: node, capacity: room)
            }
            do {
                let result = try ShelterAssignment.solve(demands: demands, shelters: shelters, router: router)
                return TownAssignment(
                    result: result, people: demands.reduce(0) { $0 + $1.people }, townsOffNetwork: offNetwork,
                    centresWithRoom: shelters.count)
            } catch {
                throw .routing(error)
            }
        }
    }
}

/// A route to a relief centre, with the centre.
public struct ReliefCentreRoute: Sendable, Hashable {
    /// The way, from the snapped origin to the centre's junction.
    public let route: Route
    /// The centre it leads to.
    public let centre: ReliefCentreRouting.Centre

    /// The turn-by-turn instructions, naming the centre.
    public var instructions: RouteInstructions { RouteInstructions(route: route, destination: centre.facility.name) }
}

/// Every town's people placed in the open centres with room.
public struct TownAssignment: Sendable, Hashable {
    /// The assignment as the SDK answers it (what `refd route --assign` prints): totals, the
    /// flows town → centre with their walking distance, and the assumptions. With `weighted`,
    /// distances are penalised metres (metres × factor), and the assumption says so.
    public func json(weighted: Bool = false) -> JSONValue {
        func tenths(_ value: Double) -> JSONValue { .number((value * 10).rounded() / 10) }
        let used = Set(result.flows.map(\.shelter)).count
        return .object([
            ("people", .number(Double(people))),
            ("placed", .number(Double(result.flows.reduce(0) { $0 + $1.people }))),
            (
                "unplaced_by_town",
                .object(result.unplaced.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })
            ),
            ("towns_off_network", .array(townsOffNetwork.map(JSONValue.string))),
            ("person_km", .number((result.personMetres / 100).rounded() / 10)),
            ("optimal", .bool(result.verifiedOptimal)),
            ("centres_used", .number(Double(used))), ("centres_with_capacity", .number(Double(centresWithRoom))),
            (
                "flows",
                .array(
                    result.flows.map {
                        .object([
                            ("town", .string($0.demand)), ("centre", .string($0.shelter)),
                            ("people", .number(Double($0.people))), ("distance_m", tenths($0.distance)),
                        ])
                    })
            ),
            (
                "assumption",
                .string(
                    "each town's population placed at the mean of its boundary vertices; each centre takes its room "
                        + "(capacity minus the last reported occupancy); centres without a capacity are left out"
                        + (weighted
                            ? "; distance_m and person_km are weighted (metres × factor), not plain metres" : ""))
            ),
        ])
    }

    /// The flows, the unplaced people and the total walking.
    public let result: ShelterAssignment.Result
    /// The people to place (the towns on the network).
    public let people: Int
    /// Towns whose point lies farther than the snapping distance from every road.
    public let townsOffNetwork: [String]
    /// The open centres with room and a known capacity.
    public let centresWithRoom: Int
}

/// Why no route to a relief centre can be given.
public enum ReliefCentreRoutingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No relief centre is open.
    case noOpenCentre
    /// No open centre has room for this many more people (or a known capacity).
    case noCentreWithRoom(Int)
    /// Every qualifying centre lies off the network.
    case noCentreOnNetwork
    /// A status report names a facility that is not one of the relief centres.
    case unknownCentre(String)
    /// The network gave no route (a position off every road, or no way to any centre).
    case routing(RoutingError)

    /// A sentence.
    public var description: String {
        switch self {
        case .noOpenCentre: "no open relief centre"
        case .noCentreWithRoom(let people): "no open relief centre has room for \(people) more people"
        case .noCentreOnNetwork: "no open relief centre lies on the network"
        case .unknownCentre(let id): "\(id) is not a relief centre"
        case .routing(let error): error.description
        }
    }
}
