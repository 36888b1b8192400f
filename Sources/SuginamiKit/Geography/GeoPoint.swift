#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A position on JGD2011 (日本測地系2011) in decimal degrees.
///
/// JGD2011 and WGS 84 differ by centimetres in Tokyo, so GPS positions can be used as they are.
/// The initialiser rejects anything that is not a finite latitude and longitude on the globe, so
/// a `GeoPoint` in hand is always valid.
public struct GeoPoint: Sendable, Hashable, Codable, CustomStringConvertible, BitwiseCopyable {
    /// Latitude in degrees, −90…90 (north positive).
    public let latitude: Double
    /// Longitude in degrees, −180…180 (east positive).
    public let longitude: Double

    /// Creates a point, checking that both values are finite and within range.
    /// - Throws: ``GeoPointError`` naming the value that is out of range.
    public init(latitude: Double, longitude: Double) throws(GeoPointError) {
        guard latitude.isFinite, (-90.0...90.0).contains(latitude) else {
            throw .latitudeOutOfRange(latitude)
        }
        guard longitude.isFinite, (-180.0...180.0).contains(longitude) else {
            throw .longitudeOutOfRange(longitude)
        }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// For values the caller has already proved valid (inside a valid box or polygon): skips the
    /// checks without a force-`try`.
    init(uncheckedLatitude latitude: Double, longitude: Double) {
        assert(latitude.isFinite && abs(latitude) <= 90 && longitude.isFinite && abs(longitude) <= 180)
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Decodes a point and runs the same checks as ``init(latitude:longitude:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let latitude = try container.decode(Double.self, forKey: .latitude)
        let longitude = try container.decode(Double.self, forKey: .longitude)
        do {
            try self.init(latitude: latitude, longitude: longitude)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .latitude, in: container, debugDescription: error.description)
        }
    }

    /// `longitude,latitude` with six decimals (about 0.1 m): the one written order of the SDK
    /// (see ``init(parsing:)``).
    public var description: String {
        "\(Self.sixDecimals(longitude)),\(Self.sixDecimals(latitude))"
    }

    /// Great-circle distance in metres on a sphere of the GRS80 mean radius.
    ///
    /// Within a ward the error against the ellipsoidal geodesic is below 0.5 %, which is
    /// enough to rank facilities; SuginamiGIS has the exact geodesic for measurements.
    public func distance(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let phi1 = latitude * radians
        let phi2 = other.latitude * radians
        let deltaPhi = phi2 - phi1
        let deltaLambda = (other.longitude - longitude) * radians
        let s =
            sin(deltaPhi / 2) * sin(deltaPhi / 2) + cos(phi1) * cos(phi2) * sin(deltaLambda / 2) * sin(deltaLambda / 2)
        return 2 * Self.meanEarthRadius * asin(min(1, s.squareRoot()))
    }

    /// The point a `fraction` (clamped to 0…1) of the way to `other`, interpolating latitude and
    /// longitude linearly (right for the short segments of streets and footprints).
    public func interpolated(to other: GeoPoint, fraction: Double) -> GeoPoint {
        let t = fraction.isFinite ? min(1, max(0, fraction)) : 0
        // A convex combination of two valid points is valid.
        return GeoPoint(
            uncheckedLatitude: latitude + t * (other.latitude - latitude),
            longitude: longitude + t * (other.longitude - longitude))
    }

    /// The mean radius of the GRS80 ellipsoid, R₁ = (2a + b) / 3, in metres.
    public static let meanEarthRadius = 6_371_008.7714

    private static func sixDecimals(_ value: Double) -> String {
        let scaled = (value * 1_000_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int64(abs(scaled))
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}

/// Why a latitude or longitude was rejected.
public enum GeoPointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The latitude is not finite or lies outside −90…90.
    case latitudeOutOfRange(Double)
    /// The longitude is not finite or lies outside −180…180.
    case longitudeOutOfRange(Double)

    /// A sentence that says which value is wrong and why.
    public var description: String {
        switch self {
        case .latitudeOutOfRange(let value): "latitude \(value) is out of range (−90…90)"
        case .longitudeOutOfRange(let value): "longitude \(value) is out of range (−180…180)"
        }
    }
}
