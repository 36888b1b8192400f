import CProj
import SuginamiKit

/// Geodesics on the GRS80 ellipsoid (JGD2011's) by Karney's algorithm, as PROJ implements it
/// (`geod_*` in libproj): distances and bearings exact to nanometres, polygon areas and
/// perimeters on the ellipsoid.
public struct Geodesic: Sendable {
    private let geodesic: geod_geodesic

    /// GRS80, the ellipsoid of JGD2011.
    public static let grs80 = Geodesic(semiMajorAxis: 6_378_137, flattening: 1 / 298.257_222_101)

    /// An ellipsoid by its semi-major axis (metres) and flattening.
    public init(semiMajorAxis: Double, flattening: Double) {
        var geodesic = geod_geodesic()
        geod_init(&geodesic, semiMajorAxis, flattening)
        self.geodesic = geodesic
    }

    /// The shortest path between two points: its length in metres and the azimuths (degrees
    /// clockwise from north) at both ends.
    public func inverse(from start: GeoPoint, to end: GeoPoint) -> (
        distance: Double, azimuth1: Double, azimuth2: Double
    ) {
        var geodesic = self.geodesic
        var distance = 0.0
        var azimuth1 = 0.0
        var azimuth2 = 0.0
        geod_inverse(
            &geodesic, start.latitude, start.longitude, end.latitude, end.longitude, &distance, &azimuth1, &azimuth2)
        return (distance, azimuth1, azimuth2)
    }

    /// The length in metres of the shortest path between two points.
    public func distance(from start: GeoPoint, to end: GeoPoint) -> Double { inverse(from: start, to: end).distance }

    /// The point reached by going `distance` metres from `start` at `azimuth` degrees.
    public func destination(from start: GeoPoint, azimuth: Double, distance: Double) throws(GeoPointError) -> GeoPoint {
        var geodesic = self.geodesic
        var latitude = 0.0
        var longitude = 0.0
        geod_direct(&geodesic, start.latitude, start.longitude, azimuth, distance, &latitude, &longitude, nil)
        return try GeoPoint(latitude: latitude, longitude: remainder(longitude, 360))
    }

    /// The length of a polyline in metres.
    public func length(of points: [GeoPoint]) -> Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + distance(from: $1.0, to: $1.1) }
    }

    /// The area of a polygon on the ellipsoid in square metres (holes subtracted), whatever
    /// the rings' orientation.
    public func area(of polygon: GeoPolygon) -> Double {
        polygon.rings.enumerated().reduce(0) { total, ring in
            let area = abs(ringArea(ring.element).area)
            return ring.offset == 0 ? total + area : total - area
        }
    }

    /// The area of all parts of a multipolygon in square metres.
    public func area(of shape: GeoMultiPolygon) -> Double { shape.polygons.reduce(0) { $0 + area(of: $1) } }

    /// The perimeter of a polygon's outer ring in metres.
    public func perimeter(of polygon: GeoPolygon) -> Double { ringArea(polygon.exterior).perimeter }

    private func ringArea(_ ring: [GeoPoint]) -> (area: Double, perimeter: Double) {
        // geod_polygonarea wants the ring without the closing point.
        let open = ring.first == ring.last ? Array(ring.dropLast()) : ring
        var latitudes = open.map(\.latitude)
        var longitudes = open.map(\.longitude)
        var geodesic = self.geodesic
        var area = 0.0
        var perimeter = 0.0
        geod_polygonarea(&geodesic, &latitudes, &longitudes, Int32(open.count), &area, &perimeter)
        return (area, perimeter)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
