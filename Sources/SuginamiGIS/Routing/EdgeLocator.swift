import SuginamiKit

/// Finds the nearest point on the road network to any position: the projection onto the
/// nearest edge segment (not just the nearest node), by a uniform grid of segments in a local
/// plane searched ring by ring until no closer segment can exist.
public struct EdgeLocator: Sendable {
    /// Where a position lands on the network.
    public struct Snap: Sendable, Hashable {
        /// The edge.
        public var edge: Int
        /// The point on it.
        public var point: GeoPoint
        /// Metres from the query position to the point.
        public var distance: Double
        /// Metres along the edge from its `from` node to the point.
        public var offset: Double
        /// The segment of the edge's polyline the point lies on.
        public var segment: Int
    }

    let graph: RoadGraph
    let plane: LocalPlane
    let cellSize: Double
    let columns: Int
    let rows: Int
    let minEast: Double
    let minNorth: Double
    let cellStart: [Int32]
    /// Segment numbers per cell, into the segment table below.
    let cellSegments: [Int32]
    /// The segment table: each straight piece of every edge, with its ends, so a query does
    /// not rebuild edge polylines.
    let segmentEdge: [Int32]
    let segmentIndex: [Int32]
    let segmentStart: [GeoPoint]
    let segmentEnd: [GeoPoint]
    /// Per segment, the plane length of its edge's polyline before it; per edge, the whole
    /// plane length: a snap's offset is their ratio, without walking the polyline.
    let segmentPlaneOffset: [Double]
    let edgePlaneLength: [Double]
    /// Snaps farther than this are refused.
    public let maximumDistance: Double

    /// Indexes `graph`; `cellSize` metres per grid cell; points farther than `maximumDistance`
    /// metres from every edge get no snap.
    public init(graph: RoadGraph, cellSize: Double = 100, maximumDistance: Double = 1_000) {
        self.graph = graph
        self.cellSize = cellSize
        self.maximumDistance = maximumDistance
        precondition(graph.nodeCount > 0, "an empty network has nothing to snap to")
        let plane = LocalPlane(origin: graph.position(of: 0))
        self.plane = plane
        var boxes: [(id: Int32, minE: Double, minN: Double, maxE: Double, maxN: Double)] = []
        var segmentEdge: [Int32] = []
        var segmentIndex: [Int32] = []
        var segmentStart: [GeoPoint] = []
        var segmentEnd: [GeoPoint] = []
        var segmentPlaneOffset: [Double] = []
        var edgePlaneLength: [Double] = []
        for edge in 0..<graph.edgeCount {
            let geometry = graph.geometry(ofEdge: edge)
            let points = geometry.map { plane.project($0) }
            var length = 0.0
            for (index, (a, b)) in zip(points, points.dropFirst()).enumerated() {
                segmentPlaneOffset.append(length)
                length += plane.distance(from: geometry[index], to: geometry[index + 1])
                boxes.append(
                    (
                        Int32(segmentEdge.count), min(a.east, b.east), min(a.north, b.north), max(a.east, b.east),
                        max(a.north, b.north)
                    ))
                segmentEdge.append(Int32(edge))
                segmentIndex.append(Int32(index))
                segmentStart.append(geometry[index])
                segmentEnd.append(geometry[index + 1])
            }
            edgePlaneLength.append(length)
        }
        self.segmentPlaneOffset = segmentPlaneOffset
        self.edgePlaneLength = edgePlaneLength
        self.segmentEdge = segmentEdge
        self.segmentIndex = segmentIndex
        self.segmentStart = segmentStart
        self.segmentEnd = segmentEnd
        let minE = boxes.map(\.minE).min() ?? 0
        let minN = boxes.map(\.minN).min() ?? 0
        let maxE = boxes.map(\.maxE).max() ?? 0
        let maxN = boxes.map(\.maxN).max() ?? 0
        let columns = max(1, Int(((maxE - minE) / cellSize).rounded(.up)) + 1)
        let rows = max(1, Int(((maxN - minN) / cellSize).rounded(.up)) + 1)
        self.columns = columns
        self.rows = rows
        minEast = minE
        minNorth = minN
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func cells(_ box: (id: Int32, minE: Double, minN: Double, maxE: Double, maxN: Double)) -> [Int] {
            let c0 = Int((box.minE - minE) / cellSize)
            let c1 = Int((box.maxE - minE) / cellSize)
            let r0 = Int((box.minN - minN) / cellSize)
            let r1 = Int((box.maxN - minN) / cellSize)
            return (r0...r1).flatMap { r in (c0...c1).map { r * columns + $0 } }
        }
        for box in boxes { for cell in cells(box) { counts[cell + 1] += 1 } }
        for cell in 0..<(columns * rows) { counts[cell + 1] += counts[cell] }
        var cursor = counts
        var segments = [Int32](repeating: 0, count: Int(counts[columns * rows]))
        for box in boxes {
            for cell in cells(box) {
                segments[Int(cursor[cell])] = box.id
                cursor[cell] += 1
            }
        }
        cellStart = counts
        cellSegments = segments
    }

    /// The network node nearest along the snapped edge (its nearer end), or nil when no road
    /// lies within ``maximumDistance``.
    public func nearestNode(to point: GeoPoint) -> Int? {
        guard let snap = snap(point) else { return nil }
        return snap.offset < graph.length(ofEdge: snap.edge) / 2
            ? graph.from(ofEdge: snap.edge) : graph.to(ofEdge: snap.edge)
    }

    /// The nearest point of the network to `point`, or nil when none lies within
    /// ``maximumDistance``.
    public func snap(_ point: GeoPoint) -> Snap? {
        let p = plane.project(point)
        let east = (p.east - minEast) / cellSize
        let north = (p.north - minNorth) / cellSize
        let column = Int(east.rounded(.down))
        let row = Int(north.rounded(.down))
        // How far the point lies inside its cell: after ring k, every segment nearer than
        // k cells plus this margin has been seen.
        let margin =
            cellSize
            * Swift.min(
                east - Double(column), Double(column + 1) - east, north - Double(row), Double(row + 1) - north)
        var best: (distance: Double, id: Int32, projection: SegmentProjection)?
        let maximumRing = Int((maximumDistance / cellSize).rounded(.up)) + 1
        for ring in 0...maximumRing {
            if let best, ring > 0, best.distance <= Double(ring - 1) * cellSize + margin { break }
            for r in (row - ring)...(row + ring) {
                for c in (column - ring)...(column + ring)
                where (abs(r - row) == ring || abs(c - column) == ring) && r >= 0 && c >= 0 && r < rows && c < columns {
                    let cell = r * columns + c
                    for slot in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                        let id = cellSegments[slot]
                        var projection = SegmentProjection.project(
                            point, ontoSegmentFrom: segmentStart[Int(id)], to: segmentEnd[Int(id)], plane: plane)
                        projection.segment = Int(segmentIndex[Int(id)])
                        if best == nil || projection.distance < best!.distance
                            || (projection.distance == best!.distance && id < best!.id)
                        {
                            best = (projection.distance, id, projection)
                        }
                    }
                }
            }
        }
        guard let best, best.distance <= maximumDistance else { return nil }
        let id = Int(best.id)
        let edge = Int(segmentEdge[id])
        // The offset along the edge: the share of the polyline before the point (a ratio, so
        // the local plane at each piece's mean latitude is exact to well under a millimetre on
        // a street, at a fraction of a geodesic's cost), times the edge's stored length.
        let before = segmentPlaneOffset[id] + plane.distance(from: segmentStart[id], to: best.projection.point)
        let total = edgePlaneLength[edge]
        let offset = total > 0 ? graph.edgeLengths[edge] * min(1, before / total) : 0
        return Snap(
            edge: edge, point: best.projection.point, distance: best.distance, offset: offset,
            segment: best.projection.segment)
    }
}
