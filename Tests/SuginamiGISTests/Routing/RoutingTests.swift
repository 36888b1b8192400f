import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The shelter tree against SciPy's `csgraph.dijkstra` on the same graphs, before and after the
/// peer script's 5 % closures (reference files in `Reference/routing/`).
@Suite("Routing: shelter tree against SciPy")
struct RoutingTests {
    static let reference = Programs.repositoryRoot.appendingPathComponent("Tests/SuginamiGISTests/Reference/routing")

    static func table(_ name: String) throws -> [[Substring]] {
        let data = try Gzip.decompress(try Data(contentsOf: reference.appendingPathComponent(name + ".gz")))
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",")
        }
    }

    /// The synthetic Suginami network with its hierarchy, built once for every suite.
    static let suginami = Result { () throws -> Router in Router(graph: try RoadNetworkCSV.bundledSyntheticSuginami()) }

    static func check(router: Router, network: String) throws {
        let graph = router.graph
        let shelters = try table("\(network)_shelters.csv").map { Int($0[1])! }
        let closed = Set(try table("\(network)_blocked_edges.csv").map { Int32($0[0])! })
        var repaired = try router.shelterTree(shelters: shelters)
        var closedMetric = router.metric
        try closedMetric.close(edges: closed, in: graph)
        try repaired.repair(closing: closed, graph: graph, metric: closedMetric)
        for (file, closures) in [("\(network)_dist.csv", Set<Int32>()), ("\(network)_dist_blocked.csv", closed)] {
            let metric = try RoadMetric(graph: graph, closedEdges: closures)
            let customized = router.applying(metric)
            let tree = try customized.shelterTree(shelters: shelters)
            var query = PathQuery(customized.customized)
            var worst = 0.0
            var worstRepaired = 0.0
            var worstRoute = 0.0
            var reachabilityMismatches = 0
            var rows = 0
            for row in try table(file) {
                let node = Int(row[0])!
                let expected = row[1] == "inf" ? Double.infinity : Double(row[1])!
                let ours = tree.distances[node]
                if expected.isInfinite != ours.isInfinite {
                    reachabilityMismatches += 1
                } else if expected.isFinite {
                    worst = max(worst, abs(ours - expected))
                }
                if !closures.isEmpty {
                    let fixed = repaired.distances[node]
                    if expected.isInfinite != fixed.isInfinite {
                        reachabilityMismatches += 1
                    } else if expected.isFinite {
                        worstRepaired = max(worstRepaired, abs(fixed - expected))
                    }
                }
                // Point-to-point: the nearest shelter by separate queries, each unpacked into
                // graph arcs whose weights add up to the query's answer.
                if node % 97 == 0 {
                    var nearest = Double.infinity
                    for shelter in shelters {
                        guard let path = query.shortestPath(from: [(node, 0)], to: [(shelter, 0)]) else { continue }
                        let walked = path.arcs.reduce(0) { $0 + metric.arcWeights[Int($1)] }
                        #expect(
                            abs(walked - path.weight) < 1e-6, "\(node) → \(shelter): arcs \(walked) vs \(path.weight)")
                        var at = node
                        for arc in path.arcs {
                            #expect((Int(graph.offsets[at])..<Int(graph.offsets[at + 1])).contains(Int(arc)))
                            at = Int(graph.heads[Int(arc)])
                        }
                        #expect(at == shelter)
                        nearest = min(nearest, path.weight)
                    }
                    if expected.isInfinite != nearest.isInfinite {
                        reachabilityMismatches += 1
                    } else if expected.isFinite {
                        worstRoute = max(worstRoute, abs(nearest - expected))
                    }
                }
                rows += 1
            }
            #expect(rows == graph.nodeCount)
            #expect(reachabilityMismatches == 0, "\(file)")
            #expect(worst < 1e-4, "\(file): worst difference of the tree \(worst) m")
            #expect(worstRepaired < 1e-4, "\(file): worst difference of the repaired tree \(worstRepaired) m")
            #expect(worstRoute < 1e-4, "\(file): worst difference of point-to-point routes \(worstRoute) m")
            if closures.isEmpty == false {
                #expect(tree.distances.contains { $0.isInfinite }, "closures should cut some nodes off")
            }
        }
        try checkOffNode(router: router, network: network, shelters: shelters, closed: closed)
    }

    /// From positions off the nodes (up to 60 m from a random junction, as a resident stands):
    /// the route to the nearest shelter along the tree, before and after the closures, and the
    /// guided search that answers while the tree is refreshed, weigh what SciPy's node distances
    /// give through the ends of the edge the position snaps to.
    static func checkOffNode(router: Router, network: String, shelters: [Int], closed: Set<Int32>) throws {
        let graph = router.graph
        var random = SplitMix64(seed: 18)
        let positions = try (0..<400).map { _ in
            let node = Int(random.next() % UInt64(graph.nodeCount))
            let east = Double(random.next() % 1_201) / 10 - 60
            let north = Double(random.next() % 1_201) / 10 - 60
            return try GeoPoint(
                latitude: graph.latitudes[node] + north / 111_000,
                longitude: graph.longitudes[node] + east / (111_000 * cos(graph.latitudes[node] * .pi / 180)))
        }
        let openMetric = RoadMetric(graph: graph)
        let openTree = try router.applying(openMetric).shelterTree(shelters: shelters)
        for (file, closures) in [("\(network)_dist.csv", Set<Int32>()), ("\(network)_dist_blocked.csv", closed)] {
            let scipy = try table(file).map { $0[1] == "inf" ? Double.infinity : Double($0[1])! }
            let metric = try RoadMetric(graph: graph, closedEdges: closures)
            let customized = router.applying(metric)
            let tree = try customized.shelterTree(shelters: shelters)
            let guided = try GuidedShelterSearch(
                graph: graph, metric: metric, shelters: shelters, tree: openTree, treeMetric: openMetric)
            #expect(guided.isGuided)
            /// SciPy's weight from a snap: along the edge to an end, then that end's distance.
            func expected(_ snap: EdgeLocator.Snap) -> Double {
                let from = Int(graph.edgeFrom[snap.edge])
                let to = Int(graph.edgeTo[snap.edge])
                let viaTo = graph.edgeLengths[snap.edge] - snap.offset + scipy[to]
                return graph.edgeTwoWay[snap.edge] ? min(viaTo, snap.offset + scipy[from]) : viaTo
            }
            var worst = 0.0
            var worstGuided = 0.0
            var answered = 0
            for position in positions {
                let open = { (edge: Int) in metric.edgeFactors[edge].isFinite }
                // Along the tree: the nearest open road from which SciPy reaches a shelter.
                let reaching = router.locator.snap(position) { edge in
                    open(edge)
                        && (scipy[Int(graph.edgeTo[edge])].isFinite
                            || (graph.edgeTwoWay[edge] && scipy[Int(graph.edgeFrom[edge])].isFinite))
                }
                if let reaching {
                    let route = try customized.routeToShelter(from: position, tree: tree)
                    worst = max(worst, abs(route.cost - expected(reaching)))
                } else {
                    #expect(throws: RoutingError.self) { try customized.routeToShelter(from: position, tree: tree) }
                }
                // Guided from the tree before the closures: the nearest open road, or no answer.
                let nearestOpen = try #require(router.locator.snap(position, accepting: open))
                if let route = customized.routeToShelter(from: position, search: guided) {
                    worstGuided = max(worstGuided, abs(route.cost - expected(nearestOpen)))
                    answered += 1
                } else {
                    #expect(!expected(nearestOpen).isFinite, "\(file): the guided search found no way from \(position)")
                }
            }
            #expect(worst < 1e-4, "\(file): off-node routes along the tree differ from SciPy by \(worst) m")
            #expect(worstGuided < 1e-4, "\(file): guided off-node routes differ from SciPy by \(worstGuided) m")
            #expect(answered > positions.count / 2, "\(file): the guided search answered \(answered)")
        }
    }

    /// The order keeps the hierarchy small and its searches short, and the hierarchy splits into
    /// two halves of comparable size for the two threads (figures of this network's order).
    @Test func theHierarchyIsSmallShallowAndSplitsInTwo() throws {
        let router = try Self.suginami.get()
        let hierarchy = router.customized.hierarchy
        #expect(hierarchy.arcCount < 5 * router.graph.edgeCount, "\(hierarchy.arcCount) arcs")  // 4.1× here
        #expect(hierarchy.eliminationTreeHeight < 300, "height \(hierarchy.eliminationTreeHeight)")
        let bins = hierarchy.split.bins.map { $0.reduce(0) { $0 + $1.count } }
        #expect(bins.count == 2 && bins.allSatisfy { $0 > hierarchy.nodeCount / 3 }, "\(bins)")
        #expect(bins.reduce(0, +) + hierarchy.split.top.count == hierarchy.nodeCount)
        // Every rank once; each bin's ranges are whole subtrees (a parent is in the same range or
        // above the split).
        var seen = [Bool](repeating: false, count: hierarchy.nodeCount)
        for r in hierarchy.split.top + hierarchy.split.bins.flatMap({ $0.flatMap { Array($0) } }) {
            #expect(!seen[r])
            seen[r] = true
        }
        let topSet = Set(hierarchy.split.top)
        for range in hierarchy.split.bins.flatMap({ $0 }) {
            for r in range where hierarchy.parent[r] >= 0 {
                let p = Int(hierarchy.parent[r])
                #expect(range.contains(p) || topSet.contains(p))
            }
        }
    }

    /// On a 20 × 20 grid of 100 m streets the order cuts along short lines (a straight or
    /// diagonal separator of at most 20 nodes; the nodes above the two-thread split, one or two
    /// such cuts), the elimination tree stays shallow, and every distance is the Manhattan
    /// distance: a known answer, independent of SciPy.
    @Test func aGridIsCutShortAndRoutedExactly() throws {
        let side = 20
        var edges: [RoadGraph.Edge] = []
        for row in 0..<side {
            for column in 0..<side {
                let node = Int32(row * side + column)
                if column + 1 < side { edges.append(.init(from: node, to: node + 1, length: 100, twoWay: true)) }
                if row + 1 < side { edges.append(.init(from: node, to: node + Int32(side), length: 100, twoWay: true)) }
            }
        }
        let graph = try RoadGraph(
            nodeIDs: (0..<Int64(side * side)).map { $0 },
            latitudes: (0..<side * side).map { 35.7 + Double($0 / side) * 0.0009 },
            longitudes: (0..<side * side).map { 139.6 + Double($0 % side) * 0.0011 }, edges: edges)
        let router = Router(graph: graph)
        let hierarchy = router.customized.hierarchy
        #expect(Set(hierarchy.nodeAt).count == side * side)
        #expect(hierarchy.split.top.count <= 2 * side, "above the split: \(hierarchy.split.top.count) nodes")
        #expect(hierarchy.eliminationTreeHeight < 6 * side, "height \(hierarchy.eliminationTreeHeight)")
        // Perfect customization: every arc the searches keep weighs the distance between its
        // ends, and arcs whose only lower path is a detour are dropped.
        func manhattan(_ a: Int, _ b: Int) -> Double {
            Double(abs(a / side - b / side) + abs(a % side - b % side)) * 100
        }
        for search in [router.customized.upward, router.customized.downward] {
            for x in 0..<hierarchy.nodeCount {
                for entry in Int(search.offsets[x])..<Int(search.offsets[x + 1]) {
                    let arc = search.arcs[entry]
                    let ends = (Int(hierarchy.nodeAt[x]), Int(hierarchy.nodeAt[Int(arc.head)]))
                    #expect(abs(arc.weight - manhattan(ends.0, ends.1)) < 1e-9)
                }
            }
            #expect(search.count < hierarchy.arcCount, "\(search.count) of \(hierarchy.arcCount) arcs kept")
        }
        var query = PathQuery(router.customized)
        for a in stride(from: 0, to: side * side, by: 37) {
            for b in stride(from: 5, to: side * side, by: 41) {
                let manhattan = manhattan(a, b)
                let found = query.shortestPath(from: [(a, 0)], to: [(b, 0)])
                let path = try #require(found)
                #expect(abs(path.weight - manhattan) < 1e-9 && path.arcs.count == Int(manhattan / 100))
            }
            #expect(
                abs(
                    try router.shelterTree(shelters: [a]).distances[side * side - 1] - Double(
                        2 * side - 2 - a / side - a % side) * 100) < 1e-9)
        }
    }

    /// Closures arriving one by one, each repaired in place, leave the tree a full computation
    /// gives with all of them closed.
    @Test func singleClosureRepairsEqualARecomputation() throws {
        let router = try Self.suginami.get()
        let graph = router.graph
        let shelters = try Self.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        var tree = try router.shelterTree(shelters: shelters)
        var metric = router.metric
        var random = SplitMix64(seed: 27)
        var closed: [Int32] = []
        var onTree = 0
        for _ in 0..<60 {
            // Half on the tree (a node's next hop), half anywhere.
            let edge: Int32
            if closed.count % 2 == 0 {
                let node = Int(random.next() % UInt64(graph.nodeCount))
                let hop = tree.nextHop[node]
                guard hop >= 0,
                    let arc = (Int(graph.offsets[node])..<Int(graph.offsets[node + 1])).first(where: {
                        graph.heads[$0] == hop
                    })
                else { continue }
                edge = graph.arcEdges[arc]
                onTree += 1
            } else {
                edge = Int32(random.next() % UInt64(graph.edgeCount))
            }
            closed.append(edge)
            try metric.close(edges: [edge], in: graph)
            try tree.repair(closing: [edge], graph: graph, metric: metric)
        }
        #expect(onTree >= 25)
        let full = try router.applying(metric).shelterTree(shelters: shelters)
        var worst = 0.0
        for node in 0..<graph.nodeCount {
            #expect(full.distances[node].isFinite == tree.distances[node].isFinite)
            if full.distances[node].isFinite { worst = max(worst, abs(full.distances[node] - tree.distances[node])) }
        }
        #expect(worst < 1e-6, "worst \(worst) m")
        // Repaired next hops still lead to the shelter named, by the distance given.
        for node in stride(from: 0, to: graph.nodeCount, by: 211) where tree.distances[node].isFinite {
            let path = tree.path(from: node)
            #expect(Int(tree.shelter[node]) == path.last!)
            #expect(shelters.contains(path.last!))
        }
    }

    /// Edge and node numbers the network does not have, and a metric or tree made for another
    /// network, are refused with what is wrong, before anything changes.
    @Test func unknownEdgesAndNodesAreRefusedBeforeAnythingChanges() throws {
        let router = try Self.suginami.get()
        let graph = router.graph
        let shelters = try Self.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = try router.shelterTree(shelters: shelters)
        // An edge on the tree, so a repair that went ahead would change it.
        let node = (0..<graph.nodeCount).first { tree.nextHop[$0] >= 0 }!
        let onTree = graph.arcEdges[
            (Int(graph.offsets[node])..<Int(graph.offsets[node + 1])).first { graph.heads[$0] == tree.nextHop[node] }!]
        let beyond = Int32(graph.edgeCount)
        #expect(throws: NetworkMismatch.unknownEdge(beyond, edgeCount: graph.edgeCount)) {
            try RoadMetric(graph: graph, closedEdges: [onTree, beyond])
        }
        var metric = router.metric
        #expect(throws: NetworkMismatch.unknownEdge(-1, edgeCount: graph.edgeCount)) {
            try metric.close(edges: [onTree, -1], in: graph)
        }
        #expect(metric == router.metric)
        try metric.close(edges: [onTree], in: graph)
        var repaired = tree
        #expect(throws: NetworkMismatch.unknownEdge(beyond, edgeCount: graph.edgeCount)) {
            try repaired.repair(closing: [onTree, beyond], graph: graph, metric: metric)
        }
        #expect(repaired.distances == tree.distances && repaired.nextHop == tree.nextHop)
        #expect(
            NetworkMismatch.unknownEdge(beyond, edgeCount: graph.edgeCount).description
                == "edge \(beyond) is not in the network: it has \(graph.edgeCount) edges, numbered 0 to \(beyond - 1)")
        // Shelters or targets the network does not have.
        #expect(throws: NetworkMismatch.unknownNode(graph.nodeCount, nodeCount: graph.nodeCount)) {
            try router.shelterTree(shelters: [0, graph.nodeCount])
        }
        #expect(throws: NetworkMismatch.unknownNode(-1, nodeCount: graph.nodeCount)) {
            try router.customized.distances(toNearestOf: [-1])
        }
        // A metric or penalties of another network.
        let line = try ShelterAssignmentTests.line()
        var lineMetric = RoadMetric(graph: line)
        #expect(throws: NetworkMismatch.otherNetwork("the metric", expected: graph.edgeCount, found: line.edgeCount)) {
            try lineMetric.close(edges: [0], in: graph)
        }
        #expect(throws: NetworkMismatch.otherNetwork("the metric", expected: line.edgeCount, found: graph.edgeCount)) {
            try repaired.repair(closing: [0], graph: line, metric: metric)
        }
        let linePenalties = try EdgePenalties(graph: line, areas: [])
        #expect(throws: NetworkMismatch.otherNetwork("penalties", expected: graph.edgeCount, found: line.edgeCount)) {
            try RoadMetric(graph: graph, penalties: linePenalties)
        }
    }

    @Test func syntheticSuginamiEqualsScipy() throws {
        let router = try Self.suginami.get()
        let graph = router.graph
        #expect(graph.nodeCount == 21_777 && graph.edgeCount == 31_616 && graph.arcCount == 63_232)
        try Self.check(router: router, network: "suginami_synth_v1")
    }

    /// A real OpenStreetMap sample as the peer script made its junction graph (`NAME_nodes.csv.gz`
    /// and `NAME_edges.csv.gz` beside its SciPy distances).
    static func realSample(_ name: String) throws -> RoadGraph {
        try RoadNetworkCSV.read(
            nodes: reference.appendingPathComponent("\(name)_nodes.csv.gz"),
            edges: reference.appendingPathComponent("\(name)_edges.csv.gz"))
    }

    @Test func realShibuyaSampleEqualsScipy() throws {
        let graph = try Self.realSample("shibuya_real_osm")
        #expect(graph.nodeCount == 2_174)
        try Self.check(router: Router(graph: graph), network: "shibuya_real_osm")
    }

    @Test func realNerimaSampleEqualsScipy() throws {
        let graph = try Self.realSample("nerima_real_osm")
        #expect(graph.nodeCount == 1_084)
        try Self.check(router: Router(graph: graph), network: "nerima_real_osm")
    }

    @Test func treePathsFollowTheDistances() throws {
        let router = try Self.suginami.get()
        let graph = router.graph
        let shelters = try Self.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = try router.shelterTree(shelters: shelters)
        for node in stride(from: 0, to: graph.nodeCount, by: 997) where tree.distances[node].isFinite {
            let path = tree.path(from: node)
            #expect(shelters.contains(path.last!))
            #expect(Int(tree.shelter[node]) == path.last!)
            // The path's length is the node's distance.
            var length = 0.0
            for (a, b) in zip(path, path.dropFirst()) {
                let arcs = Int(graph.offsets[a])..<Int(graph.offsets[a + 1])
                length += arcs.filter { graph.heads[$0] == Int32(b) }.map { graph.lengths[$0] }.min()!
            }
            #expect(abs(length - tree.distances[node]) < 1e-6)
        }
    }

    @Test func badNetworkFilesAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("roads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let nodes = directory.appendingPathComponent("n.csv")
        let edges = directory.appendingPathComponent("e.csv")
        try "id,lon,lat\n0,139.6,35.7\n1,139.61,35.7\n".write(to: nodes, atomically: true, encoding: .utf8)
        func problem(_ edgeText: String) -> String {
            do {
                try edgeText.write(to: edges, atomically: true, encoding: .utf8)
                _ = try RoadNetworkCSV.read(nodes: nodes, edges: edges)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("u,v,length_m\n0,5,10\n").contains("e.csv:2: edge 0–5 references a missing node"))
        #expect(problem("u,v,length_m\n0,1,-3\n").contains("e.csv:2: length -3"))
        #expect(problem("u,v,length_m\n0,1,nan\n").contains("e.csv:2:"))
        #expect(problem("a,b\n").contains("header"))
        #expect(problem("u,v,length_m\n0,1,10\n").isEmpty)
        // No roads, and a length no road has: refused (a crash in the snapping index and the
        // instructions before).
        #expect(problem("u,v,length_m\n").contains("routing needs at least one road"))
        #expect(problem("u,v,length_m\n0,1,9.2e19\n").contains("at most 1,000 km"))
        // A truncated gzip stream is an error, not a short file.
        let whole = try Data(contentsOf: Self.reference.appendingPathComponent("suginami_synth_v1_shelters.csv.gz"))
        #expect(throws: GzipError.self) { try Gzip.decompress(whole.prefix(whole.count / 2)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data([0x1f, 0x8b, 0, 1, 2, 3, 4, 5, 6, 7])) }
    }
}

@Suite("Routing: OpenStreetMap XML")
struct OSMXMLReaderTests {
    static func temporary(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("osm-\(UUID().uuidString).osm")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The real Shibuya sample gives the peer script's junction graph, node for node, and the
    /// same shelter distances within the sphere/ellipsoid difference (the script measures on a
    /// sphere, we on GRS80).
    @Test func realShibuyaSampleGivesTheScriptsJunctionGraph() throws {
        let compressed = try Data(
            contentsOf: RoutingTests.reference.appendingPathComponent("shibuya_overpass_2025-07-02.osm.gz"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shibuya-\(UUID().uuidString).osm")
        try Gzip.decompress(compressed).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let (graph, report) = try OSMXMLReader.read(url)
        #expect(graph.nodeCount == 2_174)
        #expect(report.waysUsed > 0 && report.nodesOutsideLargestComponent > 0)
        #expect(graph.names.contains { !$0.isEmpty })
        let shelters = try RoutingTests.table("shibuya_real_osm_shelters.csv").map { Int($0[1])! }
        let tree = try Router(graph: graph).shelterTree(shelters: shelters)
        var worst = 0.0
        for row in try RoutingTests.table("shibuya_real_osm_dist.csv") {
            let node = Int(row[0])!
            let expected = Double(row[1])!
            #expect(tree.distances[node].isFinite == expected.isFinite)
            if expected > 10 { worst = max(worst, abs(tree.distances[node] - expected) / expected) }
        }
        #expect(worst < 0.005, "worst relative difference \(worst)")
    }

    @Test func drivingProfileRespectsOnewayAndAccess() throws {
        let url = try Self.temporary(
            """
            <?xml version="1.0"?><osm version="0.6">
            <node id="1" lat="35.70" lon="139.60"/><node id="2" lat="35.70" lon="139.601"/>
            <node id="3" lat="35.70" lon="139.602"/><node id="4" lat="35.701" lon="139.602"/>
            <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/><tag k="name" v="テスト通り"/></way>
            <way id="11"><nd ref="2"/><nd ref="3"/><nd ref="99"/><tag k="highway" v="residential"/></way>
            <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="footway"/></way>
            <way id="13"><nd ref="1"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="access" v="private"/></way>
            </osm>
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let (driving, report) = try OSMXMLReader.read(url, profile: .driving)
        #expect(report.missingNodeReferences == 1)
        #expect(driving.nodeCount == 3 && driving.edgeCount == 2 && driving.arcCount == 3)  // oneway 1→2, two-way 2–3
        // Towards node 3: from 1 via 2 (≈181 m), but nothing leads back to 1.
        let router = Router(graph: driving)
        let toThree = try router.shelterTree(shelters: [2])
        #expect(abs(toThree.distances[0] - 181.0) < 1 && toThree.distances[1] > 90)
        let toOne = try router.shelterTree(shelters: [0])
        #expect(toOne.distances[1].isInfinite && toOne.distances[2].isInfinite)
        #expect(driving.names.contains("テスト通り"))
        let (walking, _) = try OSMXMLReader.read(url, profile: .walking)
        #expect(walking.nodeCount == 4)  // the footway joins; the private road does not
    }

    /// On foot, `foot` overrides `access`: a closed road open to pedestrians is walked, a road
    /// closed to pedestrians is not, whatever `access` says.
    @Test func walkingFollowsFootOverAccess() throws {
        let url = try Self.temporary(
            """
            <?xml version="1.0"?><osm version="0.6">
            <node id="1" lat="35.70" lon="139.60"/><node id="2" lat="35.70" lon="139.601"/>
            <node id="3" lat="35.70" lon="139.602"/><node id="4" lat="35.701" lon="139.602"/>
            <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="service"/><tag k="access" v="no"/><tag k="foot" v="yes"/></way>
            <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
            <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="access" v="yes"/><tag k="foot" v="no"/></way>
            </osm>
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let (walking, report) = try OSMXMLReader.read(url, profile: .walking)
        #expect(report.waysUsed == 2 && walking.nodeCount == 3)
        // Oneway does not bind a pedestrian: from 3 back to 1.
        let tree = try Router(graph: walking).shelterTree(shelters: [0])
        #expect(tree.distances.allSatisfy { $0.isFinite })
        let (driving, _) = try OSMXMLReader.read(url, profile: .driving)
        #expect(driving.edgeCount == 2)  // access=no closes way 10 to cars; way 12 is open to them
    }

    /// A wheelchair takes the ramp round, never the steps, and no way tagged wheelchair=no.
    @Test func wheelchairAvoidsStepsAndWheelchairNo() throws {
        let url = try Self.temporary(
            """
            <?xml version="1.0"?><osm version="0.6">
            <node id="1" lat="35.70" lon="139.60"/><node id="2" lat="35.70" lon="139.601"/>
            <node id="3" lat="35.701" lon="139.6005"/><node id="4" lat="35.70" lon="139.602"/>
            <way id="20"><nd ref="1"/><nd ref="2"/><tag k="highway" v="steps"/></way>
            <way id="21"><nd ref="1"/><nd ref="3"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="name" v="スロープ"/></way>
            <way id="22"><nd ref="2"/><nd ref="4"/><tag k="highway" v="footway"/><tag k="wheelchair" v="no"/></way>
            </osm>
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let (walking, _) = try OSMXMLReader.read(url, profile: .walking)
        let (wheelchair, report) = try OSMXMLReader.read(url, profile: .wheelchair)
        #expect(report.waysUsed == 1)
        #expect(walking.nodeCount == 3 && wheelchair.nodeCount == 2)  // junctions: 1, 2 (and 4 on foot)
        let onFoot = try Router(graph: walking).shelterTree(shelters: [1])
        let rolling = try Router(graph: wheelchair).shelterTree(shelters: [1])
        // On foot the steps (about 90 m); in a wheelchair the ramp round (about 2 × 123 m).
        #expect(abs(onFoot.distances[0] - 90.6) < 1, "\(onFoot.distances)")
        #expect(rolling.distances[0] > 200, "\(rolling.distances)")
        #expect(wheelchair.names.contains("スロープ"))
    }

    /// On foot the steps are kept and the instructions name them, in every language; the
    /// network file keeps which edges are steps.
    @Test func stepsAreKeptAndNamedInTheInstructions() throws {
        let url = try Self.temporary(
            """
            <?xml version="1.0"?><osm version="0.6">
            <node id="1" lat="35.70" lon="139.60"/><node id="2" lat="35.70" lon="139.601"/>
            <node id="3" lat="35.7008" lon="139.601"/><node id="4" lat="35.7008" lon="139.602"/>
            <way id="30"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="坂上通り"/></way>
            <way id="31"><nd ref="2"/><nd ref="3"/><tag k="highway" v="steps"/><tag k="name" v="八幡坂"/></way>
            <way id="32"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="坂上通り"/></way>
            </osm>
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let (graph, _) = try OSMXMLReader.read(url, profile: .walking)
        #expect((0..<graph.edgeCount).count { graph.isSteps(edge: $0) } == 1)
        let file = RoadNetworkFileTests.temporary()
        defer { try? FileManager.default.removeItem(at: file) }
        try RoadNetwork(graph: graph, note: "test").save(to: file)
        let network = try RoadNetwork.load(.saved(file))
        #expect((0..<graph.edgeCount).allSatisfy { network.graph.isSteps(edge: $0) == graph.isSteps(edge: $0) })
        let route = try network.router().route(
            from: try GeoPoint(latitude: 35.70, longitude: 139.6002),
            to: try GeoPoint(latitude: 35.7008, longitude: 139.6018))
        #expect(route.legs.map(\.isSteps) == [false, true, false], "\(route.legs.map(\.street))")
        let instructions = RouteInstructions(route: route, destination: "救援所")
        #expect(instructions.steps.map(\.onSteps) == [false, true, false])
        let expected: [RouteLanguage: String] = [
            .english: "the steps（八幡坂）", .japanese: "階段（八幡坂）", .simplifiedChinese: "台阶（八幡坂）",
            .korean: "계단（八幡坂）", .easyJapanese: "かいだん（八幡坂）",
        ]
        for language in RouteLanguage.allCases {
            let sentences = instructions.sentences(language)
            #expect(sentences[1].contains(expected[language]!), "\(language): \(sentences)")
            #expect(!sentences[0].contains(expected[language]!) && !sentences[2].contains(expected[language]!))
        }
        // In a wheelchair the steps are not a way at all: the two streets are apart.
        let (rolling, _) = try OSMXMLReader.read(url, profile: .wheelchair, keepLargestComponent: false)
        #expect(rolling.edgeCount == 2 && (0..<rolling.edgeCount).allSatisfy { !rolling.isSteps(edge: $0) })
        #expect(throws: RoutingError.self) {
            try Router(graph: rolling).route(
                from: try GeoPoint(latitude: 35.70, longitude: 139.6002),
                to: try GeoPoint(latitude: 35.7008, longitude: 139.6018))
        }
    }

    @Test func badFilesAreErrors() throws {
        let broken = try Self.temporary("<osm><node id=\"1\" lat=\"95\" lon=\"139\"/></osm>")
        defer { try? FileManager.default.removeItem(at: broken) }
        #expect(throws: RoadNetworkError.self) { try OSMXMLReader.read(broken) }
        let truncated = try Self.temporary("<osm><node id=\"1\" lat=\"35\" lon=\"139\"/><way id=\"2\"><nd ref=")
        defer { try? FileManager.default.removeItem(at: truncated) }
        #expect(throws: RoadNetworkError.self) { try OSMXMLReader.read(truncated) }
        let empty = try Self.temporary("<osm><node id=\"1\" lat=\"35\" lon=\"139\"/></osm>")
        defer { try? FileManager.default.removeItem(at: empty) }
        do {
            _ = try OSMXMLReader.read(empty)
            Issue.record("a file without ways was accepted")
        } catch {
            #expect(error.description.contains("no way usable for walking"))
        }
    }
}

@Suite("Routing: snapping and routes")
struct RouterTests {
    /// Routes from node to node equal the all-nodes sweep towards the destination (a separate
    /// search over the same customization, itself checked against SciPy above).
    @Test func pointToPointEqualsTheSweepFromNodes() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        var random = SplitMix64(seed: 8)
        for _ in 0..<25 {
            let a = Int(random.next() % UInt64(graph.nodeCount))
            let b = Int(random.next() % UInt64(graph.nodeCount))
            let reference = try router.customized.distances(toNearestOf: [b])[a]
            let route = try router.route(from: graph.position(of: a), to: graph.position(of: b))
            #expect(abs(route.length - reference) < 1e-6, "\(a) → \(b): \(route.length) vs \(reference)")
            #expect(route.accessDistance < 1e-6)
            #expect(route.points.count >= 2)
        }
    }

    @Test func midEdgePointsAndSymmetry() throws {
        let router = try RoutingTests.suginami.get()
        let a = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        let b = try GeoPoint(latitude: 35.7050, longitude: 139.6480)
        let there = try router.route(from: a, to: b)
        let back = try router.route(from: b, to: a)
        #expect(abs(there.length - back.length) < 1e-6)
        // The polyline's own length agrees with the network length (straight edges; haversine
        // lengths in the data against GRS80 here: within 0.5 %).
        let drawn = Geodesic.grs80.length(of: there.points)
        #expect(abs(drawn - there.length) / there.length < 0.005, "\(drawn) vs \(there.length)")
        let answer = RouteAnswer(route: there, destination: .position(b), networkNote: "synthetic")
        let feature = try JSONSerialization.jsonObject(with: Data(answer.geoJSONFeature().serialized().utf8))
        let geometry = (feature as? [String: Any])?["geometry"] as? [String: Any]
        #expect(geometry?["type"] as? String == "LineString")
        #expect((geometry?["coordinates"] as? [[Double]])?.count == there.points.count)
        #expect(((feature as? [String: Any])?["properties"] as? [String: Any])?["length_m"] as? Double != nil)
    }

    @Test func routeToShelterFollowsTheTree() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = try router.shelterTree(shelters: shelters)
        for node in stride(from: 13, to: graph.nodeCount, by: 1_501) {
            let route = try router.routeToShelter(from: graph.position(of: node), tree: tree)
            #expect(abs(route.length - tree.distances[node]) < 1e-6)
            #expect(shelters.contains(route.nodes.last!))
        }
    }

    @Test func offNetworkAndClosedRoadsAreClearErrors() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let sea = try GeoPoint(latitude: 35.0, longitude: 140.5)
        #expect(throws: RoutingError.self) { try router.route(from: sea, to: graph.position(of: 0)) }
        do {
            _ = try router.route(from: sea, to: graph.position(of: 0))
        } catch {
            #expect(error.description.contains("more than 1000 m from every road"))
        }
        // Close every edge: nothing is reachable, and the error says so.
        let closedEverywhere = router.applying(
            try RoadMetric(graph: graph, closedEdges: Set(0..<Int32(graph.edgeCount))))
        do {
            _ = try closedEverywhere.route(from: graph.position(of: 10), to: graph.position(of: 5_000))
            Issue.record("a route over closed roads")
        } catch {
            #expect(error.description.contains("every road within 1000 m of"), "\(error.description)")
        }
    }

    /// A position whose own roads are closed is routed from the nearest open road that leads to a
    /// shelter (the walk to it counted as access), not refused; a position on a node whose first
    /// road is closed is routed by its open ones (no 0·∞).
    @Test func closedRoadsAtTheOriginAreSteppedOver() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let node = (0..<graph.nodeCount).first {
            !shelters.contains($0) && graph.offsets[$0 + 1] - graph.offsets[$0] >= 3
        }!
        let arcs = Int(graph.offsets[node])..<Int(graph.offsets[node + 1])
        let around = Set(arcs.map { graph.arcEdges[$0] })
        let cut = router.applying(try RoadMetric(graph: graph, closedEdges: around))
        let tree = try cut.shelterTree(shelters: shelters)
        #expect(tree.distances[node].isInfinite)
        let here = graph.position(of: node)
        let way = try cut.routeToShelter(from: here, tree: tree)
        #expect(way.length.isFinite && way.cost.isFinite && way.accessDistance > 0)
        #expect(!way.nodes.contains(node))
        #expect(shelters.contains(way.nodes.last!))
        let toShelter = try cut.route(from: here, to: graph.position(of: shelters[0]))
        #expect(toShelter.length.isFinite && toShelter.accessDistance > 0)

        // Only the first road at the node closed: routed by the others, from the node itself.
        let first = router.applying(try RoadMetric(graph: graph, closedEdges: [graph.arcEdges[arcs.lowerBound]]))
        let firstTree = try first.shelterTree(shelters: shelters)
        let fromNode = try first.routeToShelter(from: here, tree: firstTree)
        #expect(!fromNode.cost.isNaN && abs(fromNode.length - firstTree.distances[node]) < 1e-6)
    }

    /// An origin cut off by closures for more than the snapping distance gets the nearest
    /// position that still has a route.
    @Test func aCutOffOriginIsToldTheNearestReachablePosition() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let node = (0..<graph.nodeCount).first {
            !shelters.contains($0) && graph.offsets[$0 + 1] - graph.offsets[$0] >= 3
        }!
        let here = graph.position(of: node)
        // Close every road with an end within 1.2 km: nothing near reaches a shelter.
        let near = Set(
            (0..<graph.edgeCount).filter { edge in
                [graph.from(ofEdge: edge), graph.to(ofEdge: edge)].contains {
                    Geodesic.grs80.distance(from: here, to: graph.position(of: $0)) < 1_200
                }
            }.map { Int32($0) })
        let cut = router.applying(try RoadMetric(graph: graph, closedEdges: near))
        let tree = try cut.shelterTree(shelters: shelters)
        do {
            _ = try cut.routeToShelter(from: here, tree: tree)
            Issue.record("a route from a cut-off position")
        } catch {
            #expect(error.description.contains("the nearest position that reaches one"), "\(error.description)")
            #expect(error.description.contains("m away in a straight line"))
        }
    }
}

@Suite("Routing: shelter capacity")
struct ShelterAssignmentTests {
    /// A line 0 — 1 — 2 — 3 of 100 m edges; shelters at both ends.
    static func line() throws -> RoadGraph {
        let ids: [Int64] = [0, 1, 2, 3]
        return try RoadGraph(
            nodeIDs: ids, latitudes: [35.70, 35.70, 35.70, 35.70], longitudes: [139.600, 139.601, 139.602, 139.603],
            edges: (0..<3).map { RoadGraph.Edge(from: Int32($0), to: Int32($0 + 1), length: 100, twoWay: true) })
    }

    @Test func capacityPushesPeopleToTheFartherShelter() throws {
        let result = try ShelterAssignment.solve(
            demands: [.init(id: "A", node: 1, people: 30), .init(id: "B", node: 2, people: 20)],
            shelters: [.init(id: "west", node: 0, capacity: 25), .init(id: "east", node: 3, capacity: 100)],
            router: Router(graph: try Self.line()))
        // Optimal: A sends 25 west (100 m) and 5 east (200 m); B 20 east (100 m): 5,500 person-metres.
        let optimum: Double = 5_500
        #expect(result.personMetres == optimum)
        #expect(result.unplaced.isEmpty && result.verifiedOptimal)
        let west = result.flows.filter { $0.shelter == "west" }.reduce(0) { $0 + $1.people }
        #expect(west == 25)
    }

    @Test func whoCannotBePlacedIsReported() throws {
        let result = try ShelterAssignment.solve(
            demands: [.init(id: "A", node: 1, people: 30), .init(id: "B", node: 2, people: 20)],
            shelters: [.init(id: "west", node: 0, capacity: 10), .init(id: "east", node: 3, capacity: 15)],
            router: Router(graph: try Self.line()))
        #expect(result.unplaced.values.reduce(0, +) == 25)
        #expect(result.flows.reduce(0) { $0 + $1.people } == 25 && result.verifiedOptimal)
        // Closing the middle edge cuts A's way east and B's way west.
        let line = try Self.line()
        let cut = try ShelterAssignment.solve(
            demands: [.init(id: "A", node: 1, people: 30)], shelters: [.init(id: "east", node: 3, capacity: 100)],
            router: Router(graph: line, metric: try RoadMetric(graph: line, closedEdges: [1])))
        #expect(cut.unplaced["A"] == 30 && cut.flows.isEmpty)
    }

    @Test func optimalOnTheSyntheticNetworkAndNoWorseThanGreedy() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        var random = SplitMix64(seed: 4)
        let demands = (0..<40).map {
            ShelterAssignment.Demand(
                id: "d\($0)", node: Int(random.next() % UInt64(graph.nodeCount)), people: 100 + Int(random.next() % 900)
            )
        }
        let shelters = (0..<8).map {
            ShelterAssignment.Shelter(
                id: "s\($0)", node: Int(random.next() % UInt64(graph.nodeCount)),
                capacity: 1_500 + Int(random.next() % 2_000))
        }
        let result = try ShelterAssignment.solve(demands: demands, shelters: shelters, router: router)
        #expect(result.verifiedOptimal)
        let totalDemand = demands.reduce(0) { $0 + $1.people }
        let totalCapacity = shelters.reduce(0) { $0 + $1.capacity }
        #expect(result.flows.reduce(0) { $0 + $1.people } == min(totalDemand, totalCapacity))
        for shelter in shelters {
            #expect(result.flows.filter { $0.shelter == shelter.id }.reduce(0) { $0 + $1.people } <= shelter.capacity)
        }
        // Greedy: each demand in turn to its nearest shelter with room.
        let distances = try shelters.map { try router.shelterTree(shelters: [$0.node]).distances }
        var room = shelters.map(\.capacity)
        var greedy = 0.0
        for demand in demands {
            var left = demand.people
            for j in shelters.indices.sorted(by: { distances[$0][demand.node] < distances[$1][demand.node] })
            where left > 0 {
                let sent = min(left, room[j])
                room[j] -= sent
                left -= sent
                greedy += Double(sent) * distances[j][demand.node]
            }
        }
        #expect(result.personMetres <= greedy + 1e-6)
    }
}

@Suite("Routing: no-go areas")
struct HazardAreaTests {
    static func square(_ south: Double, _ west: Double, _ north: Double, _ east: Double) throws -> GeoMultiPolygon {
        let ring = try [(south, west), (south, east), (north, east), (north, west), (south, west)].map {
            try GeoPoint(latitude: $0.0, longitude: $0.1)
        }
        return try GeoMultiPolygon([try GeoPolygon(rings: [ring])])
    }

    @Test func areasCloseTheEdgesTheyTouchAndRoutesGoAround() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let area = try Self.square(35.700, 139.640, 35.704, 139.645)
        let closed = HazardAreas.closedEdges(in: graph, areas: [area])
        #expect(!closed.isEmpty)
        // Every edge with an end inside is closed; no edge far away is.
        for edge in 0..<graph.edgeCount {
            let ends = [graph.position(of: graph.from(ofEdge: edge)), graph.position(of: graph.to(ofEdge: edge))]
            if ends.contains(where: { area.contains($0) }) { #expect(closed.contains(Int32(edge))) }
            if ends.allSatisfy({ $0.latitude < 35.69 }) { #expect(!closed.contains(Int32(edge))) }
        }
        // A route across the area is longer with it closed, and keeps out of it.
        let a = try GeoPoint(latitude: 35.702, longitude: 139.636)
        let b = try GeoPoint(latitude: 35.702, longitude: 139.650)
        let direct = try router.route(from: a, to: b)
        let around = try router.applying(try RoadMetric(graph: graph, closedEdges: closed)).route(from: a, to: b)
        #expect(around.length > direct.length)
        #expect(around.nodes.allSatisfy { !area.contains(graph.position(of: $0)) })
    }

    /// Penalty areas weight the edges they touch: a small factor keeps the direct route (its cost
    /// grows), a large one sends it around like a closure; the tree's weighted distances equal the
    /// weighted cost of the route to the shelter.
    @Test func penaltyAreasWeightTheirEdges() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let area = try Self.square(35.700, 139.640, 35.704, 139.645)
        let a = try GeoPoint(latitude: 35.702, longitude: 139.636)
        let b = try GeoPoint(latitude: 35.702, longitude: 139.650)
        let direct = try router.route(from: a, to: b)
        #expect(abs(direct.cost - direct.length) < 1e-9)
        let mild = try EdgePenalties(graph: graph, areas: [(area, 1.01)])
        #expect(mild.penalisedCount == HazardAreas.closedEdges(in: graph, areas: [area]).count)
        let mildly = router.applying(try RoadMetric(graph: graph, penalties: mild))
        let through = try mildly.route(from: a, to: b)
        #expect(abs(through.length - direct.length) < 1e-6 && through.cost > direct.cost)
        let severe = try EdgePenalties(graph: graph, areas: [(area, 1_000)])
        let around = try router.applying(try RoadMetric(graph: graph, penalties: severe)).route(from: a, to: b)
        let closed = try router.applying(
            try RoadMetric(graph: graph, closedEdges: HazardAreas.closedEdges(in: graph, areas: [area]))
        ).route(from: a, to: b)
        #expect(abs(around.length - closed.length) < 1e-6 && abs(around.cost - around.length) < 1e-6)
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = try mildly.shelterTree(shelters: shelters)
        for node in stride(from: 7, to: graph.nodeCount, by: 2_003) {
            let route = try mildly.routeToShelter(from: graph.position(of: node), tree: tree)
            #expect(abs(route.cost - tree.distances[node]) < 1e-6)
            #expect(route.length <= route.cost + 1e-9)
        }
        #expect(throws: PenaltyError.self) { try EdgePenalties(graph: graph, areas: [(area, 0.5)]) }
    }

    @Test func aThinAreaAcrossAnEdgeClosesIt() throws {
        // Two nodes 200 m apart east–west, and a 2 m wide strip across the middle: no end inside.
        let graph = try RoadGraph(
            nodeIDs: [0, 1], latitudes: [35.70, 35.70], longitudes: [139.600, 139.6022],
            edges: [RoadGraph.Edge(from: 0, to: 1, length: 200, twoWay: true)])
        let strip = try Self.square(35.699, 139.60109, 35.701, 139.60111)
        #expect(HazardAreas.closedEdges(in: graph, areas: [strip]) == [0])
        let aside = try Self.square(35.702, 139.60109, 35.703, 139.60111)
        #expect(HazardAreas.closedEdges(in: graph, areas: [aside]).isEmpty)
    }
}

@Suite("Routing: snapping long edges")
struct EdgeLocatorTests {
    /// An edge with 5,000 shape points (a long winding way): its last pieces are snapped too.
    @Test func everySegmentOfALongEdgeIsIndexed() throws {
        let shape = try (1..<5_000).map { try GeoPoint(latitude: 35.70, longitude: 139.60 + Double($0) * 1e-5) }
        let graph = try RoadGraph(
            nodeIDs: [0, 1], latitudes: [35.70, 35.70], longitudes: [139.60, 139.65],
            edges: [RoadGraph.Edge(from: 0, to: 1, length: 4_520, twoWay: true, shape: shape)])
        let locator = EdgeLocator(graph: graph)
        let nearEnd = try GeoPoint(latitude: 35.7001, longitude: 139.6498)
        let snap = try #require(locator.snap(nearEnd))
        #expect(snap.segment > 4_096 && snap.distance < 12, "segment \(snap.segment)")
        #expect(locator.nearestNode(to: nearEnd) == 1)
    }
}

@Suite("Routing: instructions")
struct RouteInstructionTests {
    /// A hand-made L: 200 m north on 本天沼通り, then 100 m east on 早稲田通り (OSM XML).
    static func lGraph() throws -> RoadGraph {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <osm version="0.6">
              <node id="1" lat="35.7000" lon="139.6300"/>
              <node id="2" lat="35.7018" lon="139.6300"/>
              <node id="3" lat="35.7018" lon="139.6311"/>
              <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="本天沼通り"/></way>
              <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="早稲田通り"/></way>
            </osm>
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("l-\(UUID().uuidString).osm")
        try Data(xml.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try OSMXMLReader.read(url).graph
    }

    @Test func anLShapedRouteReadsTheSameInFiveLanguages() throws {
        let graph = try Self.lGraph()
        let route = try Router(graph: graph).route(from: graph.position(of: 0), to: graph.position(of: 2))
        #expect(route.legs.count >= 2)
        #expect(abs(route.legs.reduce(0) { $0 + $1.length } - route.length) < 1e-6)
        let instructions = RouteInstructions(route: route, destination: "杉並第七小学校")
        #expect(instructions.steps.count == 2)
        guard case .depart(let compass) = instructions.steps[0].action else { throw CancellationError() }
        #expect(compass == 0)  // north
        guard case .turn(let degrees) = instructions.steps[1].action else { throw CancellationError() }
        #expect(degrees > 60 && degrees < 120)  // a right turn
        #expect(
            instructions.sentences(.english) == [
                "Head north on 本天沼通り for 200 m.", "Turn right onto 早稲田通り and walk 100 m.", "Arrive at 杉並第七小学校.",
            ])
        #expect(instructions.sentences(.japanese)[1] == "右に曲がり、早稲田通りを100メートル進みます。")
        #expect(instructions.sentences(.simplifiedChinese)[1] == "右转进入早稲田通り，走100米。")
        #expect(instructions.sentences(.korean)[0] == "本天沼通り을(를) 따라 북쪽으로 200미터 가세요.")
        #expect(instructions.sentences(.easyJapanese)[2] == "杉並第七小学校に つきました。")
        for language in RouteLanguage.allCases { #expect(instructions.sentences(language).count == 3) }
        // To a position with no name: "the destination" in each language, not in English everywhere.
        let unnamed = RouteAnswer(route: route, destination: .position(graph.position(of: 2)), networkNote: "")
        let arrivals = RouteLanguage.allCases.map { language in
            var answer = unnamed
            answer.language = language
            return
                (answer.json()["instructions"].flatMap { value -> String? in
                    if case .array(let lines) = value, case .string(let last)? = lines.last { return last }
                    return nil
                }) ?? ""
        }
        #expect(
            Set(arrivals) == ["目的地に到着します。", "Arrive at the destination.", "到达目的地。", "목적지에 도착합니다.", "いきたい ところに つきました。"],
            "\(arrivals)")
    }

    /// On the real Shibuya sample: steps cover the whole route and carry its street names.
    @Test func realStreetNamesAppearInTheSteps() throws {
        let compressed = try Data(
            contentsOf: RoutingTests.reference.appendingPathComponent("shibuya_overpass_2025-07-02.osm.gz"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shibuya-\(UUID().uuidString).osm")
        try Gzip.decompress(compressed).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let (graph, _) = try OSMXMLReader.read(url)
        let router = Router(graph: graph)
        var named = 0
        for (a, b) in [(10, 2_000), (500, 1_500), (1_000, 40)] {
            let route = try router.route(from: graph.position(of: a), to: graph.position(of: b))
            let instructions = RouteInstructions(route: route, destination: "X")
            #expect(abs(instructions.steps.reduce(0) { $0 + $1.distance } - route.length) < 1e-6)
            named += instructions.steps.filter { !$0.street.isEmpty }.count
        }
        #expect(named > 0)
    }
}

@Suite("Routing: OSM PBF")
struct OSMPBFTests {
    static let file = RoutingTests.reference.appendingPathComponent("suginami_synth_v1.osm.pbf")

    /// The synthetic Suginami network as PBF gives the graph of its CSV lists: the same nodes by
    /// id, the same edges, lengths within the sphere/ellipsoid difference, and shelter distances
    /// within 0.5 % of SciPy's on the CSV.
    @Test func pbfGivesTheGraphOfTheCSVLists() throws {
        let (graph, report) = try OSMPBFReader.read(Self.file, keepLargestComponent: false)
        let csv = try RoadNetworkCSV.bundledSyntheticSuginami()
        #expect(report.missingNodeReferences == 0)
        #expect(graph.nodeCount == csv.nodeCount, "\(graph.nodeCount) vs \(csv.nodeCount)")
        #expect(graph.edgeCount == csv.edgeCount, "\(graph.edgeCount) vs \(csv.edgeCount)")
        let total = (0..<graph.edgeCount).reduce(0.0) { $0 + graph.edgeLengths[$1] }
        let csvTotal = (0..<csv.edgeCount).reduce(0.0) { $0 + csv.edgeLengths[$1] }
        #expect(abs(total - csvTotal) / csvTotal < 0.005, "\(total) vs \(csvTotal)")
        // The PBF numbers nodes from 1 where the CSV lists number them from 0.
        let shift = (graph.nodeIDs.min() ?? 0) - (csv.nodeIDs.min() ?? 0)
        let unmatched = Set(graph.nodeIDs.map { $0 - shift }).symmetricDifference(Set(csv.nodeIDs)).count
        #expect(shift == 1 && unmatched == 0, "shift \(shift), \(unmatched) ids unmatched")
    }

    /// Truncated files, corrupt zlib and files that are not PBF are named errors, not crashes.
    @Test func damagedFilesAreErrors() throws {
        let bytes = try Data(contentsOf: Self.file)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pbf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func read(_ data: Data) -> String {
            let url = directory.appendingPathComponent("t.osm.pbf")
            try? data.write(to: url)
            do {
                _ = try OSMPBFReader.read(url)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(read(bytes.prefix(bytes.count / 2)).contains("truncated"))
        var corrupt = bytes
        // Flip bytes well inside the first data blob's zlib stream.
        for offset in 400..<440 { corrupt[offset] ^= 0x5A }
        let corrupted = read(corrupt)
        #expect(corrupted.contains("byte ") && corrupted != "accepted", "\(corrupted)")
        #expect(read(Data("<osm></osm>".utf8)).contains("byte 0"))
        #expect(read(Data()).contains("no OSMHeader"))
    }
}

@Suite("Routing: network file")
struct RoadNetworkFileTests {
    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("network-\(UUID().uuidString).sgknet")
    }

    /// Written and read back, the network answers exactly as before: same arrays, same
    /// hierarchy, the same tree and the same routes.
    @Test func roundTripGivesTheSameNetwork() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try RoadNetworkFile.write(
            graph: graph, hierarchy: router.customized.hierarchy, note: "SYNTHETIC — 合成ネットワーク", to: url)
        let network = try RoadNetworkFile.read(url)
        let (read, hierarchy, note) = (network.graph, network.hierarchy, network.note)
        #expect(note == "SYNTHETIC — 合成ネットワーク")
        #expect(hierarchy == router.customized.hierarchy)
        // The snapping index and the plain customization are read, not made again, and equal
        // what making them gives.
        let locator = network.locator
        #expect(locator.cellStart == router.locator.cellStart && locator.cellSegments == router.locator.cellSegments)
        #expect(locator.segments.map(\.start) == router.locator.segments.map(\.start))
        #expect(locator.edgePlaneLength == router.locator.edgePlaneLength && locator.columns == router.locator.columns)
        let customized = network.customized
        #expect(customized.metric == router.metric)
        #expect(customized.nextUp == router.customized.nextUp && customized.nextDown == router.customized.nextDown)
        #expect(customized.upward.arcs.map(\.weight) == router.customized.upward.arcs.map(\.weight))
        #expect(customized.viaDown.map(\.zy) == router.customized.viaDown.map(\.zy))
        let fromFile = network.router()
        for position in try GuidedShelterSearchTests.positions(50, in: graph, seed: 4) {
            #expect(fromFile.locator.snap(position) == router.locator.snap(position))
            let shelter = graph.position(of: 1_000)
            #expect(
                (try? fromFile.route(from: position, to: shelter)) == (try? router.route(from: position, to: shelter)))
        }
        #expect(read.nodeIDs == graph.nodeIDs && read.latitudes == graph.latitudes)
        #expect(read.offsets == graph.offsets && read.heads == graph.heads && read.lengths == graph.lengths)
        #expect(read.reverseTails == graph.reverseTails && read.edgeTwoWay == graph.edgeTwoWay)
        #expect(read.names == graph.names && read.shapePoints == graph.shapePoints)
        let shelters = try RoutingTests.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let again = Router(graph: read, hierarchy: hierarchy)
        #expect(try again.shelterTree(shelters: shelters).distances == router.shelterTree(shelters: shelters).distances)
        let a = graph.position(of: 100)
        let b = graph.position(of: 20_000)
        #expect(try again.route(from: a, to: b) == router.route(from: a, to: b))
        // Street names survive (the OSM sample has them).
        let compressed = try Data(
            contentsOf: RoutingTests.reference.appendingPathComponent("shibuya_overpass_2025-07-02.osm.gz"))
        let osm = FileManager.default.temporaryDirectory.appendingPathComponent("shibuya-\(UUID().uuidString).osm")
        try Gzip.decompress(compressed).write(to: osm)
        defer { try? FileManager.default.removeItem(at: osm) }
        let (shibuya, _) = try OSMXMLReader.read(osm)
        try RoadNetworkFile.write(graph: shibuya, hierarchy: RoadHierarchy(graph: shibuya), note: "OSM", to: url)
        let named = try RoadNetworkFile.read(url).graph
        #expect(named.names == shibuya.names && named.names.contains { !$0.isEmpty })
        #expect((0..<shibuya.edgeCount).allSatisfy { named.name(ofEdge: $0) == shibuya.name(ofEdge: $0) })
    }

    /// Damaged, truncated, foreign and missing files are errors naming the file and the fault.
    @Test func damagedFilesAreNamedErrors() throws {
        let router = try RoutingTests.suginami.get()
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try RoadNetworkFile.write(graph: router.graph, hierarchy: router.customized.hierarchy, note: "n", to: url)
        let good = try Data(contentsOf: url)
        func problem(_ bytes: Data) -> String {
            do {
                try bytes.write(to: url)
                _ = try RoadNetworkFile.read(url)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(problem(good.prefix(good.count / 2)).contains("truncated"))
        var flipped = good
        flipped[good.count / 3] ^= 0x40
        #expect(problem(flipped).contains("checksum"))
        #expect(problem(Data("<osm version=\"0.6\"></osm>\n".utf8)).contains("magic"))
        var older = good
        older.replaceSubrange(0..<8, with: Array("SGKNET01".utf8))
        #expect(problem(older).contains("older format (SGKNET01)"))
        #expect(problem(Data()).contains("shorter than the 24-byte header"))
        #expect(problem(good).isEmpty)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString)")
        #expect(throws: RoadNetworkFileError.self) { try RoadNetworkFile.read(missing) }
    }

    /// A file whose checksum is right but whose customization could send a search round in
    /// circles (a triangle not below its arc, a next hop off the arc's path) or whose snapping
    /// index points outside the network is refused, not trusted.
    @Test func inconsistentCustomizationOrIndexIsRefused() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let network = RoadNetwork(graph: graph, hierarchy: router.customized.hierarchy, note: "")
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        func refusal(_ broken: RoadNetwork) -> String {
            do {
                try RoadNetworkFile.write(broken, to: url)
                _ = try RoadNetworkFile.read(url)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(refusal(network).isEmpty)
        let customized = network.customized
        let shortcut = try #require(customized.viaUp.firstIndex { $0.zx >= 0 })
        func with(viaUp: [CustomizedHierarchy.Triangle], nextUp: [Int32]) -> RoadNetwork {
            RoadNetwork(
                graph: graph, hierarchy: network.hierarchy, locator: network.locator,
                customized: CustomizedHierarchy(
                    hierarchy: network.hierarchy, metric: customized.metric, upward: customized.upward,
                    downward: customized.downward, next: (FlatArray(nextUp), customized.nextDown),
                    via: (FlatArray(viaUp), customized.viaDown)),
                note: "")
        }
        var circular = customized.viaUp.array
        circular[shortcut] = CustomizedHierarchy.Triangle(zx: Int32(shortcut), zy: Int32(shortcut))
        #expect(refusal(with(viaUp: circular, nextUp: customized.nextUp.array)).contains("not below it"))
        var wrongHop = customized.nextUp.array
        wrongHop[shortcut] = (wrongHop[shortcut] + 1) % Int32(graph.nodeCount)
        #expect(refusal(with(viaUp: customized.viaUp.array, nextUp: wrongHop)).contains("next hop"))
        let locator = network.locator
        var entries = locator.cellSegments.array
        entries[0] = Int32(locator.segments.count)
        let badIndex = RoadNetwork(
            graph: graph, hierarchy: network.hierarchy,
            locator: EdgeLocator(
                graph: graph,
                grid: (locator.cellSize, locator.columns, locator.rows, locator.minEast, locator.minNorth),
                cellStart: locator.cellStart, cellSegments: FlatArray(entries), cellPlane: locator.cellPlane,
                segments: locator.segments, edgePlaneLength: locator.edgePlaneLength,
                maximumDistance: locator.maximumDistance),
            customized: customized, note: "")
        #expect(refusal(badIndex).contains("snapping cell entries"))
    }

    /// Saving over a file that is not a network file (or over a folder) is refused and leaves it
    /// as it was; an older network file is replaced.
    @Test func savingNeverReplacesWhatIsNotANetworkFile() throws {
        let router = try RoutingTests.suginami.get()
        let network = RoadNetwork(graph: router.graph, hierarchy: router.customized.hierarchy, note: "n")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("my notes\n".utf8).write(to: notes)
        #expect(throws: RoadNetworkFileError.self) { try RoadNetworkFile.write(network, to: notes) }
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
        do {
            try RoadNetworkFile.write(network, to: folder)
            Issue.record("a folder was written over")
        } catch {
            #expect(error.description.contains("is a folder"), "\(error)")
        }
        let older = folder.appendingPathComponent("area.sgknet")
        try Data("SGKNET02 and the rest".utf8).write(to: older)
        try RoadNetworkFile.write(network, to: older)
        #expect(try RoadNetworkFile.read(older).graph.nodeCount == router.graph.nodeCount)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["area.sgknet", "notes.txt"])
        // A folder that is not there: said, with the file system's reason.
        do {
            try RoadNetworkFile.write(network, to: folder.appendingPathComponent("missing/area.sgknet"))
            Issue.record("a network was written into a missing folder")
        } catch {
            #expect(
                error.description.contains("cannot write") && error.description.contains("No such file"), "\(error)")
        }
    }

    /// A file whose checksum is right but whose arrays disagree (written by another tool, say)
    /// is refused by the consistency checks, not trusted.
    @Test func inconsistentArraysAreRefused() throws {
        let graph = try ShelterAssignmentTests.line()
        let hierarchy = RoadHierarchy(graph: graph)
        let url = Self.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        var broken = hierarchy
        broken = RoadHierarchy(
            rankOf: broken.rankOf, nodeAt: FlatArray(broken.nodeAt.reversed()), upOffsets: broken.upOffsets,
            upHeads: broken.upHeads, downOffsets: broken.downOffsets,
            downTails: broken.downTails, downArcs: broken.downArcs, parent: broken.parent, arcSlots: broken.arcSlots)
        try RoadNetworkFile.write(graph: graph, hierarchy: broken, note: "", to: url)
        do {
            _ = try RoadNetworkFile.read(url)
            Issue.record("an inconsistent file was read")
        } catch {
            #expect(error.description.contains("not a permutation"), "\(error)")
        }
    }
}
