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

/// Penalty areas: edges that may be used but are avoided where a detour is short enough (smoke,
/// debris, a fire front that may move), as a factor on their length. Applied by ``ShelterTree``
/// and ``Router`` without rebuilding the graph.
public struct EdgePenalties: Sendable, Hashable {
    /// Per edge, the factor (1 where no area touches it).
    public let factors: [Double]

    /// Penalties from areas and their factors (each ≥ 1; an edge touched by several areas takes
    /// the largest), an edge touched as ``HazardAreas/closedEdges(in:areas:)`` defines it.
    /// - Throws: ``PenaltyError`` for a factor below 1 or not finite.
    public init(graph: RoadGraph, areas: [(area: GeoMultiPolygon, factor: Double)]) throws(PenaltyError) {
        var factors = [Double](repeating: 1, count: graph.edgeCount)
        for (index, entry) in areas.enumerated() {
            guard entry.factor.isFinite, entry.factor >= 1 else {
                throw PenaltyError(area: index, factor: entry.factor)
            }
            for edge in HazardAreas.closedEdges(in: graph, areas: [entry.area]) {
                factors[Int(edge)] = max(factors[Int(edge)], entry.factor)
            }
        }
        self.factors = factors
    }

    /// Edges with a factor above 1.
    public var penalisedCount: Int { factors.filter { $0 > 1 }.count }
}

/// A penalty factor that is not a finite number of at least 1.
public struct PenaltyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The area's position in the list.
    public var area: Int
    /// Its factor.
    public var factor: Double

    /// A sentence.
    public var description: String { "penalty area \(area): factor \(factor) must be a finite number of at least 1" }
}
