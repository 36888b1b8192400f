#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SuginamiKit

/// The distances the regional variants of ``SiMidorikawa1999`` need, km: to the subduction
/// trench and from the hypocentre (north-east correction, eq. 3.5.2-1), or to the volcanic
/// front (south-west correction, eq. 3.5.2-2).
///
/// ``init(site:hypocentre:hypocentralDepth:)`` computes all three as OpenQuake's hazardlib does:
/// the trench and the front are the polylines of NIED (2009) tables 3.5.2-1 and 3.5.2-2, each taken
/// as a vertical fault whose top edge is the line, and the distance is that fault's Rx (the
/// horizontal distance perpendicular to the nearest segment, the end segments extended as
/// half-arcs) on a sphere of radius 6,371 km; the trench distance is its absolute value, the
/// front's keeps OpenQuake's sign.
public struct RegionalDistances: Sendable, Hashable {
    /// x_tr: the distance to the trench.
    public var trench: Double?
    /// x_vf: the signed distance to the volcanic front.
    public var volcanicFront: Double?
    /// The hypocentral distance (the trench correction's distance term).
    public var hypocentral: Double?

    /// Creates distances from known values.
    public init(trench: Double? = nil, volcanicFront: Double? = nil, hypocentral: Double? = nil) {
        self.trench = trench
        self.volcanicFront = volcanicFront
        self.hypocentral = hypocentral
    }

    /// Computes the three distances of `site` for a hypocentre at `hypocentre`,
    /// `hypocentralDepth` km deep.
    public init(site: GeoPoint, hypocentre: GeoPoint, hypocentralDepth: Double) {
        let point = SphericalPoint(site)
        trench = abs(Self.rx(point, line: Self.trenchLine))
        volcanicFront = Self.rx(point, line: Self.volcanicFrontLine)
        let horizontal = point.distance(to: SphericalPoint(hypocentre))
        hypocentral = (horizontal * horizontal + hypocentralDepth * hypocentralDepth).squareRoot()
    }

    /// The subduction trench, NIED (2009) table 3.5.2-1 (as transcribed in OpenQuake's
    /// `si_midorikawa_1999.py`), longitude and latitude in degrees.
    static let trenchLine: [SphericalPoint] = zip(
        [143.50, 143.00, 141.90, 142.40, 143.25, 143.80, 144.20, 144.30, 144.65, 146.80, 153.00],
        [24.00, 29.00, 33.80, 35.80, 36.55, 37.70, 39.20, 40.10, 41.00, 42.00, 45.50]
    ).map { SphericalPoint(longitude: $0, latitude: $1) }

    /// The volcanic front, NIED (2009) table 3.5.2-2 (same transcription).
    static let volcanicFrontLine: [SphericalPoint] = zip(
        [122.00, 124.00, 128.30, 129.70, 130.80, 131.60, 132.00, 133.70, 134.90, 136.90],
        [24.50, 24.50, 27.90, 29.50, 31.50, 33.40, 34.90, 35.30, 35.30, 36.20]
    ).map { SphericalPoint(longitude: $0, latitude: $1) }

    /// Rx of `point` to the vertical fault whose top edge is `line`, following OpenQuake's
    /// `BaseSurface.get_rx_distance`: per segment a signed distance (the first and last
    /// segments as half-arcs running off the line's ends, the first reversed and its sign
    /// flipped), and the one of least magnitude wins (the first on ties).
    static func rx(_ point: SphericalPoint, line: [SphericalPoint]) -> Double {
        var best = Double.infinity
        let last = line.count - 2
        for index in 0...last {
            var distance: Double
            if index == 0 {
                let (from, to) = (line[1], line[0])
                distance = -from.distanceToHalfArc(towards: to, point)
            } else if index == last {
                distance = line[index].distanceToHalfArc(towards: line[index + 1], point)
            } else {
                distance = line[index].distanceToSegment(ending: line[index + 1], point)
            }
            if abs(distance) < abs(best) { best = distance }
        }
        return best
    }
}

/// A point on OpenQuake's spherical Earth (R = 6,371 km), with its formulas: the haversine
/// distance, the "alternative" azimuth formula, the cross-track distance to a great circle.
/// Written out because these are OpenQuake's own approximations, which we match to compare.
struct SphericalPoint: Sendable, Hashable {
    static let radius = 6371.0
    var longitude: Double
    var latitude: Double

    init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    init(_ point: GeoPoint) {
        self.init(longitude: point.longitude, latitude: point.latitude)
    }

    private var radians: (lon: Double, lat: Double) { (longitude * .pi / 180, latitude * .pi / 180) }

    /// Great-circle distance, km.
    func distance(to other: SphericalPoint) -> Double {
        let (lon1, lat1) = radians
        let (lon2, lat2) = other.radians
        let a = pow(sin((lat1 - lat2) / 2), 2) + cos(lat1) * cos(lat2) * pow(sin((lon1 - lon2) / 2), 2)
        return 2 * Self.radius * asin(a.squareRoot())
    }

    /// The straight-line (chord) distance, km, as OpenQuake's `min_geodetic_distance` measures.
    func chord(to other: SphericalPoint) -> Double {
        2 * Self.radius * sin(distance(to: other) / (2 * Self.radius))
    }

    /// Azimuth to `other`, degrees clockwise from north, in [0, 360).
    func azimuth(to other: SphericalPoint) -> Double {
        let (lon1, lat1) = radians
        let (lon2, lat2) = other.radians
        let course =
            atan2(sin(lon1 - lon2) * cos(lat2), cos(lat1) * sin(lat2) - sin(lat1) * cos(lat2) * cos(lon1 - lon2))
            * 180 / .pi
        return (360 - course).truncatingRemainder(dividingBy: 360)
    }

    /// Distance from `point` to the great circle through here with `azimuth`; negative on its
    /// right-hand side.
    func distanceToArc(azimuth: Double, _ point: SphericalPoint) -> Double {
        let angle = (self.azimuth(to: point) - azimuth + 360).truncatingRemainder(dividingBy: 360) * .pi / 180
        let across = acos(sin(angle) * sin(distance(to: point) / Self.radius))
        return (.pi / 2 - across) * Self.radius
    }

    /// Distance from `point` to the half great circle starting here and running through
    /// `towards`: across the arc when `point` is ahead of here, else to this point, negative in
    /// the quadrant behind and to the left (OpenQuake's `distance_to_semi_arc`).
    func distanceToHalfArc(towards: SphericalPoint, _ point: SphericalPoint) -> Double {
        let heading = azimuth(to: towards)
        let turn = (heading - azimuth(to: point)) * .pi / 180
        if cos(turn) > 0 { return distanceToArc(azimuth: heading, point) }
        let distance = distance(to: point)
        return sin(turn) > 0 ? -distance : distance
    }

    /// Distance from `point` to the segment from here to `end`: across the arc inside the band
    /// the segment spans, else the chord to the nearer end; negative on its left
    /// (OpenQuake's `min_distance_to_segment`).
    func distanceToSegment(ending end: SphericalPoint, _ point: SphericalPoint) -> Double {
        let heading = azimuth(to: end)
        let fromStart = azimuth(to: point)
        let fromEnd = end.azimuth(to: point)
        let inside = cos((heading - fromStart) * .pi / 180) >= 0 && cos((heading - fromEnd) * .pi / 180) <= 0
        let distance =
            inside ? abs(distanceToArc(azimuth: heading, point)) : min(chord(to: point), end.chord(to: point))
        return sin((fromStart - heading) * .pi / 180) < 0 ? -distance : distance
    }
}
