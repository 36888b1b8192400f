#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SuginamiKit

/// A finite planar rupture (断層面): a rectangle dipping from its top edge, with a hypocentre and
/// a magnitude.
///
/// Distances are computed in a local tangent plane at the top edge's midpoint (``LocalPlane``),
/// whose error is below 0.002 % within 10 km and grows to about 0.1 % at 100 km: far below the
/// model's scatter. The distance to the rupture (rrup) is exact for that plane: the nearest point
/// of a rectangle is the projection clamped to its sides.
public struct PlanarRupture: Sendable, Hashable {
    /// Moment magnitude Mw.
    public let magnitude: Double
    /// Where the top edge starts (its first end, looking along strike), on the surface.
    public let traceStart: GeoPoint
    /// Strike, degrees clockwise from north.
    public let strike: Double
    /// Dip, degrees from horizontal, to the right of the strike direction; 0 < dip ≤ 90.
    public let dip: Double
    /// Rake, degrees (recorded; the distance does not use it).
    public let rake: Double
    /// Depth of the top edge, km.
    public let topDepth: Double
    /// Depth of the bottom edge, km.
    public let bottomDepth: Double
    /// Length along strike, km.
    public let length: Double
    /// The hypocentre's position and depth (km).
    public let hypocentre: GeoPoint
    /// The hypocentre's depth, km.
    public let hypocentralDepth: Double
    /// The tectonic type.
    public let type: EarthquakeType

    /// Creates a rupture from its geometry.
    /// - Throws: ``RuptureError`` naming the bad parameter: dip outside (0, 90], bottom not below
    ///   top, non-positive length, a hypocentre outside the depth range, a non-finite number.
    public init(
        magnitude: Double, traceStart: GeoPoint, strike: Double, dip: Double, rake: Double, topDepth: Double,
        bottomDepth: Double, length: Double, hypocentre: GeoPoint, hypocentralDepth: Double, type: EarthquakeType
    ) throws(RuptureError) {
        for (name, value) in [
            ("magnitude", magnitude), ("strike", strike), ("dip", dip), ("rake", rake), ("topDepth", topDepth),
            ("bottomDepth", bottomDepth), ("length", length), ("hypocentralDepth", hypocentralDepth),
        ] where !value.isFinite {
            throw .notFinite(name)
        }
        guard dip > 0, dip <= 90 else { throw .dip(dip) }
        guard topDepth >= 0 else { throw .topDepth(topDepth) }
        guard bottomDepth > topDepth else { throw .depths(top: topDepth, bottom: bottomDepth) }
        guard length > 0 else { throw .length(length) }
        guard (topDepth...bottomDepth).contains(hypocentralDepth) else {
            throw .hypocentreDepth(hypocentralDepth, top: topDepth, bottom: bottomDepth)
        }
        self.magnitude = magnitude
        self.traceStart = traceStart
        self.strike = strike
        self.dip = dip
        self.rake = rake
        self.topDepth = topDepth
        self.bottomDepth = bottomDepth
        self.length = length
        self.hypocentre = hypocentre
        self.hypocentralDepth = hypocentralDepth
        self.type = type
    }

    /// Width down dip, km.
    public var width: Double { (bottomDepth - topDepth) / sin(dip * .pi / 180) }

    /// Area, km².
    public var area: Double { length * width }

    /// The nearest distance from a point on the surface to the rupture plane (rrup), km.
    public func ruptureDistance(to site: GeoPoint) -> Double {
        let plane = LocalPlane(origin: traceStart)
        let (east, north) = plane.project(site)
        let x = east / 1000
        let y = north / 1000
        let strikeRadians = strike * .pi / 180
        let dipRadians = dip * .pi / 180
        // Unit vectors: u along strike (east, north, down), v down dip (to the right of strike).
        let u = (sin(strikeRadians), cos(strikeRadians), 0.0)
        let horizontal = cos(dipRadians)
        let v = (cos(strikeRadians) * horizontal, -sin(strikeRadians) * horizontal, sin(dipRadians))
        // The site relative to the top edge's start, which lies at depth topDepth.
        let p = (x, y, -topDepth)
        let s = min(max(p.0 * u.0 + p.1 * u.1 + p.2 * u.2, 0), length)
        let t = min(max(p.0 * v.0 + p.1 * v.1 + p.2 * v.2, 0), width)
        let nearest = (s * u.0 + t * v.0, s * u.1 + t * v.1, s * u.2 + t * v.2)
        let dx = p.0 - nearest.0
        let dy = p.1 - nearest.1
        let dz = p.2 - nearest.2
        return (dx * dx + dy * dy + dz * dz).squareRoot()
    }

    /// Rupture length and width from magnitude by Wells & Coppersmith (1994), all slip types:
    /// subsurface length log10 L = −2.44 + 0.59 Mw, down-dip width log10 W = −1.01 + 0.32 Mw (km).
    public static func wellsCoppersmithSize(magnitude: Double) -> (length: Double, width: Double) {
        (pow(10, -2.44 + 0.59 * magnitude), pow(10, -1.01 + 0.32 * magnitude))
    }
}

/// Why a rupture's geometry makes no sense.
public enum RuptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter is NaN or infinite.
    case notFinite(String)
    /// Dip outside (0, 90].
    case dip(Double)
    /// A negative top depth.
    case topDepth(Double)
    /// Bottom not below top.
    case depths(top: Double, bottom: Double)
    /// Non-positive length.
    case length(Double)
    /// The hypocentre is not within the rupture's depth range.
    case hypocentreDepth(Double, top: Double, bottom: Double)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .notFinite(let name): "\(name) is not a finite number"
        case .dip(let dip): "dip \(dip)° must be greater than 0 and at most 90"
        case .topDepth(let depth): "top depth \(depth) km is above the surface"
        case .depths(let top, let bottom): "bottom depth \(bottom) km is not below top depth \(top) km"
        case .length(let length): "length \(length) km must be positive"
        case .hypocentreDepth(let depth, let top, let bottom):
            "hypocentral depth \(depth) km is outside the rupture's depths \(top)–\(bottom) km"
        }
    }
}
