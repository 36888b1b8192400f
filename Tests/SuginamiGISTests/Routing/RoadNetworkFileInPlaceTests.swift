import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// A network file is used where it lies (mapped, not copied), outlives its name, and is checked
/// before it is trusted: a hierarchy that is not chordal, upward lists out of order and flags
/// that are not flags are refused even when the checksum is right.
@Suite struct RoadNetworkFileInPlaceTests {
    /// The arrays of a network read from a file lie in the mapped file; replacing the file under
    /// the same name (as `--save-network` does) and then deleting it changes nothing for the
    /// network already read, which still gives the answers of the network built in memory.
    @Test func aReadNetworkIsUsedWhereItLiesAndOutlivesItsFile() throws {
        let router = try RoutingTests.suginami.get()
        let graph = router.graph
        let url = RoadNetworkFileTests.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try RoadNetworkFile.write(RoadNetwork(graph: graph, hierarchy: router.customized.hierarchy, note: "n"), to: url)
        let network = try RoadNetworkFile.read(url)
        #expect(network.graph.heads.isMapped && network.graph.shapePoints.isMapped && network.graph.edgeTwoWay.isMapped)
        #expect(network.hierarchy.upHeads.isMapped && network.locator.segments.isMapped)
        #expect(network.customized.upward.arcs.isMapped && network.customized.viaDown.isMapped)
        #expect(!graph.heads.isMapped)

        let from = try GeoPoint(latitude: graph.latitudes[10] + 0.0003, longitude: graph.longitudes[10] - 0.0002)
        let to = try GeoPoint(
            latitude: graph.latitudes[graph.nodeCount - 10] - 0.0002, longitude: graph.longitudes[graph.nodeCount - 10])
        let built = try router.route(from: from, to: to)
        let before = try network.router().route(from: from, to: to)
        #expect(before.nodes == built.nodes && before.points == built.points)
        #expect(abs(before.length - built.length) < 1e-9)

        try RoadNetworkFile.write(RoadNetwork(graph: try ShelterAssignmentTests.line(), note: "line"), to: url)
        #expect(try RoadNetworkFile.read(url).graph.nodeCount == 4)
        try FileManager.default.removeItem(at: url)
        let after = try network.router().route(from: from, to: to)
        #expect(after.nodes == before.nodes && after.length == before.length)
        let tree = try network.router().shelterTree(shelters: [0, graph.nodeCount / 2])
        let builtTree = try router.shelterTree(shelters: [0, graph.nodeCount / 2])
        #expect(tree.distances == builtTree.distances && tree.nextHop == builtTree.nextHop)
    }

    /// A four-cycle ranked without its fill arc: every part of the file agrees with the others
    /// (the order, the lower lists, the customization's records), but customizing it would read
    /// a triangle that is not there. The linear-time check finds it.
    @Test func aHierarchyThatIsNotChordalIsRefused() throws {
        let graph = try Self.fourCycle()
        // Ranks are node numbers; arcs 0→1, 0→3, 1→2, 2→3, and no arc 1→3.
        let hierarchy = try Self.hierarchy(
            graph: graph, up: [[1, 3], [2], [3], []], parent: [1, 2, 3, -1])
        #expect(try refusal(graph: graph, hierarchy: hierarchy).contains("not chordal at ranks 0, 1, 3"))
        // With its fill arc it is read.
        let chordal = try Self.hierarchy(graph: graph, up: [[1, 3], [2, 3], [3], []], parent: [1, 2, 3, -1])
        #expect(try refusal(graph: graph, hierarchy: chordal).isEmpty)
    }

    /// Upward lists must ascend: the chordality check and the search for an arc rely on it.
    @Test func upwardListsOutOfOrderAreRefused() throws {
        let graph = try Self.fourCycle()
        let hierarchy = try Self.hierarchy(graph: graph, up: [[3, 1], [2, 3], [3], []], parent: [1, 2, 3, -1])
        #expect(try refusal(graph: graph, hierarchy: hierarchy).contains("rank 0 are not in ascending order"))
    }

    /// A flag byte that is neither 0 nor 1 would be an invalid `Bool` if read in place: refused,
    /// even under a checksum that matches.
    @Test func flagsThatAreNotFlagsAreRefused() throws {
        let url = RoadNetworkFileTests.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try RoadNetworkFile.write(RoadNetwork(graph: try Self.fourCycle(), note: ""), to: url)
        var data = try Data(contentsOf: url)
        let directions = Self.sections(of: data)[16]  // edge directions
        data[directions.lowerBound + 2] = 2
        try Self.sealed(data).write(to: url)
        do {
            _ = try RoadNetworkFile.read(url)
            Issue.record("a flag of 2 was read")
        } catch {
            #expect(error.description.contains("edge directions entry 2 is 2, not 0 or 1"), "\(error)")
        }
    }

    // MARK: - Helpers

    /// Writes `graph` with `hierarchy` and a customization made for it by hand (every arc
    /// carries a graph arc, or its lowest triangle), reads it back, and returns the error, or ""
    /// when the file is read.
    func refusal(graph: RoadGraph, hierarchy: RoadHierarchy) throws -> String {
        let url = RoadNetworkFileTests.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let network = RoadNetwork(
            graph: graph, hierarchy: hierarchy, locator: EdgeLocator(graph: graph),
            customized: Self.records(graph: graph, hierarchy: hierarchy), note: "")
        try RoadNetworkFile.write(network, to: url)
        do {
            _ = try RoadNetworkFile.read(url)
            return ""
        } catch {
            return error.description
        }
    }

    /// Nodes 0–3 on a square, joined in a cycle.
    static func fourCycle() throws -> RoadGraph {
        try RoadGraph(
            nodeIDs: [10, 11, 12, 13], latitudes: [35.700, 35.700, 35.701, 35.701],
            longitudes: [139.600, 139.601, 139.601, 139.600],
            edges: [(0, 1), (1, 2), (2, 3), (3, 0)].map {
                RoadGraph.Edge(from: $0.0, to: $0.1, length: 100, twoWay: true)
            })
    }

    /// A hierarchy of `graph` (ranks = node numbers) with the upward lists `up`, as given.
    static func hierarchy(graph: RoadGraph, up: [[Int32]], parent: [Int32]) throws -> RoadHierarchy {
        let n = up.count
        var upOffsets: [Int32] = [0]
        for list in up { upOffsets.append(upOffsets.last! + Int32(list.count)) }
        let upHeads = up.flatMap { $0 }
        var lower = [[(tail: Int32, arc: Int32)]](repeating: [], count: n)
        for (tail, list) in up.enumerated() {
            for (index, head) in list.enumerated() {
                lower[Int(head)].append((Int32(tail), upOffsets[tail] + Int32(index)))
            }
        }
        var downOffsets: [Int32] = [0]
        for list in lower { downOffsets.append(downOffsets.last! + Int32(list.count)) }
        var slots = [Int32](repeating: -1, count: graph.arcCount)
        for node in 0..<n {
            for arc in Int(graph.offsets[node])..<Int(graph.offsets[node + 1]) {
                let head = Int(graph.heads[arc])
                let (low, high) = (min(node, head), max(node, head))
                let slot = try #require(up[low].firstIndex(of: Int32(high))) + Int(upOffsets[low])
                slots[arc] = Int32(slot << 1 | (node < head ? 1 : 0))
            }
        }
        let identity = FlatArray((0..<Int32(n)).map { $0 })
        return RoadHierarchy(
            rankOf: identity, nodeAt: identity, upOffsets: FlatArray(upOffsets), upHeads: FlatArray(upHeads),
            downOffsets: FlatArray(downOffsets), downTails: FlatArray(lower.flatMap { $0.map(\.tail) }),
            downArcs: FlatArray(lower.flatMap { $0.map(\.arc) }), parent: FlatArray(parent),
            arcSlots: FlatArray(slots))
    }

    /// Unpacking records for `hierarchy` without customizing it (which would read past a missing
    /// triangle): each arc's graph arc where it has one, else its lowest triangle; no search
    /// arcs.
    static func records(graph: RoadGraph, hierarchy: RoadHierarchy) -> CustomizedHierarchy {
        let h = hierarchy.arcCount
        var tails = [Int32](repeating: 0, count: h)
        for r in 0..<hierarchy.nodeCount {
            for arc in Int(hierarchy.upOffsets[r])..<Int(hierarchy.upOffsets[r + 1]) { tails[arc] = Int32(r) }
        }
        var via = (up: [CustomizedHierarchy.Triangle](), down: [CustomizedHierarchy.Triangle]())
        var next = (up: [Int32](repeating: -1, count: h), down: [Int32](repeating: -1, count: h))
        // Ascending arcs: a triangle's arcs start lower, so their records are made first.
        for a in 0..<h {
            let (x, y) = (tails[a], hierarchy.upHeads[a])
            let up = (0..<graph.arcCount).first { hierarchy.arcSlots[$0] == Int32(a << 1 | 1) }
            let down = (0..<graph.arcCount).first { hierarchy.arcSlots[$0] == Int32(a << 1) }
            if let up, let down {
                via.up.append(.graphArc(Int32(up)))
                via.down.append(.graphArc(Int32(down)))
                (next.up[a], next.down[a]) = (graph.heads[up], graph.heads[down])
                continue
            }
            let zx = (0..<h).first { tails[$0] < x && hierarchy.upHeads[$0] == x }!
            let zy = (0..<h).first { tails[$0] == tails[zx] && hierarchy.upHeads[$0] == y }!
            via.up.append(CustomizedHierarchy.Triangle(zx: Int32(zx), zy: Int32(zy)))
            via.down.append(CustomizedHierarchy.Triangle(zx: Int32(zx), zy: Int32(zy)))
            (next.up[a], next.down[a]) = (next.down[zx], next.down[zy])
        }
        let none = SearchGraph(
            offsets: FlatArray([Int32](repeating: 0, count: hierarchy.nodeCount + 1)), arcs: FlatArray([]))
        return CustomizedHierarchy(
            hierarchy: hierarchy, metric: RoadMetric(graph: graph), upward: none, downward: none,
            next: (FlatArray(next.up), FlatArray(next.down)), via: (FlatArray(via.up), FlatArray(via.down)))
    }

    /// The byte ranges of each section's elements, in file order.
    static func sections(of data: Data) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = 24
        let strides = [
            8, 8, 8, 4, 4, 8, 4, 4, 4, 8, 4, 8, 4, 4, 4, 8, 1, 1, 4, 16, 4, 1, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 4, 4,
            32, MemoryLayout<EdgeLocator.Segment>.stride, 8, 4, 16, 4, 16, 4, 4, 8, 8, 1,
        ]
        for stride in strides {
            let count = data.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            ranges.append((offset + 8)..<(offset + 8 + count * stride))
            offset = (ranges.last!.upperBound + 7) / 8 * 8
        }
        precondition(offset == data.count, "the sections span the file")
        return ranges
    }

    /// `data` with its header's checksum made right again.
    static func sealed(_ data: Data) -> Data {
        var data = data
        let checksum = data.withUnsafeBytes { RoadNetworkFile.crc32(UnsafeRawBufferPointer(rebasing: $0[24...])) }
        withUnsafeBytes(of: checksum.littleEndian) { data.replaceSubrange(16..<20, with: $0) }
        return data
    }
}
