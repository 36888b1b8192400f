import SuginamiKit

/// No-go areas (e.g. a fire-spread footprint from the simulation, a collapsed-building zone):
/// the edges they touch, as closures for ``ShelterTree`` and ``Router``, so the graph is never
/// rebuilt.
public enum HazardAreas {
    /// The edges of `graph` with any part inside `areas`: an end or a shape point inside, or a
    /// segment crossing a ring (so an edge passing through a small area is caught too).
    public static func closedEdges(in graph: RoadGraph, areas: [GeoMultiPolygon]) -> Set<Int32> {
        guard let origin = areas.first?.polygons.first?.exterior.first else { return [] }
        let plane = LocalPlane(origin: origin)
        let rings = areas.flatMap { $0.polygons.flatMap(\.rings) }.map { ring in ring.map { plane.project($0) } }
        let boxes = areas.map(\.boundingBox)
        var closed = Set<Int32>()
        for edge in 0..<graph.edgeCount {
            let geometry = graph.geometry(ofEdge: edge)
            guard let box = BoundingBox(covering: geometry),
                boxes.contains(where: { overlaps($0, box) })
            else { continue }
            if geometry.contains(where: { point in areas.contains { $0.contains(point) } }) {
                closed.insert(Int32(edge))
                continue
            }
            let points = geometry.map { plane.project($0) }
            let crosses = zip(points, points.dropFirst()).contains { a, b in
                rings.contains { ring in
                    zip(ring, ring.dropFirst()).contains { c, d in segmentsCross(a, b, c, d) }
                }
            }
            if crosses { closed.insert(Int32(edge)) }
        }
        return closed
    }

    static func overlaps(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        a.minLatitude <= b.maxLatitude && b.minLatitude <= a.maxLatitude && a.minLongitude <= b.maxLongitude
            && b.minLongitude <= a.maxLongitude
    }

    static func segmentsCross(
        _ a: (east: Double, north: Double), _ b: (east: Double, north: Double), _ c: (east: Double, north: Double),
        _ d: (east: Double, north: Double)
    ) -> Bool {
        func orientation(
            _ p: (east: Double, north: Double), _ q: (east: Double, north: Double), _ r: (east: Double, north: Double)
        ) -> Double {
            (q.east - p.east) * (r.north - p.north) - (q.north - p.north) * (r.east - p.east)
        }
        let d1 = orientation(c, d, a)
        let d2 = orientation(c, d, b)
        let d3 = orientation(a, b, c)
        let d4 = orientation(a, b, d)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
}
