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

    /// Area in square metres, from a local equirectangular projection about the box centre.
    ///
    /// Accurate to about 0.1 % at ward scale; holes are subtracted.
    public var approximateArea: Double {
        let box = boundingBox
        let latitude0 = (box.minLatitude + box.maxLatitude) / 2 * Double.pi / 180
        let metresPerDegree = GeoPoint.meanEarthRadius * Double.pi / 180
        func ringArea(_ ring: [GeoPoint]) -> Double {
            var sum = 0.0
            for i in 0..<(ring.count - 1) {
                let x1 = ring[i].longitude * cos(latitude0)
                let x2 = ring[i + 1].longitude * cos(latitude0)
                sum += x1 * ring[i + 1].latitude - x2 * ring[i].latitude
            }
            return abs(sum) / 2 * metresPerDegree * metresPerDegree
        }
        return polygons.reduce(0) { total, polygon in
            total + ringArea(polygon.rings[0]) - polygon.rings.dropFirst().reduce(0) { $0 + ringArea($1) }
        }
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
