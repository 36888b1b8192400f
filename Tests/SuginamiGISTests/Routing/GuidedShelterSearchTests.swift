import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The search that answers right after a change, while the tree is refreshed behind: its
/// answers are those of the refreshed tree, for every kind of change.
@Suite("Routing: the first answer after a change")
struct GuidedShelterSearchTests {
    /// Positions off the nodes, up to 60 m from random junctions.
    static func positions(_ count: Int, in graph: RoadGraph, seed: UInt64) throws -> [GeoPoint] {
        var random = SplitMix64(seed: seed)
        return try (0..<count).map { _ in
            let node = Int(random.next() % UInt64(graph.nodeCount))
            return try GeoPoint(
                latitude: graph.latitudes[node] + (Double(random.next() % 1_201) / 10 - 60) / 111_000,
                longitude: graph.longitudes[node] + (Double(random.next() % 1_201) / 10 - 60) / 91_000)
        }
    }

    /// Asserts that `search` answers as the tree refreshed for its metric and `shelters` does.
    static func expectSameAnswers(
        _ search: GuidedShelterSearch, router: Router, metric: RoadMetric, shelters: [Int], positions: [GeoPoint]
    ) throws -> Int {
        let refreshed = router.applying(metric)
        let tree = try refreshed.shelterTree(shelters: shelters)
        var answered = 0
        let plain = metric.edgeFactors.allSatisfy { $0 == 1 || !$0.isFinite }
        for position in positions {
            let settled = try? refreshed.routeToShelter(from: position, tree: tree)
            guard let interim = refreshed.routeToShelter(from: position, search: search) else {
                // No answer only where the nearest open road reaches no shelter: the settled
                // router then routes from a farther road, or refuses.
                continue
            }
            answered += 1
            let expected = try #require(settled, "the search found a way the refreshed tree refuses at \(position)")
            #expect(abs(interim.cost - expected.cost) < 1e-6, "\(position): \(interim.cost) vs \(expected.cost)")
            #expect(abs(interim.length - expected.length) < 1e-6)
            #expect(interim.nodes.last == expected.nodes.last || abs(interim.cost - expected.cost) < 1e-9)
            // The path is made of open arcs whose weights add up to the answer.
            var walked = interim.legs.first?.length ?? 0
            for (a, b) in zip(interim.nodes, interim.nodes.dropFirst()) {
                let arcs = Int(router.graph.offsets[a])..<Int(router.graph.offsets[a + 1])
                let weight = arcs.filter { router.graph.heads[$0] == Int32(b) }.map { metric.arcWeights[$0] }.min()
                #expect(weight?.isFinite == true, "the way crosses a closed road between \(a) and \(b)")
                walked += weight ?? .infinity
            }
            // (The first leg is counted in metres: equal to its weight where nothing is penalised.)
            if plain { #expect(abs(walked - interim.cost) < 1e-6) }
        }
        return answered
    }

    @Test func closuresPenaltiesOpeningsAndShelterChangesAreAnsweredAsTheRefreshedTreeDoes() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = try router.shelterTree(shelters: shelters)
        let positions = try Self.positions(300, in: graph, seed: 5)

        // 5 % of the edges closed at random: guided, and answers nearly everywhere.
        var random = SplitMix64(seed: 99)
        let closed = Set((0..<graph.edgeCount / 20).map { _ in Int32(random.next() % UInt64(graph.edgeCount)) })
        var closedMetric = router.metric
        try closedMetric.close(edges: closed, in: graph)
        let afterClosures = try GuidedShelterSearch(
            graph: graph, metric: closedMetric, shelters: shelters, tree: tree, treeMetric: router.metric)
        #expect(afterClosures.isGuided)
        let answered = try Self.expectSameAnswers(
            afterClosures, router: router, metric: closedMetric, shelters: shelters, positions: positions)
        #expect(answered > 270, "answered \(answered) of 300")

        // A fire area: every edge within 600 m of a point closed (clustered), and a shelter in it gone.
        let centre = graph.position(of: shelters[10])
        let fire = Set(
            (0..<graph.edgeCount).filter {
                Geodesic.grs80.distance(from: graph.position(of: Int(graph.edgeFrom[$0])), to: centre) < 600
            }.map(Int32.init))
        var fireMetric = router.metric
        try fireMetric.close(edges: fire, in: graph)
        let remaining = shelters.filter { $0 != shelters[10] }
        let afterFire = try GuidedShelterSearch(
            graph: graph, metric: fireMetric, shelters: remaining, tree: tree, treeMetric: router.metric)
        #expect(afterFire.isGuided)
        _ = try Self.expectSameAnswers(
            afterFire, router: router, metric: fireMetric, shelters: remaining, positions: positions)

        // Penalties raised: still guided (no way got shorter).
        let middle = graph.position(of: shelters[20])
        let area = try HazardAreaTests.square(
            middle.latitude - 0.01, middle.longitude - 0.01, middle.latitude + 0.01, middle.longitude + 0.01)
        let penalised = try RoadMetric(
            graph: graph, penalties: EdgePenalties(graph: graph, areas: [(area: area, factor: 3)]))
        let afterPenalties = try GuidedShelterSearch(
            graph: graph, metric: penalised, shelters: shelters, tree: tree, treeMetric: router.metric)
        #expect(afterPenalties.isGuided)
        _ = try Self.expectSameAnswers(
            afterPenalties, router: router, metric: penalised, shelters: shelters, positions: positions)

        // Roads opened again and a shelter added, from the tree with closures: ways may be
        // shorter now, so the search is plain, and still exact.
        let closedRouter = router.applying(closedMetric)
        let closedTree = try closedRouter.shelterTree(shelters: remaining)
        let reopened = try GuidedShelterSearch(
            graph: graph, metric: router.metric, shelters: shelters, tree: closedTree, treeMetric: closedMetric)
        #expect(!reopened.isGuided)
        let answeredPlain = try Self.expectSameAnswers(
            reopened, router: router, metric: router.metric, shelters: shelters, positions: positions)
        #expect(answeredPlain == 300)
    }

    @Test func otherNetworksAreRefused() throws {
        let router = try RoutingTests.suginami.get()
        let line = try ShelterAssignmentTests.line()
        let tree = try router.shelterTree(shelters: [0])
        #expect(throws: NetworkMismatch.self) {
            try GuidedShelterSearch(
                graph: line, metric: RoadMetric(graph: line), shelters: [0], tree: tree,
                treeMetric: RoadMetric(graph: line))
        }
        #expect(throws: NetworkMismatch.unknownNode(99_999, nodeCount: router.graph.nodeCount)) {
            try GuidedShelterSearch(
                graph: router.graph, metric: router.metric, shelters: [99_999], tree: tree, treeMetric: router.metric)
        }
    }
}
