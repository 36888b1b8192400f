import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The vertex cuts that order the network: each separates the two ends, and none is larger
/// than the smallest that exists (found by trying every set of nodes on small graphs). The
/// flow once cancelled units on the opposite arc, which is not the same flow, and left cuts up
/// to a fifth larger than the minimum on windows of the ward; these tests fail on that code.
@Suite("Routing: the cuts of the node order")
struct NestedDissectionTests {
    /// A part with neighbours `adjacency` (symmetric), all of it.
    static func part(_ adjacency: [Set<Int32>]) -> LocalGraph {
        var offsets: [Int32] = [0]
        var neighbours: [Int32] = []
        for set in adjacency {
            neighbours += set.sorted()
            offsets.append(Int32(neighbours.count))
        }
        let nodes = (0..<Int32(adjacency.count)).map { $0 }
        return LocalGraph(nodes: nodes, offsets: offsets, neighbours: neighbours, local: nodes)
    }

    /// Whether removing `separator` leaves no path from a source to a sink.
    static func separates(_ separator: Set<Int>, part: LocalGraph, sources: [Int], sinks: Set<Int>) -> Bool {
        var stack = sources.filter { !separator.contains($0) }
        var seen = Set(stack)
        while let node = stack.popLast() {
            if sinks.contains(node) { return false }
            for arc in Int(part.offsets[node])..<Int(part.offsets[node + 1]) {
                let next = Int(part.heads[arc])
                if !separator.contains(next) && seen.insert(next).inserted { stack.append(next) }
            }
        }
        return true
    }

    @Test func cutsOfSmallGraphsAreTheSmallestThatExist() {
        var random = SplitMix64(seed: 3)
        for trial in 0..<300 {
            let count = 6 + Int(random.next() % 7)
            var adjacency = [Set<Int32>](repeating: [], count: count)
            for a in 0..<count {
                for b in (a + 1)..<count where random.next() % 3 == 0 {
                    adjacency[a].insert(Int32(b))
                    adjacency[b].insert(Int32(a))
                }
            }
            let part = Self.part(adjacency)
            let ends = 1 + Int(random.next() % 2)
            let sources = Array(0..<ends)
            let sinks = Array((count - ends)..<count)
            let cut = part.minimumVertexCut(sources: sources, sinks: sinks)
            #expect(Self.separates(Set(cut.separator), part: part, sources: sources, sinks: Set(sinks)))
            #expect(cut.separator.count + cut.first.count + cut.second.count == count)
            let smallest = (0..<(1 << count)).filter { mask in
                Self.separates(
                    Set((0..<count).filter { mask & (1 << $0) != 0 }), part: part, sources: sources, sinks: Set(sinks))
            }.map(\.nonzeroBitCount).min()
            #expect(cut.separator.count == smallest, "trial \(trial): \(cut.separator.count) vs \(smallest ?? -1)")
        }
    }

    /// On windows of the ward-scale network, cut west from east as the order does: every cut
    /// separates, and cutting the same window again from the other side gives a cut as small
    /// (the size of a minimum cut does not depend on which side is called the source).
    @Test func cutsOfTheNetworkSeparateAndAgreeBothWays() throws {
        let graph = try RoadNetworkCSV.bundledSyntheticSuginami()
        var adjacency = [Set<Int32>](repeating: [], count: graph.nodeCount)
        for node in 0..<graph.nodeCount {
            for arc in Int(graph.offsets[node])..<Int(graph.offsets[node + 1]) where Int(graph.heads[arc]) != node {
                adjacency[node].insert(graph.heads[arc])
                adjacency[Int(graph.heads[arc])].insert(Int32(node))
            }
        }
        var random = SplitMix64(seed: 1)
        for _ in 0..<12 {
            let centre = Int(random.next() % UInt64(graph.nodeCount))
            let radius = Double(500 + Int(random.next() % 2_500)) / 111_000
            let nodes = (0..<graph.nodeCount).filter {
                abs(graph.latitudes[$0] - graph.latitudes[centre]) < radius
                    && abs(graph.longitudes[$0] - graph.longitudes[centre]) < radius
            }
            var renumber = [Int32](repeating: -1, count: graph.nodeCount)
            for (index, node) in nodes.enumerated() { renumber[node] = Int32(index) }
            let window = nodes.map { Set(adjacency[$0].map { renumber[Int($0)] }.filter { $0 >= 0 }) }
            let part = Self.part(window)
            let west = nodes.indices.sorted { graph.longitudes[nodes[$0]] < graph.longitudes[nodes[$1]] }
            let ends = nodes.count / 4
            let sources = Array(west.prefix(ends))
            let sinks = Array(west.suffix(ends))
            let forward = part.minimumVertexCut(sources: sources, sinks: sinks)
            let backward = part.minimumVertexCut(sources: sinks, sinks: sources)
            #expect(Self.separates(Set(forward.separator), part: part, sources: sources, sinks: Set(sinks)))
            #expect(forward.separator.count == backward.separator.count, "\(nodes.count) nodes")
        }
    }
}
