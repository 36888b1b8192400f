/// Lengths and areas in a plane rectangular zone, in metres and square metres: what surveyors
/// and the 固定資産 registers report, before the scale factor is taken out.
///
/// The zone's scale factor (0.9999 on the central meridian, up to about 1.0001 at the zone's
/// edge) makes plane lengths differ from ellipsoidal ones by up to 1 part in 10,000; use
/// ``Geodesic`` for lengths on the ground.
public enum PlaneMeasures {
    /// The length of a line through the points.
    public static func length(of points: [PlanePoint]) -> Double {
        zip(points, points.dropFirst()).reduce(0) { total, pair in
            let dx = pair.1.easting - pair.0.easting
            let dy = pair.1.northing - pair.0.northing
            return total + (dx * dx + dy * dy).squareRoot()
        }
    }

    /// The area enclosed by a ring (closed or not), whatever its orientation (shoelace formula).
    public static func area(of ring: [PlanePoint]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        for index in 0..<ring.count {
            let a = ring[index]
            let b = ring[(index + 1) % ring.count]
            sum += a.easting * b.northing - b.easting * a.northing
        }
        return abs(sum) / 2
    }

    /// The area of a polygon given as rings (the first the outer boundary, the rest holes).
    public static func area(ofRings rings: [[PlanePoint]]) -> Double {
        guard let outer = rings.first else { return 0 }
        return rings.dropFirst().reduce(area(of: outer)) { $0 - area(of: $1) }
    }
}
