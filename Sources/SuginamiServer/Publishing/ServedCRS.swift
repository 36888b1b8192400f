import SuginamiGIS

/// A coordinate reference system the daemon serves features in (OGC API – Features Part 2).
///
/// Features are stored in CRS84 (longitude, latitude on JGD2011, which equals WGS 84 to a few
/// centimetres). EPSG:4326 is the same datum with the EPSG axis order, latitude first; EPSG:6677
/// is the plane rectangular zone IX (Tokyo), northing (X) first, in metres.
public enum ServedCRS: String, CaseIterable, Sendable, Hashable {
    /// OGC CRS84: longitude, latitude (the GeoJSON order and the default).
    case crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    /// EPSG:4326: latitude, longitude.
    case epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
    /// EPSG:6677, JGD2011 / Japan Plane Rectangular CS IX: northing, easting in metres.
    case epsg6677 = "http://www.opengis.net/def/crs/EPSG/0/6677"

    /// The storage CRS.
    public static let storage = ServedCRS.crs84

    /// Reads a CRS parameter: the URI, or the `[EPSG:4326]`-style safe CURIE.
    init(parameter text: String, name: String) throws(APIError) {
        let curies: [String: ServedCRS] = ["[OGC:CRS84]": .crs84, "[EPSG:4326]": .epsg4326, "[EPSG:6677]": .epsg6677]
        if let crs = ServedCRS(rawValue: text) ?? curies[text] {
            self = crs
            return
        }
        throw APIError.invalidParameter(
            name, "\(text) is not offered; use one of " + ServedCRS.allCases.map(\.rawValue).joined(separator: ", "))
    }

    /// The position of a longitude and latitude in this system's axis order.
    func position(longitude: Double, latitude: Double) -> (Double, Double) {
        switch self {
        case .crs84: return (longitude, latitude)
        case .epsg4326: return (latitude, longitude)
        case .epsg6677:
            let plane = Self.zoneIX.forwardCoordinates(latitude: latitude, longitude: longitude)
            // Millimetres: the stored positions are not more precise than that.
            return ((plane.northing * 1000).rounded() / 1000, (plane.easting * 1000).rounded() / 1000)
        }
    }

    /// A position in this system's axis order as longitude and latitude, or nil outside the
    /// projection's domain.
    func geographic(_ first: Double, _ second: Double) -> (longitude: Double, latitude: Double)? {
        switch self {
        case .crs84: return (first, second)
        case .epsg4326: return (second, first)
        case .epsg6677:
            guard let point = try? Self.zoneIX.inverse(PlanePoint(northing: first, easting: second)) else {
                return nil
            }
            return (point.longitude, point.latitude)
        }
    }

    /// A GeoJSON geometry with every position moved into this system.
    func transform(_ geometry: JSONValue) -> JSONValue {
        guard self != .crs84 else { return geometry }
        switch geometry {
        case .array(let items):
            if items.count >= 2, case .number(let longitude) = items[0], case .number(let latitude) = items[1] {
                let (first, second) = position(longitude: longitude, latitude: latitude)
                return .array([.number(first), .number(second)] + items.dropFirst(2))
            }
            return .array(items.map(transform))
        case .object(let pairs):
            return .object(
                pairs.map {
                    ($0.key, $0.key == "coordinates" || $0.key == "geometries" ? transform($0.value) : $0.value)
                })
        default:
            return geometry
        }
    }

    private static let zoneIX = TransverseMercator(zone: .ix)
}
