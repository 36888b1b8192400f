import Foundation
import Testing

@testable import SuginamiGIS

/// The routing facade over a real SQLite store of the bundled relief centres and the bundled
/// synthetic network: updates repair the tree to exactly what a rebuild gives.
@Suite("ReliefCentreRouting")
struct ReliefCentreRoutingTests {
    /// Suginami ward office.
    static func wardOffice() throws -> GeoPoint { try GeoPoint(parsing: "139.6366,35.6995") }

    /// A store with the bundled data, in a temporary file.
    static func store() async throws -> (SuginamiStore, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString).sqlite")
        let store = try SuginamiStore(path: url.path)
        try await SuginamiDataset.bundled().load(into: store)
        return (store, url)
    }

    /// The tree a rebuild gives for the same centres and closures.
    static func rebuilt(_ snapshot: ReliefCentreRouting.Snapshot) throws -> ShelterTree {
        try snapshot.router.shelterTree(shelters: snapshot.openCentres().compactMap(\.node))
    }

    /// Equal distances, up to the rounding of sums taken in another order; unreachable alike.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in x.isFinite ? abs(x - y) <= 1e-9 * max(1, x) : !y.isFinite }
    }

    static func report(_ id: String, _ state: ShelterStatus.State, occupancy: Int? = nil) -> ShelterStatus {
        ShelterStatus(facilityID: id, state: state, occupancy: occupancy, reportedAt: Date(), reportedBy: "test")
    }

    /// A route ends at the centre, not at the junction the centre is attached to: the last
    /// steps are drawn, counted in the access metres and the time, and said when long.
    @Test func routesReachTheCentreItself() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let routing = try await ReliefCentreRouting(
            store: store, network: try await RoadNetwork.load(.bundledSynthetic))
        let snapshot = await routing.snapshot
        for (index, centre) in snapshot.centres.enumerated() where index % 5 == 0 {
            // From a point 150 m south of each fifth centre.
            let origin = try GeoPoint(
                latitude: centre.facility.position.latitude - 0.00135, longitude: centre.facility.position.longitude)
            guard let way = try? snapshot.routeToNearestCentre(from: origin) else { continue }
            let node = snapshot.network.graph.position(of: way.centre.node!)
            let straight = Geodesic.grs80.distance(from: node, to: way.centre.facility.position)
            #expect(way.route.points.last == way.centre.facility.position || straight <= 0.5)
            #expect(abs(way.route.destinationAccess - (straight > 0.5 ? straight : 0)) < 1e-6)
            #expect(way.route.accessDistance >= way.route.destinationAccess)
            let sentences = way.instructions.sentences(.english)
            let said = sentences.contains { $0.contains("is not on a mapped road") }
            #expect(said == (straight >= RouteInstructions.offRoadNotice), "\(sentences)")
        }
    }

    @Test func statusReportsAndClosuresRepairTheTreeToWhatARebuildGives() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        let first = await routing.snapshot
        #expect(first.centres.count == 65 && first.openCentres().count == 65)
        let nearest = try first.routeToNearestCentre(from: try Self.wardOffice())
        #expect(nearest.route.length > 0 && nearest.centre.isOpen)

        // The nearest centre closes: the next answer goes elsewhere, and the repaired tree is
        // the rebuilt one.
        try await routing.record(Self.report(nearest.centre.facility.id, .closed))
        let afterClosing = await routing.snapshot
        #expect(Self.same(afterClosing.tree.distances, try Self.rebuilt(afterClosing).distances))
        let next = try afterClosing.routeToNearestCentre(from: try Self.wardOffice())
        #expect(next.centre.facility.id != nearest.centre.facility.id)
        #expect(next.route.length >= nearest.route.length)
        // Readers holding the earlier snapshot still see it whole.
        #expect(try first.routeToNearestCentre(from: try Self.wardOffice()).centre == nearest.centre)

        // It reopens: back to the first answer, by adding a shelter in place.
        try await routing.record(Self.report(nearest.centre.facility.id, .open))
        let reopened = await routing.snapshot
        #expect(Self.same(reopened.tree.distances, first.tree.distances))

        // Roads close: the snapshot published at once answers as the settled one does, and the
        // settled tree equals a rebuild under the same metric.
        let closed = Set((0..<Int32(network.graph.edgeCount)).filter { $0 % 17 == 0 })
        try await routing.close(edges: closed)
        let interim = await routing.snapshot
        let afterRoads = await routing.settledSnapshot()
        #expect(afterRoads.isSettled && afterRoads.revision == interim.revision)
        #expect(afterRoads.metric == interim.metric && afterRoads.router.metric == interim.metric)
        #expect(Self.same(afterRoads.tree.distances, try Self.rebuilt(afterRoads).distances))
        #expect(zip(afterRoads.tree.distances, first.tree.distances).allSatisfy { $0 >= $1 - 1e-9 })
        // The tree a refreshing snapshot gives (for the offline site, say) is the settled one.
        #expect(Self.same(interim.currentTree().distances, afterRoads.tree.distances))
        for (index, position) in try GuidedShelterSearchTests.positions(100, in: network.graph, seed: 3).enumerated() {
            let now = try? interim.routeToNearestCentre(from: position)
            let settled = try? afterRoads.routeToNearestCentre(from: position)
            #expect((now == nil) == (settled == nil), "\(position)")
            if let now, let settled {
                #expect(abs(now.route.length - settled.route.length) < 1e-6 && now.centre == settled.centre)
            }
            // A route to a given position needs the customization: computed on the spot (a few).
            if index < 3 {
                #expect(
                    (try? interim.route(from: position, to: try Self.wardOffice()))?.cost
                        == (try? afterRoads.route(from: position, to: try Self.wardOffice()))?.cost)
            }
        }
    }

    /// Updates arriving faster than the refresh behind them: every snapshot answers as a
    /// rebuild would, and the last settled one is the state after all of them.
    @Test func updatesDuringARefreshAreTakenByTheNext() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        let ids = await routing.snapshot.centres.map(\.facility.id)
        let edges = network.graph.edgeCount
        for round in 0..<6 {
            try await routing.close(
                edges: Set((0..<Int32(edges)).filter { $0 % 97 == Int32(round) }), named: "r\(round)")
            try await routing.record(Self.report(ids[round * 7], .closed))
            if round == 3 { await routing.reopen(named: "r1") }
        }
        let last = await routing.snapshot
        let settled = await routing.settledSnapshot()
        #expect(settled.revision == last.revision && settled.isSettled)
        #expect(settled.closureNames == ["r0", "r2", "r3", "r4", "r5"])
        let expected = try RoadMetric(
            graph: network.graph,
            closedEdges: Set((0..<Int32(edges)).filter { [0, 2, 3, 4, 5].contains($0 % 97) }))
        #expect(settled.metric == expected)
        #expect(settled.openCentres().count == 65 - 6)
        #expect(Self.same(settled.tree.distances, try Self.rebuilt(settled).distances))
        for position in try GuidedShelterSearchTests.positions(50, in: network.graph, seed: 8) {
            let now = try? last.routeToNearestCentre(from: position)
            let after = try? settled.routeToNearestCentre(from: position)
            #expect(now?.centre == after?.centre && (now?.route.length ?? 0) - (after?.route.length ?? 0) < 1e-6)
        }
    }

    @Test func roomUsesCapacityMinusOccupancyAndErrorsAreNamed() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let routing = try await ReliefCentreRouting(
            store: store, network: try await RoadNetwork.load(.bundledSynthetic))
        let snapshot = await routing.snapshot
        let centre = try #require(snapshot.centres.first { ($0.facility.capacity ?? 0) > 100 })
        let capacity = try #require(centre.facility.capacity)
        try await routing.record(Self.report(centre.facility.id, .open, occupancy: capacity - 10))
        let filled = await routing.snapshot
        let updated = try #require(filled.centres.first { $0.facility.id == centre.facility.id })
        #expect(updated.room == 10 && updated.takes(10) && !updated.takes(11))
        #expect(!filled.openCentres(withRoomFor: 11).contains { $0.facility.id == centre.facility.id })
        let roomy = try filled.routeToNearestCentre(from: try Self.wardOffice(), withRoomFor: 100)
        #expect((roomy.centre.room ?? 0) >= 100)
        #expect(throws: ReliefCentreRoutingError.noCentreWithRoom(10_000_000)) {
            try filled.routeToNearestCentre(from: try Self.wardOffice(), withRoomFor: 10_000_000)
        }
        await #expect(throws: ReliefCentreRoutingError.unknownCentre("no-such-centre")) {
            try await routing.record(Self.report("no-such-centre", .open))
        }
        // Every centre closed: a named error, not a crash or an empty route.
        for centre in filled.centres { try await routing.record(Self.report(centre.facility.id, .closed)) }
        let none = await routing.snapshot
        #expect(none.tree.distances.allSatisfy { !$0.isFinite })
        #expect(throws: ReliefCentreRoutingError.noOpenCentre) {
            try none.routeToNearestCentre(from: try Self.wardOffice())
        }
    }

    @Test func readersRouteWhileUpdatesArrive() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let routing = try await ReliefCentreRouting(
            store: store, network: try await RoadNetwork.load(.bundledSynthetic))
        let ids = await routing.snapshot.centres.map(\.facility.id)
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for reader in 0..<4 {
                group.addTask {
                    var answered = 0
                    for step in 0..<40 {
                        let snapshot = await routing.snapshot
                        let origin = try GeoPoint(
                            latitude: 35.68 + Double((reader * 40 + step) % 30) * 0.001, longitude: 139.63)
                        let way = try snapshot.routeToNearestCentre(from: origin)
                        // The route ends at an open centre of the snapshot it was read from.
                        #expect(way.centre.isOpen && way.route.nodes.last == way.centre.node)
                        answered += 1
                    }
                    return answered
                }
            }
            group.addTask {
                for (index, id) in ids.enumerated() where index % 3 == 0 {
                    try await routing.record(Self.report(id, index % 2 == 0 ? .closed : .full))
                }
                return 0
            }
            return try await group.reduce(0, +)
        }
        #expect(answers == 160)
    }

    /// The assignment gives each centre its room, the same figure as routes with room use: a
    /// centre reported full to its capacity receives nobody.
    @Test func assignmentUsesTheReportedOccupancy() async throws {
        let (store, url) = try await Self.store()
        defer { try? FileManager.default.removeItem(at: url) }
        let routing = try await ReliefCentreRouting(
            store: store, network: try await RoadNetwork.load(.bundledSynthetic))
        let towns = try await store.towns()
        let before = try await routing.snapshot.assign(towns: towns)
        let busiest = try #require(
            Dictionary(grouping: before.result.flows, by: \.shelter).mapValues { $0.reduce(0) { $0 + $1.people } }
                .max { $0.value < $1.value })
        let centre = try #require(await routing.snapshot.centres.first { $0.facility.id == busiest.key })
        try await routing.record(Self.report(busiest.key, .open, occupancy: centre.facility.capacity))
        let after = try await routing.snapshot.assign(towns: towns)
        #expect(!after.result.flows.contains { $0.shelter == busiest.key })
        #expect(after.centresWithRoom == before.centresWithRoom - 1)
    }
}
