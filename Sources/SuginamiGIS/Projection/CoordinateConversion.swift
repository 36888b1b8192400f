import SuginamiKit

/// Converts coordinates between two CRSs by the fastest exact route: the pure-Swift
/// Gauss-Krüger between JGD2011 (EPSG:6668) and a plane rectangular zone (EPSG:6669–6687),
/// PROJ for every other pair.
///
/// Coordinates are in visualisation order both ways: (longitude, latitude) or
/// (easting, northing). Like ``CoordinateTransformer``, a conversion is for one task at a time.
public struct CoordinateConversion {
    private enum Route {
        case toPlane(TransverseMercator)
        case fromPlane(TransverseMercator)
        case proj(CoordinateTransformer)
    }

    private let route: Route

    /// Which engine the conversion uses, for logs and tests.
    public var engine: String {
        switch route {
        case .toPlane, .fromPlane: "Gauss-Krüger (pure Swift)"
        case .proj: "PROJ \(CoordinateTransformer.projVersion)"
        }
    }

    /// Prepares a conversion.
    /// - Throws: ``CoordinateTransformerError/unknownCRS(_:_:)`` when PROJ does not know a CRS.
    public init(from source: String, to target: String) throws(CoordinateTransformerError) {
        if Self.isJGD2011(source), let zone = Self.zone(target) {
            route = .toPlane(zone.projection)
        } else if let zone = Self.zone(source), Self.isJGD2011(target) {
            route = .fromPlane(zone.projection)
        } else {
            route = .proj(try CoordinateTransformer(from: source, to: target))
        }
    }

    /// Converts one coordinate pair.
    /// - Throws: an error saying why the pair has no image (out of range, not finite, outside
    ///   the projection's domain).
    public func convert(_ x: Double, _ y: Double) throws -> (x: Double, y: Double) {
        switch route {
        case .toPlane(let projection):
            let plane = try projection.forward(try GeoPoint(latitude: y, longitude: x)).point
            return (plane.easting, plane.northing)
        case .fromPlane(let projection):
            let point = try projection.inverse(PlanePoint(northing: y, easting: x))
            return (point.longitude, point.latitude)
        case .proj(let transformer):
            return try transformer.transform(x, y)
        }
    }

    private static func isJGD2011(_ code: String) -> Bool { code.uppercased() == "EPSG:6668" }

    private static func zone(_ code: String) -> PlaneRectangularZone? {
        let upper = code.uppercased()
        guard upper.hasPrefix("EPSG:"), let number = Int(upper.dropFirst(5)) else { return nil }
        return PlaneRectangularZone.allCases.first { $0.epsgCode == number }
    }
}
