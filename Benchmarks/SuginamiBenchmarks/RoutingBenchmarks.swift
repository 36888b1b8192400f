import Benchmark
import Foundation
import SuginamiGIS
import SuginamiKit

/// Routing on the SYNTHETIC Suginami-scale network (21,777 nodes, 63,232 arcs): the shelter
/// tree from 65 shelter nodes, before and after closing 5 % of the edges.
func routingBenchmarks() {
    let graph: RoadGraph
    do {
        graph = try RoadNetworkCSV.bundledSyntheticSuginami()
    } catch {
        fatalError("cannot load the synthetic network: \(error)")
    }
    // The 65 relief centres snapped to the network, as the peer script has them.
    let shelters: [Int]
    do {
        let list = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tests/SuginamiGISTests/Reference/routing/suginami_synth_v1_shelters.csv.gz")
        let text = String(decoding: try Gzip.decompress(try Data(contentsOf: list)), as: UTF8.self)
        shelters = text.split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
    } catch {
        fatalError("cannot read the shelter list: \(error)")
    }
    let closed = Set((0..<Int32(graph.edgeCount)).filter { $0 % 20 == 7 })

    // PBF import: decode and build the junction graph; MB/s = 0.249 MB ÷ the time of one iteration.
    let pbf = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/SuginamiGISTests/Reference/routing/suginami_synth_v1.osm.pbf")
    Benchmark("Routing: read the synthetic Suginami PBF (249,472 bytes) into the junction graph") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try OSMPBFReader.read(pbf)) }
    }

    let router = Router(graph: graph)
    let closedMetric: RoadMetric
    do {
        closedMetric = try RoadMetric(graph: graph, closedEdges: closed)
    } catch {
        fatalError("cannot close the benchmark's edges: \(error)")
    }

    Benchmark("Routing: build the hierarchy (nested dissection and contraction, synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(RoadHierarchy(graph: graph)) }
    }
    Benchmark("Routing: customize the hierarchy for a metric (synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CustomizedHierarchy(hierarchy: router.customized.hierarchy, graph: graph, metric: closedMetric))
        }
    }
    Benchmark("Routing: shelter tree, every node to its nearest of 65 shelters (synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try router.shelterTree(shelters: shelters))
        }
    }
    Benchmark("Routing: close 5 % of edges, customize and refresh the tree (synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try router.applying(try RoadMetric(graph: graph, closedEdges: closed)).shelterTree(shelters: shelters))
        }
    }
    // A fire area: the 5 % of edges nearest to the middle of the network (a disc of about 900 m).
    let clustered: Set<Int32> = {
        let middle = (
            graph.latitudes.reduce(0, +) / Double(graph.nodeCount),
            graph.longitudes.reduce(0, +) / Double(graph.nodeCount)
        )
        func squared(_ edge: Int) -> Double {
            let node = graph.from(ofEdge: edge)
            let north = graph.latitudes[node] - middle.0
            let east = (graph.longitudes[node] - middle.1) * 0.81
            return north * north + east * east
        }
        return Set(
            (0..<graph.edgeCount).sorted { squared($0) < squared($1) }.prefix(graph.edgeCount / 20).map(Int32.init))
    }()
    // The full tree refresh: the metric closed, the tree repaired in place.
    for (name, batch) in [("5 % of edges", closed), ("5 % of edges in one fire area", clustered)] {
        Benchmark("Routing: close \(name) and repair the tree in place (synthetic Suginami)") { benchmark in
            let tree = try router.shelterTree(shelters: shelters)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var current = tree
                var metric = router.metric
                try metric.close(edges: batch, in: graph)
                try current.repair(closing: batch, graph: graph, metric: metric)
                blackHole(current)
            }
            benchmark.stopMeasurement()
        }
    }
    // From receiving a batch of closures to a resident's route: the new metric, the search
    // guided by the tree before the batch, and one route to the nearest shelter with its legs
    // (what ReliefCentreRouting answers while the refresh runs behind). A different resident
    // each iteration, from 100 positions off the nodes.
    for (name, batch) in [("5 % of edges at random", closed), ("5 % of edges in one fire area", clustered)] {
        Benchmark("Routing: \(name) closed, to the first route to the nearest shelter (synthetic Suginami)") {
            benchmark in
            let tree = try router.shelterTree(shelters: shelters)
            var random = SplitMix64(seed: 7)
            let residents = try (0..<100).map { _ in
                let node = Int(random.next() % UInt64(graph.nodeCount))
                return try GeoPoint(
                    latitude: graph.latitudes[node] + Double(random.next() % 101) / 111_000 * 0.5,
                    longitude: graph.longitudes[node] + Double(random.next() % 101) / 91_000 * 0.5)
            }
            var next = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var metric = router.metric
                try metric.close(edges: batch, in: graph)
                let search = try GuidedShelterSearch(
                    graph: graph, metric: metric, shelters: shelters, tree: tree, treeMetric: router.metric)
                blackHole(router.routeToShelter(from: residents[next % residents.count], search: search))
                next += 1
            }
            benchmark.stopMeasurement()
        }
    }
    Benchmark("Routing: 100 closures arriving one by one, each on the tree, each repaired (synthetic Suginami)") {
        benchmark in
        // Each closure is the edge to the next hop of a random node of the current tree, so
        // every one lands on a path. The copy of the tree and metric at the start of each
        // iteration (copy-on-write of three 21,777-element arrays) is measured too.
        let tree = try router.shelterTree(shelters: shelters)
        let starts = (0..<100).map { $0 * 211 + 5 }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var current = tree
            var metric = router.metric
            for start in starts {
                var node = start
                while current.nextHop[node] < 0 { node = (node + 1) % graph.nodeCount }
                let edges = graph.edges(from: node, to: Int(current.nextHop[node])).map(Int32.init)
                try metric.close(edges: edges, in: graph)
                try current.repair(closing: edges, graph: graph, metric: metric)
            }
            blackHole(current)
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: from the network file to a route to the nearest shelter (read, tree, route; synthetic Suginami)"
    ) { benchmark in
        try coldAnswer(benchmark, router: router, shelters: shelters)
    }
    Benchmark("Routing: 1,000 positions snapped onto the network (synthetic Suginami)") { benchmark in
        let positions = randomPairs(1_000, nodeCount: graph.nodeCount).map { graph.position(of: $0.0) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for position in positions { blackHole(router.locator.snap(position)) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: 1,000 positions to their nearest shelter as node paths: snap, then walk the tree (synthetic Suginami)"
    ) { benchmark in
        let tree = try router.shelterTree(shelters: shelters)
        let positions = randomPairs(1_000, nodeCount: graph.nodeCount).map { graph.position(of: $0.0) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for position in positions {
                guard let snap = router.locator.snap(position) else { continue }
                let (from, to) = (graph.from(ofEdge: snap.edge), graph.to(ofEdge: snap.edge))
                let viaTo = graph.length(ofEdge: snap.edge) - snap.offset + tree.distances[to]
                blackHole(tree.path(from: snap.offset + tree.distances[from] < viaTo ? from : to))
            }
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: 100 routes from positions to the nearest shelter along the tree, with legs (synthetic Suginami)"
    ) {
        benchmark in
        let tree = try router.shelterTree(shelters: shelters)
        let positions = randomPairs(100, nodeCount: graph.nodeCount).map { graph.position(of: $0.0) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for position in positions { blackHole(try router.routeToShelter(from: position, tree: tree)) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark("Routing: 1,000 walks from a node to its nearest shelter along the tree (synthetic Suginami)") {
        benchmark in
        let tree = try router.shelterTree(shelters: shelters)
        var random = SplitMix64(seed: 11)
        let starts = (0..<1_000).map { _ in Int(random.next() % UInt64(graph.nodeCount)) }
        var path: [Int32] = []
        path.reserveCapacity(1_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for start in starts {
                path.removeAll(keepingCapacity: true)
                var node = Int32(start)
                while node >= 0 {
                    path.append(node)
                    node = tree.nextHop[Int(node)]
                }
                blackHole(path.count)
            }
        }
        benchmark.stopMeasurement()
    }
    Benchmark("Routing: 1,000 point-to-point distances between random nodes (synthetic Suginami)") { benchmark in
        var query = PathQuery(router.customized)
        let pairs = randomPairs(1_000, nodeCount: graph.nodeCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(query.distance(from: a, to: b)) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark("Routing: 1,000 point-to-point queries between random nodes, path unpacked (synthetic Suginami)") {
        benchmark in
        var query = PathQuery(router.customized)
        let pairs = randomPairs(1_000, nodeCount: graph.nodeCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(query.shortestPath(from: [(a, 0)], to: [(b, 0)])) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark("Routing: 100 routes between random positions, snapped, with legs (synthetic Suginami)") { benchmark in
        var query = PathQuery(router.customized)
        var random = SplitMix64(seed: 20_250_801)
        let pairs = (0..<100).map { _ in
            (
                graph.position(of: Int(random.next() % UInt64(graph.nodeCount))),
                graph.position(of: Int(random.next() % UInt64(graph.nodeCount)))
            )
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(try router.route(from: a, to: b, using: &query)) }
        }
        benchmark.stopMeasurement()
    }

    tokyoBenchmarks()
}

/// The SYNTHETIC 23-ward network, read and ordered once per benchmark process, on first use
/// (about 20 s), so that the other benchmarks do not pay for it.
private let tokyo: Router = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Data/tokyo23_synth_v1.osm.pbf")
    do {
        return Router(graph: try OSMPBFReader.read(url).graph)
    } catch {
        fatalError("cannot read the 23-ward network: \(error)")
    }
}()

/// Routing at 23-ward scale (185,044 junctions): the tree towards the 65 relief centres, and
/// arbitrary routes.
func tokyoBenchmarks() {
    // The peer script's 65 shelter nodes (CSV numbering; the PBF numbers nodes from 1).
    func shelters(of router: Router) -> [Int] {
        let list = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Data/tokyo23_synth_v1_shelters.csv")
        guard let text = try? String(contentsOf: list, encoding: .utf8) else { fatalError("no shelter list") }
        var index: [Int64: Int] = [:]
        for node in 0..<router.graph.nodeCount { index[router.graph.nodeIDs[node]] = node }
        return text.split(separator: "\n").dropFirst().map { index[Int64($0.split(separator: ",")[1])! + 1]! }
    }
    Benchmark(
        "Routing: Tokyo 23 wards, shelter tree, every node to its nearest of 65 shelters (synthetic)",
        configuration: .init(maxDuration: .seconds(5))
    ) { benchmark in
        let router = tokyo
        let shelters = shelters(of: router)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try router.shelterTree(shelters: shelters)) }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: Tokyo 23 wards, 1,000 point-to-point queries, path unpacked (synthetic)",
        configuration: .init(maxDuration: .seconds(5))
    ) { benchmark in
        let router = tokyo
        var query = PathQuery(router.customized)
        let pairs = randomPairs(1_000, nodeCount: router.graph.nodeCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(query.shortestPath(from: [(a, 0)], to: [(b, 0)])) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: Tokyo 23 wards, 1,000 point-to-point distances (synthetic)",
        configuration: .init(maxDuration: .seconds(5))
    ) { benchmark in
        let router = tokyo
        var query = PathQuery(router.customized)
        let pairs = randomPairs(1_000, nodeCount: router.graph.nodeCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(query.distance(from: a, to: b)) }
        }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: Tokyo 23 wards, read the PBF (2,140,076 bytes) into the junction graph (synthetic)",
        configuration: .init(maxDuration: .seconds(10))
    ) { benchmark in
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Data/tokyo23_synth_v1.osm.pbf")
        for _ in benchmark.scaledIterations { blackHole(try OSMPBFReader.read(url)) }
    }
    Benchmark(
        "Routing: Tokyo 23 wards, order and contract the hierarchy (nested dissection; synthetic)",
        configuration: .init(maxDuration: .seconds(40), maxIterations: 3)
    ) { benchmark in
        let graph = tokyo.graph
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(RoadHierarchy(graph: graph)) }
        benchmark.stopMeasurement()
    }
    Benchmark(
        "Routing: Tokyo 23 wards, from the network file to a route to the nearest shelter (read, tree, route; synthetic)",
        configuration: .init(maxDuration: .seconds(10))
    ) { benchmark in
        try coldAnswer(benchmark, router: tokyo, shelters: shelters(of: tokyo))
    }
    Benchmark(
        "Routing: Tokyo 23 wards, load the compact network file (graph, hierarchy, snapping index, customization; synthetic)",
        configuration: .init(maxDuration: .seconds(5))
    ) { benchmark in
        let router = tokyo
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sgknet")
        try RoadNetworkFile.write(
            graph: router.graph, hierarchy: router.customized.hierarchy, note: "SYNTHETIC", to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try RoadNetworkFile.read(file)) }
        benchmark.stopMeasurement()
    }
}

/// A cold answer as `refd route --network FILE --from …` gives it, without the process start:
/// read the network file (graph, hierarchy, snapping index, customization), sweep the shelter
/// tree, snap a resident and route them to the nearest shelter with legs.
func coldAnswer(_ benchmark: Benchmark, router: Router, shelters: [Int]) throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("cold-\(UUID().uuidString).sgknet")
    try RoadNetworkFile.write(graph: router.graph, hierarchy: router.customized.hierarchy, note: "SYNTHETIC", to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let resident = router.graph.position(of: router.graph.nodeCount / 3)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let network = try RoadNetworkFile.read(file)
        let fresh = network.router()
        blackHole(try fresh.routeToShelter(from: resident, tree: try fresh.shelterTree(shelters: shelters)))
    }
    benchmark.stopMeasurement()
}

/// `count` pairs of random nodes, the same in every run (the peer script's seed).
func randomPairs(_ count: Int, nodeCount: Int) -> [(Int, Int)] {
    var random = SplitMix64(seed: 20_250_801)
    let n = UInt64(nodeCount)
    return (0..<count).map { _ in (Int(random.next() % n), Int(random.next() % n)) }
}
