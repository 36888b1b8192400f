import Foundation
import SuginamiGIS

/// PNG tiles of one numeric property of a polygon collection (a hazard layer: collapse, burnt,
/// the mitigation's benefit), viridis from 0 to the collection's largest value, so that every
/// tile of a layer shares one scale. The daemon's `.png` tiles and `refd export-site`'s
/// pre-rendered tiles are both drawn here.
struct HazardRaster: Sendable {
    /// The collection's id.
    let collection: String
    /// The property drawn.
    let property: String
    /// The polygons with their values.
    let shapes: [RasterTile.Shape]
    /// The value at the light end of the scale's top.
    let top: Double

    /// The properties drawn by default, in order of preference.
    static let hazardProperties = ["collapse_mean", "burnt_mean", "burnt_reduction"]

    /// The raster of `collection`'s `property` (by default its first hazard property).
    /// - Throws: ``APIError`` as ``property(_:of:)`` does.
    init(_ collection: PublishedCollection, property: String?) throws(APIError) {
        let name = try Self.property(property, of: collection)
        self.collection = collection.id
        self.property = name
        shapes = collection.features.compactMap { Self.shape($0, property: name) }
        top = shapes.map(\.value).max() ?? 0
    }

    /// The property a raster of `collection` draws when `asked` (or nothing) is asked for.
    /// - Throws: ``APIError`` (404) for a collection without numeric polygons, (400) for a
    ///   property that is not one of its numbers.
    static func property(_ asked: String?, of collection: PublishedCollection) throws(APIError) -> String {
        let numeric = numericProperties(collection)
        guard !numeric.isEmpty, collection.features.first.map(isPolygon) == true else {
            throw APIError.notFound(
                "\(collection.id) has no polygons with numbers to draw; raster tiles are for the hazard layers")
        }
        let name = asked ?? hazardProperties.first(where: numeric.contains) ?? numeric[0]
        guard numeric.contains(name) else {
            throw APIError.invalidParameter(
                "property",
                "\(name.prefix(60)) is not a numeric property of \(collection.id) (\(numeric.joined(separator: ", ")))")
        }
        return name
    }

    /// The hazard layers of a catalogue: every hazard property of every polygon collection.
    static func layers(of catalogue: FeatureCatalogue) -> [HazardRaster] {
        catalogue.collections.flatMap { collection -> [HazardRaster] in
            let numeric = numericProperties(collection)
            return hazardProperties.filter(numeric.contains).compactMap { try? HazardRaster(collection, property: $0) }
        }
    }

    /// The tile's PNG, or nil where no polygon touches it.
    func png(_ tile: MapTile) throws -> Data? {
        try RasterTile(tile: tile).png(shapes, domain: 0...max(top, 1e-9))
    }

    static func numericProperties(_ collection: PublishedCollection) -> [String] {
        guard case .object(let pairs)? = collection.features.first?.feature["properties"] else { return [] }
        return pairs.compactMap { pair in
            if case .number = pair.value { return pair.key }
            return nil
        }
    }

    static func isPolygon(_ feature: PublishedFeature) -> Bool {
        guard case .string(let type)? = feature.feature["geometry"]?["type"] else { return false }
        return type == "Polygon" || type == "MultiPolygon"
    }

    static func shape(_ feature: PublishedFeature, property: String) -> RasterTile.Shape? {
        guard case .number(let value)? = feature.feature["properties"]?[property],
            let geometry = feature.feature["geometry"],
            case .string(let type)? = geometry["type"], case .array(let coordinates)? = geometry["coordinates"]
        else { return nil }
        func ring(_ value: JSONValue) -> [GeoPoint] {
            guard case .array(let positions) = value else { return [] }
            return positions.compactMap { position in
                guard case .array(let pair) = position, pair.count >= 2, case .number(let longitude) = pair[0],
                    case .number(let latitude) = pair[1]
                else { return nil }
                return try? GeoPoint(latitude: latitude, longitude: longitude)
            }
        }
        let polygons: [JSONValue] = type == "Polygon" ? [.array(coordinates)] : coordinates
        let rings = polygons.flatMap { polygon -> [[GeoPoint]] in
            guard case .array(let rings) = polygon else { return [] }
            return rings.map(ring)
        }
        return RasterTile.Shape(rings: rings, value: value)
    }
}
