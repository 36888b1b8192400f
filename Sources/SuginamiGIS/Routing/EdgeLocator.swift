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
    /// Cell c's entries are `cellStart[c]..<cellStart[c + 1]` of the two arrays below.
    let cellStart: FlatArray<Int32>
    /// Per cell entry, the segment's number and its ends on the plane: a cell's candidates lie
    /// side by side (a segment crossing cells is copied into each), so a query reads a few
    /// cache lines rather than one scattered record per candidate.
    let cellSegments: FlatArray<Int32>
    let cellPlane: FlatArray<PlaneSegment>
    /// Per segment (each straight piece of every edge), what the winner's snap is built from.
    let segments: FlatArray<Segment>
    /// Per edge, the plane length of its whole polyline: a snap's offset is the share of it
    /// before the point.
    let edgePlaneLength: FlatArray<Double>
    /// Snaps farther than this are refused.
    public let maximumDistance: Double

    /// A straight piece of an edge's polyline.
    struct Segment {
        var start: GeoPoint
        var end: GeoPoint
        /// The plane length of the edge's polyline before this piece.
        var planeOffset: Double
        var edge: Int32
        /// The piece's index in its polyline.
        var index: Int32
    }

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
        var segments: [Segment] = []
        var segmentPlane: [PlaneSegment] = []
        var edgePlaneLength: [Double] = []
        for edge in 0..<graph.edgeCount {
            let geometry = graph.geometry(ofEdge: edge)
            let points = geometry.map { plane.project($0) }
            var length = 0.0
            for (index, (a, b)) in zip(points, points.dropFirst()).enumerated() {
                boxes.append(
                    (
                        Int32(segments.count), min(a.east, b.east), min(a.north, b.north), max(a.east, b.east),
                        max(a.north, b.north)
                    ))
                segments.append(
                    Segment(
                        start: geometry[index], end: geometry[index + 1], planeOffset: length, edge: Int32(edge),
                        index: Int32(index)))
                segmentPlane.append(PlaneSegment(start: a, end: b))
                length += plane.distance(from: geometry[index], to: geometry[index + 1])
            }
            edgePlaneLength.append(length)
        }
        self.segments = FlatArray(segments)
        self.edgePlaneLength = FlatArray(edgePlaneLength)
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
        var cellSegments = [Int32](repeating: 0, count: Int(counts[columns * rows]))
        var cellPlane = [PlaneSegment](
            repeating: PlaneSegment(start: (0, 0), end: (0, 0)), count: Int(counts[columns * rows]))
        for box in boxes {
            for cell in cells(box) {
                cellSegments[Int(cursor[cell])] = box.id
                cellPlane[Int(cursor[cell])] = segmentPlane[Int(box.id)]
                cursor[cell] += 1
            }
        }
        cellStart = FlatArray(counts)
        self.cellSegments = FlatArray(cellSegments)
        self.cellPlane = FlatArray(cellPlane)
    }

    /// An index from its parts, as ``RoadNetworkFile`` stores them (checked there): the same
    /// index the other initialiser builds, without the work.
    init(
        graph: RoadGraph, grid: (cellSize: Double, columns: Int, rows: Int, minEast: Double, minNorth: Double),
        cellStart: FlatArray<Int32>, cellSegments: FlatArray<Int32>, cellPlane: FlatArray<PlaneSegment>,
        segments: FlatArray<Segment>, edgePlaneLength: FlatArray<Double>, maximumDistance: Double
    ) {
        self.graph = graph
        plane = LocalPlane(origin: graph.position(of: 0))
        (cellSize, columns, rows, minEast, minNorth) = grid
        self.cellStart = cellStart
        self.cellSegments = cellSegments
        self.cellPlane = cellPlane
        self.segments = segments
        self.edgePlaneLength = edgePlaneLength
        self.maximumDistance = maximumDistance
    }

    /// The network node nearest along the snapped edge (its nearer end), or nil when no road
    /// lies within ``maximumDistance``.
    public func nearestNode(to point: GeoPoint) -> Int? {
        guard let snap = snap(point) else { return nil }
        return snap.offset < graph.length(ofEdge: snap.edge) / 2
            ? graph.from(ofEdge: snap.edge) : graph.to(ofEdge: snap.edge)
    }

    /// The nearest point of the network to `point` on an edge `accepts` (every edge when nil),
    /// or nil when none lies within ``maximumDistance``. Routing passes the open edges that lead
    /// somewhere, so that a closed road next to a resident never decides their answer.
    public func snap(_ point: GeoPoint, accepting accepts: ((Int) -> Bool)? = nil) -> Snap? {
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
        // The nearest segment so far: its squared plane distance, its number (the smaller wins
        // a tie, so the answer does not depend on cell order), where the foot falls along it.
        var best: (squared: Double, distance: Double, id: Int32, fraction: Double)?
        let maximumRing = Int((maximumDistance / cellSize).rounded(.up)) + 1
        for ring in 0...maximumRing {
            if let best, ring > 0, best.distance <= Double(ring - 1) * cellSize + margin { break }
            for r in (row - ring)...(row + ring) {
                for c in (column - ring)...(column + ring)
                where (abs(r - row) == ring || abs(c - column) == ring) && r >= 0 && c >= 0 && r < rows && c < columns {
                    let cell = r * columns + c
                    for entry in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                        let id = cellSegments[entry]
                        if let accepts, !accepts(Int(segments[Int(id)].edge)) { continue }
                        let (squared, fraction) = cellPlane[entry].foot(of: p)
                        if best == nil || squared < best!.squared || (squared == best!.squared && id < best!.id) {
                            best = (squared, squared.squareRoot(), id, fraction)
                        }
                    }
                }
            }
        }
        guard let best, best.distance <= maximumDistance else { return nil }
        let segment = segments[Int(best.id)]
        let edge = Int(segment.edge)
        let point = segment.start.interpolated(to: segment.end, fraction: best.fraction)
        // The offset along the edge: the share of the polyline before the point (a ratio, so
        // the local plane at each piece's mean latitude is exact to well under a millimetre on
        // a street, at a fraction of a geodesic's cost), times the edge's stored length.
        let before = segment.planeOffset + plane.distance(from: segment.start, to: point)
        let total = edgePlaneLength[edge]
        let offset = total > 0 ? graph.edgeLengths[edge] * min(1, before / total) : 0
        return Snap(edge: edge, point: point, distance: best.distance, offset: offset, segment: Int(segment.index))
    }
}
