/// A latitude/longitude rectangle, used for map windows and spatial queries.
///
/// Boxes that cross the antimeridian are not supported: a municipality never needs one.
public struct BoundingBox: Sendable, Hashable, Codable {
    /// Southern edge, degrees.
    public var minLatitude: Double
    /// Western edge, degrees.
    public var minLongitude: Double
    /// Northern edge, degrees.
    public var maxLatitude: Double
    /// Eastern edge, degrees.
    public var maxLongitude: Double

    /// Creates a box; the corners must be ordered (south ≤ north, west ≤ east).
    public init(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double)
        throws(GeoPointError)
    {
        _ = try GeoPoint(latitude: minLatitude, longitude: minLongitude)
        _ = try GeoPoint(latitude: maxLatitude, longitude: maxLongitude)
        guard minLatitude <= maxLatitude else { throw .latitudeOutOfRange(minLatitude) }
        guard minLongitude <= maxLongitude else { throw .longitudeOutOfRange(minLongitude) }
        self.minLatitude = minLatitude
        self.minLongitude = minLongitude
        self.maxLatitude = maxLatitude
        self.maxLongitude = maxLongitude
    }

    /// The smallest box holding every point; `nil` for no points.
    public init?(covering points: some Sequence<GeoPoint>) {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        minLatitude = first.latitude
        maxLatitude = first.latitude
        minLongitude = first.longitude
        maxLongitude = first.longitude
        while let point = iterator.next() {
            minLatitude = min(minLatitude, point.latitude)
            maxLatitude = max(maxLatitude, point.latitude)
            minLongitude = min(minLongitude, point.longitude)
            maxLongitude = max(maxLongitude, point.longitude)
        }
    }

    /// Whether the point lies inside or on the edge.
    public func contains(_ point: GeoPoint) -> Bool {
        (minLatitude...maxLatitude).contains(point.latitude) && (minLongitude...maxLongitude).contains(point.longitude)
    }

    /// The smallest box holding both boxes.
    public func union(_ other: BoundingBox) -> BoundingBox {
        var result = self
        result.minLatitude = min(minLatitude, other.minLatitude)
        result.minLongitude = min(minLongitude, other.minLongitude)
        result.maxLatitude = max(maxLatitude, other.maxLatitude)
        result.maxLongitude = max(maxLongitude, other.maxLongitude)
        return result
    }
}
