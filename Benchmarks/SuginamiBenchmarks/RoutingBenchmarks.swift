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
    // 65 shelter nodes spread over the network (a deterministic stand-in for the snapped relief
    // centres, whose geocoded list is not bundled).
    let shelters = (0..<65).map { $0 * (graph.nodeCount / 65) }
    let closed = Set((0..<Int32(graph.edgeCount)).filter { $0 % 20 == 7 })

    // PBF import: decode and build the junction graph; MB/s = 0.249 MB ÷ the time of one iteration.
    let pbf = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/SuginamiGISTests/Reference/routing/suginami_synth_v1.osm.pbf")
    Benchmark("Routing: read the synthetic Suginami PBF (249,472 bytes) into the junction graph") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try OSMPBFReader.read(pbf)) }
    }

    Benchmark("Routing: shelter tree, every node to its nearest of 65 shelters (synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ShelterTree(graph: graph, shelters: shelters))
        }
    }
    Benchmark("Routing: shelter tree with 5 % of edges closed (synthetic Suginami)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ShelterTree(graph: graph, shelters: shelters, closedEdges: closed))
        }
    }

    Benchmark("Routing: 100 point-to-point routes between random nodes (synthetic Suginami)") { benchmark in
        let router = Router(graph: graph)
        var random = SplitMix64(seed: 20_250_801)
        let pairs = (0..<100).map { _ in
            (
                graph.position(of: Int(random.next() % UInt64(graph.nodeCount))),
                graph.position(of: Int(random.next() % UInt64(graph.nodeCount)))
            )
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (a, b) in pairs { blackHole(try router.route(from: a, to: b)) }
        }
        benchmark.stopMeasurement()
    }
}
