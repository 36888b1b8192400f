#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SuginamiKit

/// A fast local planar approximation: metres east and north of an origin, scaled by the
/// ellipsoid's radii of curvature at the origin (GRS80).
///
/// For inner loops (routing heuristics, snapping, clustering) where a geodesic per pair costs
/// too much. Errors against the geodesic, measured in the tests around Suginami:
/// - ``distance(from:to:)`` scales longitude at the pair's mean latitude: below 0.002 % for
///   points within 10 km of the origin (0.2 m in 10 km);
/// - ``project(_:)`` keeps the origin's scale everywhere, so east-west lengths are off by about
///   tan φ₀ · Δφ: 0.11 % for a point 10 km north or south of the origin at Tokyo's latitude.
///   Use one plane per city, not per country.
public struct LocalPlane: Sendable {
    /// The origin.
    public let origin: GeoPoint
    private let metresPerDegreeLatitude: Double
    private let metresPerDegreeLongitude: Double
    /// cos φ₀, kept because every distance divides by it.
    private let originCosine: Double

    /// A plane touching the ellipsoid at `origin`.
    public init(origin: GeoPoint) {
        self.origin = origin
        let a = 6_378_137.0
        let f = 1 / 298.257_222_101
        let e2 = f * (2 - f)
        let phi = origin.latitude * .pi / 180
        let w = (1 - e2 * sin(phi) * sin(phi)).squareRoot()
        let meridional = a * (1 - e2) / (w * w * w)  // M
        let primeVertical = a / w  // N
        metresPerDegreeLatitude = meridional * .pi / 180
        metresPerDegreeLongitude = primeVertical * cos(phi) * .pi / 180
        originCosine = cos(phi)
    }

    /// (east, north) metres of a point from the origin.
    @inlinable
    public func project(_ point: GeoPoint) -> (east: Double, north: Double) {
        offsets(latitude: point.latitude, longitude: point.longitude)
    }

    @usableFromInline
    func offsets(latitude: Double, longitude: Double) -> (east: Double, north: Double) {
        (
            (longitude - origin.longitude) * metresPerDegreeLongitude,
            (latitude - origin.latitude) * metresPerDegreeLatitude
        )
    }

    /// The distance between two points in metres, on the plane at their mean latitude.
    public func distance(from a: GeoPoint, to b: GeoPoint) -> Double {
        let meanLatitude = (a.latitude + b.latitude) / 2 * .pi / 180
        let scale = cos(meanLatitude) / originCosine
        let east = (b.longitude - a.longitude) * metresPerDegreeLongitude * scale
        let north = (b.latitude - a.latitude) * metresPerDegreeLatitude
        return (east * east + north * north).squareRoot()
    }
}
