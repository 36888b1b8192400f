import CZlib
import Foundation
import SuginamiKit

/// A road network with everything a router needs as one compact binary file, so that a cold
/// start reads instead of computing: the graph, its hierarchy, its snapping index and the
/// hierarchy customized for plain lengths.
///
/// Layout (little-endian): the 8-byte magic `SGKNET03`, a UInt64 payload length, a UInt32
/// CRC-32 of the payload and 4 bytes of padding; then the payload: a sequence of arrays, each
/// a UInt64 element count followed by its elements, padded to 8 bytes — the graph's CSR arrays,
/// its edge attributes and names, the hierarchy's arrays, the snapping grid, the customization,
/// and a note saying where the data came from (its licence travels with it). Reading maps the
/// file into memory (`mmap`) and copies each array out in one block; every array is then
/// checked against the others (counts, ranges, monotone offsets, a permutation for the order,
/// every customized arc's triangle below it) before anything is built, so a damaged or foreign
/// file is an error naming the part, never a crash or a search that does not end.
public enum RoadNetworkFile {
    // 02: the hierarchy's arc tails are no longer stored (they follow from its offsets).
    // 03: the snapping index and the plain customization are stored, and which edges are steps.
    static let magic = Array("SGKNET03".utf8)

    /// Writes `graph`, its `hierarchy` and `note` to `url`, with the snapping index and plain
    /// customization made for them (atomically: a partial file is never left under the name).
    public static func write(
        graph: RoadGraph, hierarchy: RoadHierarchy, note: String, to url: URL
    ) throws(RoadNetworkFileError) {
        try write(RoadNetwork(graph: graph, hierarchy: hierarchy, note: note), to: url)
    }

    /// Writes `network` to `url` (atomically: a partial file is never left under the name). An
    /// existing network file is replaced; anything else already there is not.
    /// - Throws: ``RoadNetworkFileError/unreadable(_:_:)`` when `url` is a folder or a file that
    ///   is not a network file, or cannot be written.
    public static func write(_ network: RoadNetwork, to url: URL) throws(RoadNetworkFileError) {
        try checkReplaceable(url)
        let (graph, hierarchy, note) = (network.graph, network.hierarchy, network.note)
        var writer = Writer()
        writer.append(graph.nodeIDs)
        writer.append(graph.latitudes)
        writer.append(graph.longitudes)
        writer.append(graph.offsets)
        writer.append(graph.heads)
        writer.append(graph.lengths)
        writer.append(graph.arcEdges)
        writer.append(graph.reverseOffsets)
        writer.append(graph.reverseTails)
        writer.append(graph.reverseLengths)
        writer.append(graph.reverseEdges)
        writer.append(graph.edgeWays)
        writer.append(graph.edgeNames)
        writer.append(graph.edgeFrom)
        writer.append(graph.edgeTo)
        writer.append(graph.edgeLengths)
        writer.append(graph.edgeTwoWay.map { UInt8($0 ? 1 : 0) })
        writer.append(graph.edgeSteps.map { UInt8($0 ? 1 : 0) })
        writer.append(graph.shapeOffsets)
        writer.append(graph.shapePoints.map(\.latitude))
        writer.append(graph.shapePoints.map(\.longitude))
        var nameOffsets: [Int32] = [0]
        var nameBytes: [UInt8] = []
        for name in graph.names {
            nameBytes += Array(name.utf8)
            nameOffsets.append(Int32(nameBytes.count))
        }
        writer.append(nameOffsets)
        writer.append(nameBytes)
        writer.append(hierarchy.rankOf)
        writer.append(hierarchy.nodeAt)
        writer.append(hierarchy.upOffsets)
        writer.append(hierarchy.upHeads)
        writer.append(hierarchy.downOffsets)
        writer.append(hierarchy.downTails)
        writer.append(hierarchy.downArcs)
        writer.append(hierarchy.parent)
        writer.append(hierarchy.arcSlots)
        let locator = network.locator
        writer.append([locator.cellSize, locator.minEast, locator.minNorth, locator.maximumDistance])
        writer.append([Int64(locator.columns), Int64(locator.rows)])
        writer.append(locator.cellStart)
        writer.append(locator.cellSegments)
        writer.append(locator.cellPlane)
        writer.append(locator.segments.map(\.start.latitude))
        writer.append(locator.segments.map(\.start.longitude))
        writer.append(locator.segments.map(\.end.latitude))
        writer.append(locator.segments.map(\.end.longitude))
        writer.append(locator.segments.map(\.planeOffset))
        writer.append(locator.segments.map(\.edge))
        writer.append(locator.segments.map(\.index))
        writer.append(locator.edgePlaneLength)
        let customized = network.customized
        writer.append(customized.upward.offsets)
        writer.append(customized.upward.arcs)
        writer.append(customized.downward.offsets)
        writer.append(customized.downward.arcs)
        writer.append(customized.nextUp)
        writer.append(customized.nextDown)
        writer.append(customized.viaUp)
        writer.append(customized.viaDown)
        writer.append(Array(note.utf8))
        do {
            try writer.finish().write(to: url, options: .atomic)
        } catch {
            throw .unreadable(url.path, "cannot write: \(error.localizedDescription)")
        }
    }

    /// Refuses to write over a folder, or over a file that is not a network file (any version):
    /// a mistyped `--save-network notes.txt` must not cost the user their notes.
    static func checkReplaceable(_ url: URL) throws(RoadNetworkFileError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            throw .unreadable(url.path, "is a folder: give the name of the network file to write")
        }
        let prefix = (try? FileHandle(forReadingFrom: url)).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 6)
        }
        guard let prefix, Array(prefix) == Array(magic.prefix(6)) else {
            throw .unreadable(
                url.path, "exists and is not a SuginamiKit network file: not overwritten (choose another name)")
        }
    }

    /// Reads a file written by ``write(_:to:)``.
    /// - Throws: ``RoadNetworkFileError`` naming the file and what is wrong with it.
    public static func read(_ url: URL) throws(RoadNetworkFileError) -> RoadNetwork {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        guard size >= 24 else { throw .damaged(path, "\(size) bytes: shorter than the 24-byte header") }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            throw .unreadable(path, "cannot map: \(String(cString: strerror(errno)))")
        }
        defer { munmap(mapping, size) }
        let bytes = UnsafeRawBufferPointer(start: mapping, count: size)
        guard Array(bytes[0..<8]) == magic else {
            if Array(bytes[0..<6]) == Array(magic[0..<6]) {
                let version = String(decoding: bytes[0..<8], as: UTF8.self)
                throw .damaged(
                    path, "written in an older format (\(version)); write it again with --save-network")
            }
            throw .damaged(path, "not a SuginamiKit network file (magic)")
        }
        // Compared as UInt64: a damaged header may announce more than Int can hold.
        let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard length == UInt64(size - 24) else {
            throw .damaged(
                path, "the header announces \(length) payload bytes, the file holds \(size - 24): truncated?")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[24...])
        let checksum = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let computed = UInt32(
            crc32(0, payload.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(payload.count)))
        guard checksum == computed else { throw .damaged(path, "checksum mismatch: the file is corrupt") }
        var reader = Reader(bytes: payload, path: path)
        let nodeIDs: [Int64] = try reader.array("node ids")
        let n = nodeIDs.count
        let latitudes: [Double] = try reader.array("latitudes", count: n)
        let longitudes: [Double] = try reader.array("longitudes", count: n)
        let offsets: [Int32] = try reader.array("arc offsets", count: n + 1)
        let heads: [Int32] = try reader.array("arc heads")
        let m = heads.count
        let lengths: [Double] = try reader.array("arc lengths", count: m)
        let arcEdges: [Int32] = try reader.array("arc edges", count: m)
        let reverseOffsets: [Int32] = try reader.array("reverse offsets", count: n + 1)
        let reverseTails: [Int32] = try reader.array("reverse tails", count: m)
        let reverseLengths: [Double] = try reader.array("reverse lengths", count: m)
        let reverseEdges: [Int32] = try reader.array("reverse edges", count: m)
        let edgeWays: [Int64] = try reader.array("edge ways")
        let e = edgeWays.count
        let edgeNames: [Int32] = try reader.array("edge names", count: e)
        let edgeFrom: [Int32] = try reader.array("edge tails", count: e)
        let edgeTo: [Int32] = try reader.array("edge heads", count: e)
        let edgeLengths: [Double] = try reader.array("edge lengths", count: e)
        let edgeTwoWay: [UInt8] = try reader.array("edge directions", count: e)
        let edgeSteps: [UInt8] = try reader.array("edge kinds", count: e)
        let shapeOffsets: [Int32] = try reader.array("shape offsets", count: e + 1)
        let shapeLatitudes: [Double] = try reader.array("shape latitudes")
        let shapeLongitudes: [Double] = try reader.array("shape longitudes", count: shapeLatitudes.count)
        let nameOffsets: [Int32] = try reader.array("name offsets")
        let nameBytes: [UInt8] = try reader.array("name bytes")
        let rankOf: [Int32] = try reader.array("ranks", count: n)
        let nodeAt: [Int32] = try reader.array("order", count: n)
        let upOffsets: [Int32] = try reader.array("hierarchy offsets", count: n + 1)
        let upHeads: [Int32] = try reader.array("hierarchy heads")
        let h = upHeads.count
        let downOffsets: [Int32] = try reader.array("hierarchy lower offsets", count: n + 1)
        let downTails: [Int32] = try reader.array("hierarchy lower neighbours", count: h)
        let downArcs: [Int32] = try reader.array("hierarchy lower arcs", count: h)
        let parent: [Int32] = try reader.array("elimination tree", count: n)
        let arcSlots: [Int32] = try reader.array("arc slots", count: m)
        let grid: [Double] = try reader.array("snapping grid", count: 4)
        let gridSize: [Int64] = try reader.array("snapping grid size", count: 2)
        let cellStart: [Int32] = try reader.array("snapping cells")
        let cellSegments: [Int32] = try reader.array("snapping cell entries")
        let cellPlane: [PlaneSegment] = try reader.array("snapping cell segments", count: cellSegments.count)
        let segmentStartLatitudes: [Double] = try reader.array("snapping segment starts")
        let s = segmentStartLatitudes.count
        let segmentStartLongitudes: [Double] = try reader.array("snapping segment starts", count: s)
        let segmentEndLatitudes: [Double] = try reader.array("snapping segment ends", count: s)
        let segmentEndLongitudes: [Double] = try reader.array("snapping segment ends", count: s)
        let segmentPlaneOffsets: [Double] = try reader.array("snapping segment offsets", count: s)
        let segmentEdges: [Int32] = try reader.array("snapping segment edges", count: s)
        let segmentIndices: [Int32] = try reader.array("snapping segment places", count: s)
        let edgePlaneLength: [Double] = try reader.array("snapping edge lengths", count: e)
        let upwardOffsets: [Int32] = try reader.array("customized upward offsets", count: n + 1)
        let upwardArcs: [SearchGraph.Arc] = try reader.array("customized upward arcs")
        let downwardOffsets: [Int32] = try reader.array("customized downward offsets", count: n + 1)
        let downwardArcs: [SearchGraph.Arc] = try reader.array("customized downward arcs")
        let nextUp: [Int32] = try reader.array("customized upward next hops", count: h)
        let nextDown: [Int32] = try reader.array("customized downward next hops", count: h)
        let viaUp: [CustomizedHierarchy.Triangle] = try reader.array("customized upward triangles", count: h)
        let viaDown: [CustomizedHierarchy.Triangle] = try reader.array("customized downward triangles", count: h)
        let noteBytes: [UInt8] = try reader.array("note")
        guard reader.offset == payload.count else {
            throw .damaged(path, "\(payload.count - reader.offset) bytes after the last section")
        }

        // Every index within range, every offset table monotone and complete.
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(RoadNetworkFileError) {
            if !ok { throw .damaged(path, what()) }
        }
        func checkOffsets(_ table: [Int32], total: Int, _ name: String) throws(RoadNetworkFileError) {
            try check(table.first == 0 && table.last == Int32(total), "\(name) do not span 0…\(total)")
            for index in 1..<table.count where table[index] < table[index - 1] {
                throw .damaged(path, "\(name) fall at entry \(index)")
            }
        }
        func checkRange(_ values: [Int32], _ limit: Int, _ name: String, allowing low: Int32 = 0)
            throws(RoadNetworkFileError)
        {
            if let bad = values.firstIndex(where: { $0 < low || $0 >= Int32(limit) }) {
                throw .damaged(path, "\(name) entry \(bad) is \(values[bad]), outside \(low)..<\(limit)")
            }
        }
        try checkOffsets(offsets, total: m, "arc offsets")
        try checkOffsets(reverseOffsets, total: m, "reverse offsets")
        try checkOffsets(shapeOffsets, total: shapeLatitudes.count, "shape offsets")
        try checkOffsets(nameOffsets, total: nameBytes.count, "name offsets")
        try checkOffsets(upOffsets, total: h, "hierarchy offsets")
        try checkOffsets(downOffsets, total: h, "hierarchy lower offsets")
        try checkRange(heads, n, "arc heads")
        try checkRange(reverseTails, n, "reverse tails")
        try checkRange(arcEdges, e, "arc edges")
        try checkRange(reverseEdges, e, "reverse edges")
        try checkRange(edgeFrom, n, "edge tails")
        try checkRange(edgeTo, n, "edge heads")
        try checkRange(edgeNames, nameOffsets.count - 1, "edge names")
        try checkRange(rankOf, n, "ranks")
        try checkRange(nodeAt, n, "order")
        try checkRange(upHeads, n, "hierarchy heads")
        try checkRange(downTails, n, "hierarchy lower neighbours")
        try checkRange(downArcs, h, "hierarchy lower arcs")
        try checkRange(parent, n, "elimination tree", allowing: -1)
        try checkRange(arcSlots, 2 * h, "arc slots", allowing: -1)
        for r in 0..<n {
            try check(rankOf[Int(nodeAt[r])] == Int32(r), "the order is not a permutation (rank \(r))")
            try check(parent[r] == -1 || parent[r] > Int32(r), "the elimination tree climbs down at rank \(r)")
            for arc in Int(upOffsets[r])..<Int(upOffsets[r + 1]) {
                try check(upHeads[arc] > Int32(r), "hierarchy arc \(arc) is not upward")
            }
        }
        // Each arc's lower end, from the (checked) offsets.
        var upTails = [Int32](repeating: 0, count: h)
        for r in 0..<n {
            for arc in Int(upOffsets[r])..<Int(upOffsets[r + 1]) { upTails[arc] = Int32(r) }
        }
        // The lower lists mirror the upward arcs, and the upward neighbours of every node form a
        // clique (chordality): customization indexes by both without further checks.
        var mark = [Int32](repeating: -1, count: n)
        for x in 0..<n {
            for entry in Int(downOffsets[x])..<Int(downOffsets[x + 1]) {
                let arc = Int(downArcs[entry])
                try check(
                    upHeads[arc] == Int32(x) && upTails[arc] == downTails[entry],
                    "hierarchy lower list of rank \(x) names arc \(arc), which does not end there")
            }
            for arc in Int(upOffsets[x])..<Int(upOffsets[x + 1]) { mark[Int(upHeads[arc])] = Int32(x) }
            for entry in Int(downOffsets[x])..<Int(downOffsets[x + 1]) {
                let z = Int(downTails[entry])
                for zy in (Int(downArcs[entry]) + 1)..<Int(upOffsets[z + 1]) {
                    try check(
                        mark[Int(upHeads[zy])] == Int32(x),
                        "the hierarchy is not chordal at ranks \(z), \(x), \(upHeads[zy])")
                }
            }
        }
        for node in 0..<n {
            for arc in Int(offsets[node])..<Int(offsets[node + 1]) where arcSlots[arc] >= 0 {
                let slot = Int(arcSlots[arc] >> 1)
                let (a, b) = (rankOf[node], rankOf[Int(heads[arc])])
                try check(
                    (min(a, b), max(a, b)) == (upTails[slot], upHeads[slot])
                        && (arcSlots[arc] & 1 == 1) == (a < b),
                    "arc \(arc) lies on the wrong hierarchy arc")
            }
        }
        for node in 0..<n {
            try check(
                (-90...90).contains(latitudes[node]) && (-180...180).contains(longitudes[node]),
                "node \(node) lies at \(longitudes[node]),\(latitudes[node]) (longitude,latitude)")
        }
        try check(lengths.allSatisfy { $0.isFinite && $0 >= 0 }, "an arc length is negative or not finite")
        try check(
            edgeLengths.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= RoadGraph.longestEdge },
            "an edge length is negative, not finite or over 1,000 km")
        try check(!latitudes.isEmpty && !edgeLengths.isEmpty, "the network has no roads")
        var shapePoints: [GeoPoint] = []
        shapePoints.reserveCapacity(shapeLatitudes.count)
        for (index, (latitude, longitude)) in zip(shapeLatitudes, shapeLongitudes).enumerated() {
            guard let point = try? GeoPoint(latitude: latitude, longitude: longitude) else {
                throw .damaged(path, "shape point \(index) lies at \(longitude),\(latitude) (longitude,latitude)")
            }
            shapePoints.append(point)
        }
        var names: [String] = []
        names.reserveCapacity(nameOffsets.count - 1)
        for index in 0..<(nameOffsets.count - 1) {
            let slice = nameBytes[Int(nameOffsets[index])..<Int(nameOffsets[index + 1])]
            guard let name = String(validating: slice, as: UTF8.self) else {
                throw .damaged(path, "street name \(index) is not UTF-8")
            }
            names.append(name)
        }
        guard let note = String(validating: noteBytes, as: UTF8.self) else {
            throw .damaged(path, "the note is not UTF-8")
        }
        // The snapping index: its grid, every cell entry and segment within range.
        let (cellSize, minEast, minNorth, maximumDistance) = (grid[0], grid[1], grid[2], grid[3])
        let (columns, rows) = (gridSize[0], gridSize[1])
        try check(
            cellSize.isFinite && cellSize > 0 && maximumDistance.isFinite && maximumDistance > 0
                && minEast.isFinite && minNorth.isFinite,
            "the snapping grid is not a grid")
        try check(
            (1...1 << 24).contains(columns) && (1...1 << 24).contains(rows) && columns * rows + 1 == cellStart.count,
            "the snapping grid has \(columns) × \(rows) cells for \(cellStart.count - 1) cell lists")
        try checkOffsets(cellStart, total: cellSegments.count, "snapping cells")
        try checkRange(cellSegments, s, "snapping cell entries")
        try checkRange(segmentEdges, e, "snapping segment edges")
        try check(
            cellPlane.allSatisfy {
                $0.startEast.isFinite && $0.startNorth.isFinite && $0.endEast.isFinite && $0.endNorth.isFinite
            },
            "a snapping cell segment is not finite")
        try check(
            segmentPlaneOffsets.allSatisfy { $0.isFinite && $0 >= 0 }
                && edgePlaneLength.allSatisfy { $0.isFinite && $0 >= 0 },
            "a snapping length is negative or not finite")
        var segments: [EdgeLocator.Segment] = []
        segments.reserveCapacity(s)
        for index in 0..<s {
            let edge = Int(segmentEdges[index])
            let pieces = shapeOffsets[edge + 1] - shapeOffsets[edge] + 1  // inner points + 1
            try check(
                (0..<pieces).contains(segmentIndices[index]),
                "snapping segment \(index) is piece \(segmentIndices[index]) of edge \(edge), which has \(pieces)")
            guard
                let start = try? GeoPoint(
                    latitude: segmentStartLatitudes[index], longitude: segmentStartLongitudes[index]),
                let end = try? GeoPoint(latitude: segmentEndLatitudes[index], longitude: segmentEndLongitudes[index])
            else { throw .damaged(path, "snapping segment \(index) lies off the earth") }
            segments.append(
                EdgeLocator.Segment(
                    start: start, end: end, planeOffset: segmentPlaneOffsets[index], edge: segmentEdges[index],
                    index: segmentIndices[index]))
        }
        // The customization: searches climb, weights are weights, next hops are the first step
        // of each arc's path, and every triangle lies below its arc, so unpacking ends.
        for (offsets, arcs, name) in [
            (upwardOffsets, upwardArcs, "customized upward"), (downwardOffsets, downwardArcs, "customized downward"),
        ] {
            try checkOffsets(offsets, total: arcs.count, "\(name) offsets")
            for r in 0..<n {
                for entry in Int(offsets[r])..<Int(offsets[r + 1]) {
                    let arc = arcs[entry]
                    try check(
                        arc.head > Int32(r) && arc.head < Int32(n) && (0..<Int32(h)).contains(arc.arc)
                            && upHeads[Int(arc.arc)] == arc.head && upTails[Int(arc.arc)] == Int32(r)
                            && arc.weight >= RoadMetric.smallestWeight && !arc.weight.isNaN,
                        "\(name) arc \(entry) is not an arc of the hierarchy with a weight")
                }
            }
        }
        for a in 0..<h {
            for (via, next, upward) in [(viaUp[a], nextUp[a], true), (viaDown[a], nextDown[a], false)] {
                if via.zx == -1 {
                    let arc = Int(via.zy)
                    try check(
                        (0..<m).contains(arc) && arcSlots[arc] == Int32(a << 1 | (upward ? 1 : 0))
                            && next == heads[arc],
                        "customized arc \(a) stands for a graph arc that is not its own")
                } else {
                    let (zx, zy) = (Int(via.zx), Int(via.zy))
                    try check(
                        (0..<h).contains(zx) && (0..<h).contains(zy) && upTails[zx] == upTails[zy]
                            && upTails[zx] < upTails[a] && upHeads[zx] == upTails[a] && upHeads[zy] == upHeads[a],
                        "customized arc \(a) names a triangle that is not below it")
                    try check(
                        next == (upward ? nextDown[zx] : nextDown[zy]),
                        "customized arc \(a)'s next hop is not the first step of its path")
                }
            }
        }
        let graph = RoadGraph(
            storage: .init(
                latitudes: latitudes, longitudes: longitudes, nodeIDs: nodeIDs, offsets: offsets, heads: heads,
                lengths: lengths, arcEdges: arcEdges, reverseOffsets: reverseOffsets, reverseTails: reverseTails,
                reverseLengths: reverseLengths, reverseEdges: reverseEdges, edgeWays: edgeWays, edgeNames: edgeNames,
                names: names, shapeOffsets: shapeOffsets, shapePoints: shapePoints, edgeFrom: edgeFrom,
                edgeTo: edgeTo, edgeLengths: edgeLengths, edgeTwoWay: edgeTwoWay.map { $0 != 0 },
                edgeSteps: edgeSteps.map { $0 != 0 }))
        let hierarchy = RoadHierarchy(
            rankOf: rankOf, nodeAt: nodeAt, upOffsets: upOffsets, upHeads: upHeads,
            downOffsets: downOffsets, downTails: downTails, downArcs: downArcs, parent: parent, arcSlots: arcSlots)
        let locator = EdgeLocator(
            graph: graph, grid: (cellSize, Int(columns), Int(rows), minEast, minNorth), cellStart: cellStart,
            cellSegments: cellSegments, cellPlane: cellPlane, segments: segments, edgePlaneLength: edgePlaneLength,
            maximumDistance: maximumDistance)
        let customized = CustomizedHierarchy(
            hierarchy: hierarchy, metric: RoadMetric(graph: graph),
            upward: SearchGraph(offsets: upwardOffsets, arcs: upwardArcs),
            downward: SearchGraph(offsets: downwardOffsets, arcs: downwardArcs), next: (nextUp, nextDown),
            via: (viaUp, viaDown))
        return RoadNetwork(graph: graph, hierarchy: hierarchy, locator: locator, customized: customized, note: note)
    }

    /// Appends arrays as count + raw little-endian elements, padded to 8 bytes, after room for
    /// the header, so that the file is made in one buffer (a city's network is 150 MB: copying
    /// it byte by byte, or once more to put the header in front, took a quarter of a save).
    struct Writer {
        private var bytes = Data(count: 24)

        mutating func append<Element: BitwiseCopyable>(_ array: [Element]) {
            withUnsafeBytes(of: UInt64(array.count).littleEndian) { bytes.append(contentsOf: $0) }
            array.withUnsafeBytes { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8))
        }

        /// The file: magic, payload length, CRC-32 of the payload, padding, payload.
        consuming func finish() -> Data {
            let payloadCount = bytes.count - 24
            let checksum = bytes.withUnsafeBytes { raw in
                UInt32(
                    crc32(
                        0, raw.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + 24 }, UInt32(payloadCount)))
            }
            var header = Data(RoadNetworkFile.magic)
            withUnsafeBytes(of: UInt64(payloadCount).littleEndian) { header.append(contentsOf: $0) }
            withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
            header.append(contentsOf: [0, 0, 0, 0])
            bytes.replaceSubrange(0..<24, with: header)
            return bytes
        }
    }

    /// Reads the arrays back, checking each count against what is left and what is expected.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        let path: String
        var offset = 0

        mutating func array<Element: BitwiseCopyable>(
            _ name: String, count expected: Int? = nil
        ) throws(RoadNetworkFileError) -> [Element] {
            guard offset + 8 <= bytes.count else { throw .damaged(path, "ends before the \(name)") }
            let count = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            let size = MemoryLayout<Element>.stride
            guard count <= UInt64((bytes.count - offset) / size) else {
                throw .damaged(path, "the \(name) claim \(count) entries, more than the file holds")
            }
            if let expected, Int(count) != expected {
                throw .damaged(path, "\(count) \(name), expected \(expected)")
            }
            let result = [Element](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Int(count) * size)]))
                initialized = Int(count)
            }
            offset += Int(count) * size
            offset += (8 - offset % 8) % 8
            return result
        }
    }
}

/// Why a network file could not be written or read.
public enum RoadNetworkFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, mapped or written.
    case unreadable(String, String)
    /// The file is not one of ours, or is damaged.
    case damaged(String, String)

    /// A sentence naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .damaged(let path, let reason): "\(path): not a usable network file: \(reason)"
        }
    }
}
