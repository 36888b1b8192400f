import SuginamiKit

/// Checks on polygon rings that their constructors cannot make: simplicity.
public enum PolygonValidation {
    /// Two edges of one ring that cross.
    public struct Crossing: Sendable, Hashable, CustomStringConvertible {
        /// The ring (0 is the outer boundary).
        public var ring: Int
        /// The first edge (from vertex `edge` to `edge + 1`).
        public var firstEdge: Int
        /// The second edge.
        public var secondEdge: Int

        /// A sentence naming the ring and edges.
        public var description: String {
            "ring \(ring) crosses itself: edge \(firstEdge) meets edge \(secondEdge)"
        }
    }

    /// The first place where a ring of the polygon crosses itself, or `nil` for a simple polygon.
    ///
    /// Edges that share a vertex in the ring's order do not count. The test is exact in the
    /// plane of longitude and latitude (orientation signs), which is what GeoJSON validity means.
    /// Quadratic in the ring's length: meant for validating imports (町丁目 rings have tens of
    /// vertices), not for big rings in a loop.
    public static func firstSelfCrossing(in polygon: GeoPolygon) -> Crossing? {
        for (ringIndex, ring) in polygon.rings.enumerated() {
            let edges = ring.count - 1
            guard edges >= 3 else { continue }
            for i in 0..<edges {
                for j in (i + 1)..<edges {
                    // Adjacent edges share a vertex; the first and last edges too.
                    if j == i + 1 || (i == 0 && j == edges - 1) { continue }
                    if segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1]) {
                        return Crossing(ring: ringIndex, firstEdge: i, secondEdge: j)
                    }
                }
            }
        }
        return nil
    }

    static func segmentsIntersect(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint, _ d: GeoPoint) -> Bool {
        func orientation(_ p: GeoPoint, _ q: GeoPoint, _ r: GeoPoint) -> Int {
            let value =
                (q.longitude - p.longitude) * (r.latitude - p.latitude)
                - (q.latitude - p.latitude) * (r.longitude - p.longitude)
            return value > 0 ? 1 : (value < 0 ? -1 : 0)
        }
        func onSegment(_ p: GeoPoint, _ q: GeoPoint, _ r: GeoPoint) -> Bool {
            min(p.longitude, r.longitude) <= q.longitude && q.longitude <= max(p.longitude, r.longitude)
                && min(p.latitude, r.latitude) <= q.latitude && q.latitude <= max(p.latitude, r.latitude)
        }
        let o1 = orientation(a, b, c)
        let o2 = orientation(a, b, d)
        let o3 = orientation(c, d, a)
        let o4 = orientation(c, d, b)
        if o1 != o2 && o3 != o4 { return true }
        return (o1 == 0 && onSegment(a, c, b)) || (o2 == 0 && onSegment(a, d, b)) || (o3 == 0 && onSegment(c, a, d))
            || (o4 == 0 && onSegment(c, b, d))
    }
}
