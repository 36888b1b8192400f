import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The shelter tree against SciPy's `csgraph.dijkstra` on the same graphs, before and after the
/// peer script's 5 % closures (reference files in `Reference/routing/`).
@Suite("Routing: shelter tree against SciPy")
struct RoutingTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Reference/routing")

    static func table(_ name: String) throws -> [[Substring]] {
        let data = try Gzip.decompress(try Data(contentsOf: reference.appendingPathComponent(name + ".gz")))
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",")
        }
    }

    static func check(graph: RoadGraph, network: String) throws {
        let shelters = try table("\(network)_shelters.csv").map { Int($0[1])! }
        let closed = Set(try table("\(network)_blocked_edges.csv").map { Int32($0[0])! })
        for (file, closures) in [("\(network)_dist.csv", Set<Int32>()), ("\(network)_dist_blocked.csv", closed)] {
            let tree = ShelterTree(graph: graph, shelters: shelters, closedEdges: closures)
            var worst = 0.0
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
                rows += 1
            }
            #expect(rows == graph.nodeCount)
            #expect(reachabilityMismatches == 0, "\(file)")
            #expect(worst < 1e-6, "\(file): worst difference \(worst) m")
            if closures.isEmpty == false {
                #expect(tree.distances.contains { $0.isInfinite }, "closures should cut some nodes off")
            }
        }
    }

    @Test func syntheticSuginamiEqualsScipy() throws {
        let graph = try RoadNetworkCSV.bundledSyntheticSuginami()
        #expect(graph.nodeCount == 21_777 && graph.edgeCount == 31_616 && graph.arcCount == 63_232)
        try Self.check(graph: graph, network: "suginami_synth_v1")
    }

    @Test func realShibuyaSampleEqualsScipy() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("roads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["shibuya_real_osm_nodes.csv", "shibuya_real_osm_edges.csv"] {
            try Data(contentsOf: Self.reference.appendingPathComponent(name + ".gz"))
                .write(to: directory.appendingPathComponent(name + ".gz"))
        }
        let graph = try RoadNetworkCSV.read(
            nodes: directory.appendingPathComponent("shibuya_real_osm_nodes.csv.gz"),
            edges: directory.appendingPathComponent("shibuya_real_osm_edges.csv.gz"))
        #expect(graph.nodeCount == 2_174)
        try Self.check(graph: graph, network: "shibuya_real_osm")
    }

    @Test func treePathsFollowTheDistances() throws {
        let graph = try RoadNetworkCSV.bundledSyntheticSuginami()
        let shelters = try Self.table("suginami_synth_v1_shelters.csv").map { Int($0[1])! }
        let tree = ShelterTree(graph: graph, shelters: shelters)
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
        // A truncated gzip stream is an error, not a short file.
        let whole = try Data(contentsOf: Self.reference.appendingPathComponent("suginami_synth_v1_shelters.csv.gz"))
        #expect(throws: GzipError.self) { try Gzip.decompress(whole.prefix(whole.count / 2)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data([0x1f, 0x8b, 0, 1, 2, 3, 4, 5, 6, 7])) }
    }
}
