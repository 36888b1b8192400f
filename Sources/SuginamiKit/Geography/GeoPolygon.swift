#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A polygon with holes, as in GeoJSON: the first ring is the outer boundary, the others are holes.
///
/// Rings are closed (first point equals last) and have at least four points.
public struct GeoPolygon: Sendable, Hashable, Codable {
    /// The rings; `rings[0]` is the outer boundary.
    public let rings: [[GeoPoint]]

    /// Creates a polygon, checking that every ring is closed and long enough.
    public init(rings: [[GeoPoint]]) throws(GeometryError) {
        guard !rings.isEmpty else { throw .emptyPolygon }
        for (index, ring) in rings.enumerated() {
            guard ring.count >= 4 else { throw .ringTooShort(ring: index, points: ring.count) }
            guard ring.first == ring.last else { throw .ringNotClosed(ring: index) }
        }
        self.rings = rings
    }

    /// For rings the caller built closed and long enough; skips the checks without a force-`try`.
    init(validatedRings rings: [[GeoPoint]]) {
        assert(!rings.isEmpty && rings.allSatisfy { $0.count >= 4 && $0.first == $0.last })
        self.rings = rings
    }

    /// The outer boundary.
    public var exterior: [GeoPoint] { rings[0] }

    /// The smallest box holding the outer ring.
    public var boundingBox: BoundingBox {
        // A validated polygon always has points.
        BoundingBox(covering: exterior)!
    }

    /// Area in square metres, from a local equirectangular projection about the box centre.
    ///
    /// Accurate to about 0.1 % at ward scale; holes are subtracted.
    public var approximateArea: Double {
        let frame = LocalFrame(boundingBox)
        return abs(rings.enumerated().reduce(0) { $0 + frame.signedArea($1.element) * ($1.offset == 0 ? 1 : -1) })
    }

    /// The area-weighted centroid (holes subtracted) in the same local projection; the first
    /// vertex for a degenerate outline of no area.
    public var approximateCentroid: GeoPoint {
        let frame = LocalFrame(boundingBox)
        var area = 0.0
        var x = 0.0
        var y = 0.0
        for (index, ring) in rings.enumerated() {
            let sign: Double = index == 0 ? 1 : -1
            let ringSign: Double = frame.signedArea(ring) < 0 ? -1 : 1
            for i in 0..<(ring.count - 1) {
                let (x0, y0) = frame.xy(ring[i])
                let (x1, y1) = frame.xy(ring[i + 1])
                let cross = (x0 * y1 - x1 * y0) * ringSign * sign
                area += cross / 2
                x += (x0 + x1) * cross
                y += (y0 + y1) * cross
            }
        }
        guard abs(area) > 1e-12 else { return exterior[0] }
        return frame.point(x: x / (6 * area), y: y / (6 * area))
    }

    /// Whether the point is inside the outer ring and outside every hole (even-odd rule).
    public func contains(_ point: GeoPoint) -> Bool {
        guard Self.ring(rings[0], contains: point) else { return false }
        return !rings.dropFirst().contains { Self.ring($0, contains: point) }
    }

    static func ring(_ ring: [GeoPoint], contains point: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i]
            let b = ring[j]
            if (a.latitude > point.latitude) != (b.latitude > point.latitude) {
                let crossing =
                    (b.longitude - a.longitude) * (point.latitude - a.latitude) / (b.latitude - a.latitude)
                    + a.longitude
                if point.longitude < crossing { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}

/// One or more polygons, as a 町丁目 can be made of separate parts.
public struct GeoMultiPolygon: Sendable, Hashable, Codable {
    /// The parts.
    public let polygons: [GeoPolygon]

    /// Creates a multipolygon from at least one polygon.
    public init(_ polygons: [GeoPolygon]) throws(GeometryError) {
        guard !polygons.isEmpty else { throw .emptyPolygon }
        self.polygons = polygons
    }

    /// Whether any part contains the point.
    public func contains(_ point: GeoPoint) -> Bool { polygons.contains { $0.contains(point) } }

    /// The smallest box holding every part.
    public var boundingBox: BoundingBox {
        BoundingBox(covering: polygons.flatMap(\.exterior))!
    }

    /// Area in square metres: the sum of the parts' ``GeoPolygon/approximateArea``.
    public var approximateArea: Double { polygons.reduce(0) { $0 + $1.approximateArea } }
}

/// Metres east and north of a box's centre, equirectangular: enough for areas and centroids of
/// buildings and towns (errors about 0.1 % at ward scale).
private struct LocalFrame {
    let latitude0: Double
    let longitude0: Double
    let metresPerDegree = GeoPoint.meanEarthRadius * Double.pi / 180
    let cosine: Double

    init(_ box: BoundingBox) {
        latitude0 = (box.minLatitude + box.maxLatitude) / 2
        longitude0 = (box.minLongitude + box.maxLongitude) / 2
        cosine = cos(latitude0 * Double.pi / 180)
    }

    func xy(_ point: GeoPoint) -> (Double, Double) {
        ((point.longitude - longitude0) * cosine * metresPerDegree, (point.latitude - latitude0) * metresPerDegree)
    }

    func point(x: Double, y: Double) -> GeoPoint {
        GeoPoint(
            uncheckedLatitude: latitude0 + y / metresPerDegree, longitude: longitude0 + x / (cosine * metresPerDegree))
    }

    /// Shoelace area in m², positive for a counter-clockwise ring.
    func signedArea(_ ring: [GeoPoint]) -> Double {
        var sum = 0.0
        for i in 0..<(ring.count - 1) {
            let (x0, y0) = xy(ring[i])
            let (x1, y1) = xy(ring[i + 1])
            sum += x0 * y1 - x1 * y0
        }
        return sum / 2
    }
}

/// Why a geometry was rejected.
public enum GeometryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A polygon or multipolygon without any ring.
    case emptyPolygon
    /// A ring with fewer than four points.
    case ringTooShort(ring: Int, points: Int)
    /// A ring whose last point differs from its first.
    case ringNotClosed(ring: Int)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .emptyPolygon: "polygon has no rings"
        case .ringTooShort(let ring, let points): "ring \(ring) has \(points) points; a closed ring needs at least 4"
        case .ringNotClosed(let ring): "ring \(ring) is not closed (its last point differs from its first)"
        }
    }
}
