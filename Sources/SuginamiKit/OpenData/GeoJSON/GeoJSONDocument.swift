import Foundation

/// One feature of a GeoJSON FeatureCollection, with its 1-based place in the file.
public struct GeoJSONFeature: Sendable {
    /// 1-based index in the collection, for error messages.
    public var index: Int
    /// The feature's `id`, if any.
    public var id: JSONValue?
    /// The `geometry` member (`null` allowed by RFC 7946).
    public var geometry: JSONValue
    /// The `properties` member as key/value pairs (empty for `null`).
    public var properties: JSONValue
}

/// Reading and writing RFC 7946 GeoJSON.
public enum GeoJSON {
    /// The features of a FeatureCollection.
    /// - Throws: `InputFileError` when the text is not a FeatureCollection or a feature is malformed.
    public static func features(in data: Data, file: String) throws(InputFileError) -> [GeoJSONFeature] {
        let root = try JSONValue.parse(data, file: file)
        guard root["type"] == .string("FeatureCollection") else {
            throw InputFileError(file: file, location: .file, field: "type", reason: "is not \"FeatureCollection\"")
        }
        guard case .array(let items)? = root["features"] else {
            throw InputFileError(file: file, location: .file, field: "features", reason: "is missing or not an array")
        }
        var features: [GeoJSONFeature] = []
        for (offset, item) in items.enumerated() {
            let index = offset + 1
            guard item["type"] == .string("Feature") else {
                throw InputFileError(file: file, location: .feature(index), field: "type", reason: "is not \"Feature\"")
            }
            let properties = item["properties"] ?? .null
            switch properties {
            case .object, .null: break
            default:
                throw InputFileError(
                    file: file, location: .feature(index), field: "properties", reason: "is not an object")
            }
            features.append(
                GeoJSONFeature(
                    index: index, id: item["id"], geometry: item["geometry"] ?? .null, properties: properties))
        }
        return features
    }

    /// The point of a `Point` geometry (`[longitude, latitude]`).
    /// - Throws: a ``FieldError`` on the `geometry` field saying what is wrong.
    public static func point(_ geometry: JSONValue) throws(FieldError) -> GeoPoint {
        guard geometry["type"] == .string("Point") else {
            throw FieldError(field: "geometry", reason: "is not a Point")
        }
        guard case .array(let coordinates)? = geometry["coordinates"] else {
            throw FieldError(field: "geometry", reason: "has no coordinates array")
        }
        return try position(coordinates, field: "geometry")
    }

    /// The parts of a `Polygon` or `MultiPolygon` geometry.
    public static func multiPolygon(_ geometry: JSONValue) throws(FieldError) -> GeoMultiPolygon {
        func rings(_ value: JSONValue) throws(FieldError) -> GeoPolygon {
            guard case .array(let ringValues) = value else {
                throw FieldError(field: "geometry", reason: "a polygon is not an array of rings")
            }
            var rings: [[GeoPoint]] = []
            for ringValue in ringValues {
                guard case .array(let positions) = ringValue else {
                    throw FieldError(field: "geometry", reason: "a ring is not an array of positions")
                }
                var ring: [GeoPoint] = []
                for position in positions {
                    guard case .array(let pair) = position else {
                        throw FieldError(field: "geometry", reason: "a position is not an array")
                    }
                    ring.append(try self.position(pair, field: "geometry"))
                }
                rings.append(ring)
            }
            do { return try GeoPolygon(rings: rings) } catch {
                throw FieldError(field: "geometry", reason: error.description)
            }
        }
        let polygons: [GeoPolygon]
        switch (geometry["type"], geometry["coordinates"]) {
        case (.string("Polygon")?, let coordinates?):
            polygons = [try rings(coordinates)]
        case (.string("MultiPolygon")?, .array(let parts)?):
            var collected: [GeoPolygon] = []
            for part in parts { collected.append(try rings(part)) }
            polygons = collected
        default:
            throw FieldError(field: "geometry", reason: "is not a Polygon or MultiPolygon with coordinates")
        }
        do { return try GeoMultiPolygon(polygons) } catch {
            throw FieldError(field: "geometry", reason: error.description)
        }
    }

    /// The parts of a `LineString` or `MultiLineString` geometry, each of two or more points.
    public static func lines(_ geometry: JSONValue) throws(FieldError) -> [[GeoPoint]] {
        func line(_ value: JSONValue) throws(FieldError) -> [GeoPoint] {
            guard case .array(let positions) = value, positions.count >= 2 else {
                throw FieldError(field: "geometry", reason: "a line is not an array of two or more positions")
            }
            var points: [GeoPoint] = []
            for position in positions {
                guard case .array(let pair) = position else {
                    throw FieldError(field: "geometry", reason: "a position is not an array")
                }
                points.append(try self.position(pair, field: "geometry"))
            }
            return points
        }
        switch (geometry["type"], geometry["coordinates"]) {
        case (.string("LineString")?, let coordinates?):
            return [try line(coordinates)]
        case (.string("MultiLineString")?, .array(let parts)?):
            var lines: [[GeoPoint]] = []
            for part in parts { lines.append(try line(part)) }
            return lines
        default:
            throw FieldError(field: "geometry", reason: "is not a LineString or MultiLineString with coordinates")
        }
    }

    private static func position(_ values: [JSONValue], field: String) throws(FieldError) -> GeoPoint {
        guard values.count >= 2, case .number(let longitude) = values[0], case .number(let latitude) = values[1] else {
            throw FieldError(field: field, reason: "a position is not [longitude, latitude] in numbers")
        }
        do { return try GeoPoint(latitude: latitude, longitude: longitude) } catch {
            throw FieldError(field: field, reason: error.description)
        }
    }

    /// A `Point` geometry.
    public static func geometry(_ point: GeoPoint) -> JSONValue {
        .object([
            ("type", .string("Point")),
            ("coordinates", .array([.number(point.longitude), .number(point.latitude)])),
        ])
    }

    /// A `Polygon` or `MultiPolygon` geometry (RFC 7946 §3.1.6: exterior rings counter-clockwise).
    public static func geometry(_ shape: GeoMultiPolygon) -> JSONValue {
        func rings(_ polygon: GeoPolygon) -> JSONValue {
            .array(
                polygon.rings.map { ring in
                    .array(ring.map { .array([.number($0.longitude), .number($0.latitude)]) })
                })
        }
        if shape.polygons.count == 1 {
            return .object([("type", .string("Polygon")), ("coordinates", rings(shape.polygons[0]))])
        }
        return .object([("type", .string("MultiPolygon")), ("coordinates", .array(shape.polygons.map(rings)))])
    }

    /// A FeatureCollection of the given features.
    public static func featureCollection(_ features: [JSONValue], extraMembers: [(String, JSONValue)] = []) -> JSONValue
    {
        .object([("type", .string("FeatureCollection"))] + extraMembers + [("features", .array(features))])
    }
}

/// A problem with one field of one record, before the file and row are known.
public struct FieldError: Error, Sendable, Hashable {
    /// The column or property name.
    public var field: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}
