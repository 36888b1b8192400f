import Foundation

/// SuginamiKit's own GeoJSON form of a facility: the id as the feature id, the position as a
/// Point, and every other field of ``Facility`` as a property with its English name.
enum SuginamiGeoJSON {
    static func feature(_ facility: Facility) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let encoded = try JSONValue.parse(try encoder.encode(facility), file: facility.id)
        guard case .object(let pairs) = encoded else { return .null }
        let properties = pairs.filter { $0.key != "position" && $0.key != "id" }.sorted { $0.key < $1.key }
        return .object([
            ("type", .string("Feature")),
            ("id", .string(facility.id)),
            ("geometry", GeoJSON.geometry(facility.position)),
            ("properties", .object(properties)),
        ])
    }

    static func facility(from feature: GeoJSONFeature) throws(FieldError) -> Facility {
        guard case .string(let id)? = feature.id else {
            throw FieldError(field: "id", reason: "the feature has no string id")
        }
        let position = try GeoJSON.point(feature.geometry)
        guard case .object(var pairs) = feature.properties else {
            throw FieldError(field: "properties", reason: "are missing")
        }
        pairs.removeAll { $0.key == "id" || $0.key == "position" }
        pairs.append(("id", .string(id)))
        pairs.append(
            (
                "position",
                .object([("latitude", .number(position.latitude)), ("longitude", .number(position.longitude))])
            )
        )
        do {
            return try JSONDecoder().decode(Facility.self, from: Data(JSONValue.object(pairs).serialized().utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw FieldError(field: path, reason: "is required but missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw FieldError(
                field: context.codingPath.map(\.stringValue).joined(separator: "."), reason: context.debugDescription)
        } catch let DecodingError.typeMismatch(type, context) {
            throw FieldError(
                field: context.codingPath.map(\.stringValue).joined(separator: "."), reason: "is not of type \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw FieldError(
                field: context.codingPath.map(\.stringValue).joined(separator: "."), reason: "is null; expected \(type)"
            )
        } catch {
            throw FieldError(field: "properties", reason: "\(error)")
        }
    }
}
