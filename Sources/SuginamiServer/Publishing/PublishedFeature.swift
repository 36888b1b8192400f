import Foundation
import SuginamiGIS

/// One feature as the daemon publishes it: its id, where it lies, when it holds, and its JSON
/// already encoded in every served CRS, so that a page of items is a concatenation of bytes.
public struct PublishedFeature: Sendable {
    /// The feature id (a string in every collection: a facility id, a census code…).
    public let id: String
    /// Its bounding box in CRS84.
    public let bounds: BoundingBox
    /// The instant it describes (a status report's time), if it has one.
    public let time: Date?
    /// The encoded Feature, by ``ServedCRS`` (in `ServedCRS.allCases` order).
    let encoded: [[UInt8]]
    /// The Feature as given (CRS84), for vector tiles.
    let feature: JSONValue

    /// Publishes a GeoJSON Feature.
    /// - Throws: ``PublishingError`` when it has no string id or no position.
    public init(_ feature: JSONValue, time: Date? = nil) throws(PublishingError) {
        guard case .string(let id)? = feature["id"] else { throw .noID(feature.serialized()) }
        guard let geometry = feature["geometry"], let bounds = Self.bounds(of: geometry) else {
            throw .noGeometry(id)
        }
        self.id = id
        self.bounds = bounds
        self.time = time
        self.feature = feature
        encoded = ServedCRS.allCases.map { crs in
            guard case .object(let pairs) = feature else { return [] }
            let moved = JSONValue.object(
                pairs.map { ($0.key, $0.key == "geometry" ? crs.transform($0.value) : $0.value) })
            return Array(moved.serialized().utf8)
        }
    }

    /// The encoded Feature in `crs`.
    func bytes(in crs: ServedCRS) -> [UInt8] { encoded[ServedCRS.allCases.firstIndex(of: crs)!] }

    private static func bounds(of geometry: JSONValue) -> BoundingBox? {
        var box: BoundingBox?
        func visit(_ value: JSONValue) {
            guard case .array(let items) = value else { return }
            if items.count >= 2, case .number(let longitude) = items[0], case .number(let latitude) = items[1] {
                // A position outside the globe's ranges cannot be in a box; the importers refuse those.
                guard
                    let here = try? BoundingBox(
                        minLatitude: latitude, minLongitude: longitude, maxLatitude: latitude, maxLongitude: longitude)
                else { return }
                box = box.map { $0.union(here) } ?? here
            } else {
                items.forEach(visit)
            }
        }
        visit(geometry["coordinates"] ?? .null)
        return box
    }
}

/// Why a feature cannot be published.
public enum PublishingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The feature has no string `id`.
    case noID(String)
    /// The feature has no geometry with a position.
    case noGeometry(String)
    /// Two features of one collection share an id.
    case duplicateID(String, collection: String)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .noID(let text): "a feature has no string id: \(text.prefix(120))"
        case .noGeometry(let id): "feature \(id) has no geometry with a position"
        case .duplicateID(let id, let collection): "two features of \(collection) have the id \(id)"
        }
    }
}
