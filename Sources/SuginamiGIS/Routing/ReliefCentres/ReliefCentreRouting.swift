import Foundation
import SuginamiCore
import SuginamiKit

/// Routing to the open relief centres (震災救援所) of a store over a road network: which centres
/// are open and have room, the tree of ways to the nearest one from every junction, and routes
/// with instructions. The one call a daemon or a vendor's app makes.
///
/// ## Updates while others read
/// The state lives in an immutable ``Snapshot``. Readers take it (`await routing.snapshot`, one
/// actor hop) and compute routes on it in their own task, in parallel, for as long as they
/// like. Updates (``record(_:)`` for a status report, ``close(edges:)`` for closed roads) run
/// one at a time on the actor and publish the next snapshot at once; a reader therefore never
/// sees a half-updated state, and an update never waits for readers.
///
/// ## The first answer after closures
/// A batch of closures changes the metric in microseconds, but the customization and the tree
/// under it take milliseconds. So an update publishes a *refreshing* snapshot straight away
/// (``Snapshot/isSettled`` is false): its routes to the nearest centre are found exactly by one
/// search from the resident, guided by the earlier tree (``GuidedShelterSearch``), while the
/// customization and the tree are refreshed behind, off the actor, and published when done.
/// Nothing a refreshing snapshot answers is stale; questions that need the refreshed state
/// (a route to a given position, a centre with room, the assignment) compute it on the spot,
/// or wait for it with ``settledSnapshot()``.
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
    /// Whether a refresh is running behind (``refreshBehind()``).
    private var refreshing = false
    /// Readers waiting for a settled snapshot.
    private var waiting: [CheckedContinuation<Void, Never>] = []

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
        let router = network.router(metric: metric)
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
        store: any SuginamiDatabase, network: RoadNetwork, unreported: UnreportedCentres = .open,
        closedEdges: Set<Int32> = [], penalties: EdgePenalties? = nil, kind: FacilityKind = .reliefCentre
    ) async throws {
        try self.init(
            network: network, facilities: try await store.facilities(kinds: [kind]),
            statuses: try await store.currentStatuses(), unreported: unreported, closedEdges: closedEdges,
            penalties: penalties, kind: kind)
    }

    /// Takes a new status report: a centre that opens joins the tree, one that closes or is
    /// full leaves it (repaired in place, or by the refresh running behind), and its room changes.
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
            if next.isSettled {
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
            } else {
                next.refresh(to: next.metric)
            }
        }
        next.revision += 1
        publish(next)
    }

    /// Closes roads (edge numbers of the network): the next snapshot answers routes to the
    /// nearest centre at once, exactly, while the customization and the tree are refreshed
    /// behind (see "The first answer after closures").
    /// - Throws: ``NetworkMismatch`` for an edge number the network does not have; nothing
    ///   changes then.
    public func close(edges: Set<Int32>) throws(NetworkMismatch) {
        var next = snapshot
        var metric = next.metric
        try metric.close(edges: edges, in: next.network.graph)
        next.refresh(to: metric)
        next.revision += 1
        publish(next)
        lastingClosures.formUnion(edges)
    }

    /// Closes roads under a name (a published report's id) so that they can be opened again
    /// with ``reopen(named:)``, as ``close(edges:)`` does. Closing under a name already used
    /// adds to it.
    /// - Throws: ``NetworkMismatch`` for an edge number the network does not have; nothing
    ///   changes then.
    public func close(edges: Set<Int32>, named name: String) throws(NetworkMismatch) {
        var next = snapshot
        var metric = next.metric
        try metric.close(edges: edges, in: next.network.graph)
        next.refresh(to: metric)
        namedClosures[name, default: []].formUnion(edges)
        next.closureNames = namedClosures.keys.sorted()
        next.revision += 1
        publish(next)
    }

    /// Opens again the roads closed under `name`, except those another closure still holds;
    /// nothing happens for a name not in use. Opening a road can shorten ways anywhere, so
    /// until the refresh behind is done, routes to the nearest centre are found by a plain
    /// search from the resident (exact, slower than the guided one).
    public func reopen(named name: String) {
        guard namedClosures.removeValue(forKey: name) != nil else { return }
        var closed = lastingClosures
        for edges in namedClosures.values { closed.formUnion(edges) }
        var next = snapshot
        do {
            next.refresh(to: try RoadMetric(graph: next.network.graph, closedEdges: closed, penalties: penalties))
        } catch {
            preconditionFailure("closures and penalties were checked against this network: \(error)")
        }
        next.closureNames = namedClosures.keys.sorted()
        next.revision += 1
        publish(next)
    }

    /// The snapshot once the refresh behind is done: the current one if it is settled already,
    /// else the first settled one after it (milliseconds at ward scale).
    public func settledSnapshot() async -> Snapshot {
        while !snapshot.isSettled {
            await withCheckedContinuation { waiting.append($0) }
        }
        return snapshot
    }

    /// Publishes `next`, and starts the refresh behind it when it is not settled.
    private func publish(_ next: Snapshot) {
        snapshot = next
        if !next.isSettled && !refreshing {
            refreshing = true
            Task { await refreshBehind() }
        }
    }

    /// Customizes and sweeps for the newest snapshot's metric and centres, off the actor, and
    /// publishes the result, until a snapshot is settled; updates that arrive meanwhile are
    /// taken by the next round.
    private func refreshBehind() async {
        while let pending = snapshot.pending {
            let base = snapshot.router
            let shelters = snapshot.centres.filter(\.isOpen).compactMap(\.node)
            let revision = snapshot.revision
            // On a thread of its own: milliseconds at ward scale, a tenth of a second for a city,
            // which would hold a thread of the pool (in the daemon, an event loop) meanwhile.
            let (router, tree) = await runOffCooperativePool { () -> (Router, ShelterTree) in
                let router = base.metric == pending.metric ? base : base.applying(pending.metric)
                do {
                    return (router, try router.shelterTree(shelters: shelters))
                } catch {
                    preconditionFailure("centre nodes come from this network: \(error)")
                }
            }
            var next = snapshot
            next.router = router
            next.tree = tree
            if next.revision == revision {
                next.pending = nil
            } else if let newer = next.pending {
                // Updates came during the round: keep answering them, guided by the fresher tree.
                next.refresh(to: newer.metric)
            }
            snapshot = next
        }
        refreshing = false
        let resumed = waiting
        waiting = []
        for reader in resumed { reader.resume() }
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
        /// The router, customized for the closures and penalties of the last settled state
        /// (the current ones when ``isSettled``).
        public internal(set) var router: Router
        /// From every junction, the way to the nearest open centre, as of the last settled
        /// state (the current one when ``isSettled``).
        public internal(set) var tree: ShelterTree
        /// What changed since ``router`` and ``tree`` were made, while a refresh runs behind.
        var pending: Pending?
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

        /// A change not yet customized: the metric now, and the search that answers under it.
        struct Pending: Sendable {
            var metric: RoadMetric
            var search: GuidedShelterSearch
        }

        /// Whether ``router`` and ``tree`` are those of the current closures and centres; while
        /// not, a refresh runs behind and routes to the nearest centre are searched directly.
        public var isSettled: Bool { pending == nil }

        /// The metric in force: the current closures and penalties.
        public var metric: RoadMetric { pending?.metric ?? router.metric }

        /// Marks the snapshot as changed to `metric` (and its centres as they are now), guided
        /// by its settled tree.
        mutating func refresh(to metric: RoadMetric) {
            do {
                pending = Pending(
                    metric: metric,
                    search: try GuidedShelterSearch(
                        graph: network.graph, metric: metric, shelters: centres.filter(\.isOpen).compactMap(\.node),
                        tree: tree, treeMetric: router.metric))
            } catch {
                preconditionFailure("the metric, tree and centres are this network's: \(error)")
            }
        }

        /// The router and tree of the current state: the snapshot's own when settled, else
        /// computed here (a customization and a sweep: milliseconds at ward scale), for the
        /// questions a guided search cannot answer.
        func current() -> (router: Router, tree: ShelterTree) {
            guard let pending else { return (router, tree) }
            let router = router.applying(pending.metric)
            do {
                return (router, try router.shelterTree(shelters: centres.filter(\.isOpen).compactMap(\.node)))
            } catch {
                preconditionFailure("centre nodes come from this network: \(error)")
            }
        }

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
            var route: Route
            if people == nil, let pending, let found = router.routeToShelter(from: origin, search: pending.search) {
                route = found
            } else {
                let (router, settledTree) = current()
                let tree: ShelterTree
                if people == nil {
                    tree = settledTree
                } else {
                    do {
                        tree = try router.shelterTree(shelters: centres.filter { $0.takes(people) }.compactMap(\.node))
                    } catch {
                        preconditionFailure("centre nodes come from this network: \(error)")
                    }
                }
                do {
                    route = try router.routeToShelter(from: origin, tree: tree)
                } catch {
                    throw .routing(error)
                }
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
            try (pending == nil ? router : router.applying(metric)).route(from: origin, to: destination)
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

        /// The tree of ways to the nearest open centre for the current closures and centres:
        /// ``tree`` when the snapshot is settled, else computed here (milliseconds at ward
        /// scale; ``ReliefCentreRouting/settledSnapshot()`` waits for the refresh instead).
        public func currentTree() -> ShelterTree { current().tree }

        /// The tree as CSV (see ``ShelterTree/csv(graph:)``).
        public func treeCSV() -> String { currentTree().csv(graph: network.graph) }

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
                let router = pending == nil ? router : router.applying(metric)
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
