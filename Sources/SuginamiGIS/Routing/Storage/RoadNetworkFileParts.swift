import SuginamiKit

extension RoadNetworkFile {
    /// The arrays of a mapped network file, cut in place, and the checks that make them safe to
    /// search: after ``init(file:path:)`` and the four `check…` methods, every index in every
    /// array is within range and every search over them ends.
    struct Parts {
        let path: String
        /// The graph's arrays, as ``RoadGraph`` keeps them.
        let graph: RoadGraph.Storage
        let rankOf: FlatArray<Int32>
        let nodeAt: FlatArray<Int32>
        let upOffsets: FlatArray<Int32>
        let upHeads: FlatArray<Int32>
        let downOffsets: FlatArray<Int32>
        let downTails: FlatArray<Int32>
        let downArcs: FlatArray<Int32>
        let parent: FlatArray<Int32>
        let arcSlots: FlatArray<Int32>
        let grid: FlatArray<Double>
        let gridSize: FlatArray<Int64>
        let cellStart: FlatArray<Int32>
        let cellSegments: FlatArray<Int32>
        let cellPlane: FlatArray<PlaneSegment>
        let segments: FlatArray<EdgeLocator.Segment>
        let edgePlaneLength: FlatArray<Double>
        let upward: (offsets: FlatArray<Int32>, arcs: FlatArray<SearchGraph.Arc>)
        let downward: (offsets: FlatArray<Int32>, arcs: FlatArray<SearchGraph.Arc>)
        let next: (up: FlatArray<Int32>, down: FlatArray<Int32>)
        let via: (up: FlatArray<CustomizedHierarchy.Triangle>, down: FlatArray<CustomizedHierarchy.Triangle>)
        let note: String
        /// Each hierarchy arc's lower end, from the (checked) offsets.
        let upTails: [Int32]

        var n: Int { graph.nodeIDs.count }
        var m: Int { graph.heads.count }
        var e: Int { graph.edgeWays.count }
        var h: Int { upHeads.count }

        /// Cuts the payload of `file` into its arrays and checks what every group of checks
        /// relies on: counts, the offset tables, arc heads, names and the note.
        init(file: MappedFile, path: String) throws(RoadNetworkFileError) {
            self.path = path
            var reader = Reader(file: file, path: path)
            let nodeIDs: FlatArray<Int64> = try reader.array("node ids")
            let n = nodeIDs.count
            let latitudes: FlatArray<Double> = try reader.array("latitudes", count: n)
            let longitudes: FlatArray<Double> = try reader.array("longitudes", count: n)
            let offsets: FlatArray<Int32> = try reader.array("arc offsets", count: n + 1)
            let heads: FlatArray<Int32> = try reader.array("arc heads")
            let m = heads.count
            let lengths: FlatArray<Double> = try reader.array("arc lengths", count: m)
            let arcEdges: FlatArray<Int32> = try reader.array("arc edges", count: m)
            let reverseOffsets: FlatArray<Int32> = try reader.array("reverse offsets", count: n + 1)
            let reverseTails: FlatArray<Int32> = try reader.array("reverse tails", count: m)
            let reverseLengths: FlatArray<Double> = try reader.array("reverse lengths", count: m)
            let reverseEdges: FlatArray<Int32> = try reader.array("reverse edges", count: m)
            let edgeWays: FlatArray<Int64> = try reader.array("edge ways")
            let e = edgeWays.count
            let edgeNames: FlatArray<Int32> = try reader.array("edge names", count: e)
            let edgeFrom: FlatArray<Int32> = try reader.array("edge tails", count: e)
            let edgeTo: FlatArray<Int32> = try reader.array("edge heads", count: e)
            let edgeLengths: FlatArray<Double> = try reader.array("edge lengths", count: e)
            let edgeTwoWay: FlatArray<Bool> = try reader.flags("edge directions", count: e)
            let edgeSteps: FlatArray<Bool> = try reader.flags("edge kinds", count: e)
            let shapeOffsets: FlatArray<Int32> = try reader.array("shape offsets", count: e + 1)
            let shapePoints: FlatArray<GeoPoint> = try reader.array("shape points")
            let nameOffsets: FlatArray<Int32> = try reader.array("name offsets")
            let nameBytes: FlatArray<UInt8> = try reader.array("name bytes")
            try Self.checkOffsets(nameOffsets, total: nameBytes.count, "name offsets", path)
            var names: [String] = []
            names.reserveCapacity(nameOffsets.count - 1)
            for index in 0..<(nameOffsets.count - 1) {
                let slice = nameBytes[Int(nameOffsets[index])..<Int(nameOffsets[index + 1])]
                guard let name = String(validating: slice, as: UTF8.self) else {
                    throw .damaged(path, "street name \(index) is not UTF-8")
                }
                names.append(name)
            }
            graph = RoadGraph.Storage(
                latitudes: latitudes, longitudes: longitudes, nodeIDs: nodeIDs, offsets: offsets, heads: heads,
                lengths: lengths, arcEdges: arcEdges, reverseOffsets: reverseOffsets, reverseTails: reverseTails,
                reverseLengths: reverseLengths, reverseEdges: reverseEdges, edgeWays: edgeWays, edgeNames: edgeNames,
                names: names, shapeOffsets: shapeOffsets, shapePoints: shapePoints, edgeFrom: edgeFrom, edgeTo: edgeTo,
                edgeLengths: edgeLengths, edgeTwoWay: edgeTwoWay, edgeSteps: edgeSteps)
            rankOf = try reader.array("ranks", count: n)
            nodeAt = try reader.array("order", count: n)
            upOffsets = try reader.array("hierarchy offsets", count: n + 1)
            upHeads = try reader.array("hierarchy heads")
            let h = upHeads.count
            downOffsets = try reader.array("hierarchy lower offsets", count: n + 1)
            downTails = try reader.array("hierarchy lower neighbours", count: h)
            downArcs = try reader.array("hierarchy lower arcs", count: h)
            parent = try reader.array("elimination tree", count: n)
            arcSlots = try reader.array("arc slots", count: m)
            grid = try reader.array("snapping grid", count: 4)
            gridSize = try reader.array("snapping grid size", count: 2)
            cellStart = try reader.array("snapping cells")
            cellSegments = try reader.array("snapping cell entries")
            cellPlane = try reader.array("snapping cell segments", count: cellSegments.count)
            segments = try reader.array("snapping segments")
            edgePlaneLength = try reader.array("snapping edge lengths", count: e)
            upward = (
                try reader.array("customized upward offsets", count: n + 1), try reader.array("customized upward arcs")
            )
            downward = (
                try reader.array("customized downward offsets", count: n + 1),
                try reader.array("customized downward arcs")
            )
            next = (
                try reader.array("customized upward next hops", count: h),
                try reader.array("customized downward next hops", count: h)
            )
            via = (
                try reader.array("customized upward triangles", count: h),
                try reader.array("customized downward triangles", count: h)
            )
            let noteBytes: FlatArray<UInt8> = try reader.array("note")
            guard reader.offset == file.bytes.count else {
                throw .damaged(path, "\(file.bytes.count - reader.offset) bytes after the last section")
            }
            guard n > 0, e > 0 else { throw .damaged(path, "the network has no roads") }
            try Self.checkOffsets(offsets, total: m, "arc offsets", path)
            try Self.checkOffsets(reverseOffsets, total: m, "reverse offsets", path)
            try Self.checkOffsets(shapeOffsets, total: shapePoints.count, "shape offsets", path)
            try Self.checkOffsets(upOffsets, total: h, "hierarchy offsets", path)
            try Self.checkOffsets(downOffsets, total: h, "hierarchy lower offsets", path)
            try Self.checkOffsets(upward.offsets, total: upward.arcs.count, "customized upward offsets", path)
            try Self.checkOffsets(downward.offsets, total: downward.arcs.count, "customized downward offsets", path)
            try Self.checkRange(heads, n, "arc heads", path)
            guard let note = String(validating: noteBytes, as: UTF8.self) else {
                throw .damaged(path, "the note is not UTF-8")
            }
            self.note = note
            var upTails = [Int32](repeating: 0, count: h)
            for r in 0..<n {
                for arc in Int(upOffsets[r])..<Int(upOffsets[r + 1]) { upTails[arc] = Int32(r) }
            }
            self.upTails = upTails
        }

        /// Every check, in the order their failures are told; each reads only what
        /// ``init(file:path:)`` or the check itself has checked, so they run side by side and
        /// none can trap.
        var checks: [() throws(RoadNetworkFileError) -> Void] {
            [checkOrder, checkChordality, checkTriangles, checkSearchGraphs, checkGraph, checkLocator]
        }

        /// The network, once every check has passed.
        func network() -> RoadNetwork {
            let graph = RoadGraph(storage: self.graph)
            let hierarchy = RoadHierarchy(
                rankOf: rankOf, nodeAt: nodeAt, upOffsets: upOffsets, upHeads: upHeads, downOffsets: downOffsets,
                downTails: downTails, downArcs: downArcs, parent: parent, arcSlots: arcSlots)
            let locator = EdgeLocator(
                graph: graph, grid: (grid[0], Int(gridSize[0]), Int(gridSize[1]), grid[1], grid[2]),
                cellStart: cellStart, cellSegments: cellSegments, cellPlane: cellPlane, segments: segments,
                edgePlaneLength: edgePlaneLength, maximumDistance: grid[3])
            let customized = CustomizedHierarchy(
                hierarchy: hierarchy, metric: RoadMetric(graph: graph),
                upward: SearchGraph(offsets: upward.offsets, arcs: upward.arcs),
                downward: SearchGraph(offsets: downward.offsets, arcs: downward.arcs), next: next, via: via)
            return RoadNetwork(graph: graph, hierarchy: hierarchy, locator: locator, customized: customized, note: note)
        }

        /// The graph: indices within range, positions on the earth, lengths that are lengths.
        func checkGraph() throws(RoadNetworkFileError) {
            try Self.checkRange(graph.reverseTails, n, "reverse tails", path)
            try Self.checkRange(graph.arcEdges, e, "arc edges", path)
            try Self.checkRange(graph.reverseEdges, e, "reverse edges", path)
            try Self.checkRange(graph.edgeFrom, n, "edge tails", path)
            try Self.checkRange(graph.edgeTo, n, "edge heads", path)
            try Self.checkRange(graph.edgeNames, graph.names.count, "edge names", path)
            try graph.latitudes.withUnsafeBufferPointer { latitudes throws(RoadNetworkFileError) in
                try graph.longitudes.withUnsafeBufferPointer { longitudes throws(RoadNetworkFileError) in
                    for node in 0..<n
                    where !(-90...90).contains(latitudes[node]) || !(-180...180).contains(longitudes[node]) {
                        throw .damaged(
                            path,
                            "node \(node) lies at \(longitudes[node]),\(latitudes[node]) (longitude,latitude)")
                    }
                }
            }
            try check(graph.lengths.allFinite { $0 >= 0 }, "an arc length is negative or not finite")
            try check(graph.reverseLengths.allFinite { $0 >= 0 }, "a reverse arc length is negative or not finite")
            try check(
                graph.edgeLengths.allFinite { $0 >= 0 && $0 <= RoadGraph.longestEdge },
                "an edge length is negative, not finite or over 1,000 km")
            if let bad = graph.shapePoints.withUnsafeBufferPointer({ $0.firstIndex { !$0.isOnTheEarth } }) {
                let point = graph.shapePoints[bad]
                throw .damaged(
                    path, "shape point \(bad) lies at \(point.longitude),\(point.latitude) (longitude,latitude)")
            }
        }

        /// The order: a permutation, an elimination tree that climbs, ascending upward lists,
        /// and every graph arc on its own hierarchy arc.
        func checkOrder() throws(RoadNetworkFileError) {
            try Self.checkRange(rankOf, n, "ranks", path)
            try Self.checkRange(nodeAt, n, "order", path)
            try Self.checkRange(parent, n, "elimination tree", path, allowing: -1)
            try Self.checkRange(arcSlots, 2 * h, "arc slots", path, allowing: -1)
            let (rankOf, nodeAt, parent, upOffsets, upHeads, upTails, arcSlots) = (
                self.rankOf, self.nodeAt, self.parent, self.upOffsets, self.upHeads, self.upTails, self.arcSlots
            )
            let (offsets, heads) = (graph.offsets, graph.heads)
            for r in 0..<n {
                try check(rankOf[Int(nodeAt[r])] == Int32(r), "the order is not a permutation (rank \(r))")
                try check(parent[r] == -1 || parent[r] > Int32(r), "the elimination tree climbs down at rank \(r)")
                let arcs = Int(upOffsets[r])..<Int(upOffsets[r + 1])
                for arc in arcs {
                    try check(upHeads[arc] > Int32(r), "hierarchy arc \(arc) is not upward")
                    try check(
                        arc == arcs.lowerBound || upHeads[arc] > upHeads[arc - 1],
                        "the hierarchy arcs of rank \(r) are not in ascending order")
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
        }

        /// The lower lists mirror the upward arcs, and the upward neighbours of every node form
        /// a clique (chordality): customization indexes by both without further checks.
        ///
        /// Checked in linear time (Tarjan and Yannakakis, 1984): with every upward list ascending
        /// (``checkOrder()``), it is enough that each node's upward neighbours other than its
        /// lowest, p, are upward neighbours of p; then, from the top rank down, every upward list
        /// is a clique. (Checking every triangle took a third of a cold start.)
        func checkChordality() throws(RoadNetworkFileError) {
            try Self.checkRange(upHeads, n, "hierarchy heads", path)
            try Self.checkRange(downTails, n, "hierarchy lower neighbours", path)
            try Self.checkRange(downArcs, h, "hierarchy lower arcs", path)
            let (upOffsets, upHeads, upTails, downOffsets, downTails, downArcs) = (
                self.upOffsets, self.upHeads, self.upTails, self.downOffsets, self.downTails, self.downArcs
            )
            var mark = [Int32](repeating: -1, count: n)
            for x in 0..<n {
                let lower = Int(downOffsets[x])..<Int(downOffsets[x + 1])
                for entry in lower {
                    let arc = Int(downArcs[entry])
                    try check(
                        upHeads[arc] == Int32(x) && upTails[arc] == downTails[entry],
                        "hierarchy lower list of rank \(x) names arc \(arc), which does not end there")
                }
                for arc in Int(upOffsets[x])..<Int(upOffsets[x + 1]) { mark[Int(upHeads[arc])] = Int32(x) }
                // The nodes whose lowest upward neighbour is x.
                for entry in lower where Int(downArcs[entry]) == Int(upOffsets[Int(downTails[entry])]) {
                    let z = Int(downTails[entry])
                    for zy in (Int(downArcs[entry]) + 1)..<Int(upOffsets[z + 1]) {
                        try check(
                            mark[Int(upHeads[zy])] == Int32(x),
                            "the hierarchy is not chordal at ranks \(z), \(x), \(upHeads[zy])")
                    }
                }
            }
        }

        /// The customized search graphs: searches climb, along arcs of the hierarchy, with
        /// weights that are weights.
        func checkSearchGraphs() throws(RoadNetworkFileError) {
            for (table, arcs, name) in [
                (upward.offsets, upward.arcs, "customized upward"),
                (downward.offsets, downward.arcs, "customized downward"),
            ] {
                let (upHeads, upTails, n, h) = (self.upHeads, self.upTails, self.n, self.h)
                for r in 0..<n {
                    for entry in Int(table[r])..<Int(table[r + 1]) {
                        let arc = arcs[entry]
                        try check(
                            arc.head > Int32(r) && Int(arc.head) < n && (0..<h).contains(Int(arc.arc))
                                && upHeads[Int(arc.arc)] == arc.head && upTails[Int(arc.arc)] == Int32(r)
                                && arc.weight >= RoadMetric.smallestWeight && !arc.weight.isNaN,
                            "\(name) arc \(entry) is not an arc of the hierarchy with a weight")
                    }
                }
            }
        }

        /// The customization's unpacking records: next hops are the first step of each arc's
        /// path, and every triangle lies below its arc, so unpacking ends.
        func checkTriangles() throws(RoadNetworkFileError) {
            let (upHeads, upTails, arcSlots, heads, nextDown) = (
                self.upHeads, self.upTails, self.arcSlots, graph.heads, next.down
            )
            let (m, h) = (self.m, self.h)
            // One direction's record of arc a; a function, not a loop over a pair of tuples,
            // which allocated an array per arc.
            func checkArc(_ a: Int, via: CustomizedHierarchy.Triangle, next: Int32, upward: Bool)
                throws(RoadNetworkFileError)
            {
                if via.zx == -1 {
                    let arc = Int(via.zy)
                    try check(
                        (0..<m).contains(arc) && Int(arcSlots[arc]) == a << 1 | (upward ? 1 : 0)
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
            let (viaUp, viaDown, nextUp) = (via.up, via.down, next.up)
            for a in 0..<h {
                try checkArc(a, via: viaUp[a], next: nextUp[a], upward: true)
                try checkArc(a, via: viaDown[a], next: nextDown[a], upward: false)
            }
        }

        /// The snapping index: its grid, every cell entry and segment within range.
        func checkLocator() throws(RoadNetworkFileError) {
            let (cellSize, minEast, minNorth, maximumDistance) = (grid[0], grid[1], grid[2], grid[3])
            let (columns, rows) = (gridSize[0], gridSize[1])
            try check(
                cellSize.isFinite && cellSize > 0 && maximumDistance.isFinite && maximumDistance > 0
                    && minEast.isFinite && minNorth.isFinite,
                "the snapping grid is not a grid")
            try check(
                (1...1 << 24).contains(columns) && (1...1 << 24).contains(rows)
                    && columns * rows + 1 == cellStart.count,
                "the snapping grid has \(columns) × \(rows) cells for \(cellStart.count - 1) cell lists")
            try Self.checkOffsets(cellStart, total: cellSegments.count, "snapping cells", path)
            try Self.checkRange(cellSegments, segments.count, "snapping cell entries", path)
            try check(
                cellPlane.withUnsafeBufferPointer {
                    $0.allSatisfy {
                        $0.startEast.isFinite && $0.startNorth.isFinite && $0.endEast.isFinite && $0.endNorth.isFinite
                    }
                },
                "a snapping cell segment is not finite")
            try check(edgePlaneLength.allFinite { $0 >= 0 }, "a snapping length is negative or not finite")
            for index in 0..<segments.count {
                let segment = segments[index]
                let edge = Int(segment.edge)
                try check((0..<e).contains(edge), "snapping segment \(index) is on edge \(edge), outside 0..<\(e)")
                let pieces = graph.shapeOffsets[edge + 1] - graph.shapeOffsets[edge] + 1  // inner points + 1
                try check(
                    (0..<pieces).contains(segment.index),
                    "snapping segment \(index) is piece \(segment.index) of edge \(edge), which has \(pieces)")
                try check(
                    segment.start.isOnTheEarth && segment.end.isOnTheEarth,
                    "snapping segment \(index) lies off the earth")
                try check(
                    segment.planeOffset.isFinite && segment.planeOffset >= 0,
                    "snapping segment \(index) starts at a length that is negative or not finite")
            }
        }

        private func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(RoadNetworkFileError) {
            if !ok { throw .damaged(path, what()) }
        }

        /// An offset table: starts at 0, ends at `total`, never falls.
        static func checkOffsets(
            _ table: FlatArray<Int32>, total: Int, _ name: String, _ path: String
        ) throws(RoadNetworkFileError) {
            guard table.first == 0, table.last.map(Int.init) == total else {
                throw .damaged(path, "\(name) do not span 0…\(total)")
            }
            if let bad = table.withUnsafeBufferPointer({ table in
                (1..<table.count).first { table[$0] < table[$0 - 1] }
            }) {
                throw .damaged(path, "\(name) fall at entry \(bad)")
            }
        }

        /// Indices: every value in `low..<limit`.
        static func checkRange(
            _ values: FlatArray<Int32>, _ limit: Int, _ name: String, _ path: String, allowing low: Int32 = 0
        ) throws(RoadNetworkFileError) {
            if let bad = values.withUnsafeBufferPointer({ $0.firstIndex { $0 < low || Int($0) >= limit } }) {
                throw .damaged(path, "\(name) entry \(bad) is \(values[bad]), outside \(low)..<\(limit)")
            }
        }
    }
}

extension FlatArray<Double> {
    /// Whether every value is finite and satisfies `condition`.
    fileprivate func allFinite(_ condition: (Double) -> Bool) -> Bool {
        withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite && condition($0) } }
    }
}

extension GeoPoint {
    /// Whether the point's values are a position (a point read in place from a file was not
    /// made by the checking initialiser).
    fileprivate var isOnTheEarth: Bool {
        (-90...90).contains(latitude) && (-180...180).contains(longitude)
    }
}
