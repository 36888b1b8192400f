import Foundation

extension Facility {
    /// The facility as SuginamiKit's GeoJSON Feature: the id as the feature id, the position as a
    /// Point, every other field as a property with its English name.
    ///
    /// This is the feature `refd export --format geojson` writes and `refd serve` publishes, so
    /// that a file and the daemon say the same thing.
    /// - Throws: `EncodingError` only if a field cannot be encoded (a non-finite number).
    public func geoJSONFeature() throws -> JSONValue { try SuginamiGeoJSON.feature(self) }
}

extension Town {
    /// The town (町丁目) as a GeoJSON Feature: the census code as the feature id, the boundary as
    /// a Polygon or MultiPolygon, and `code`, `name`, `households`, `population`, `elderly`
    /// (65 and over) and `children` (under 15) as properties.
    public func geoJSONFeature() -> JSONValue {
        .object([
            ("type", .string("Feature")),
            ("id", .string(code)),
            ("geometry", GeoJSON.geometry(boundary)),
            (
                "properties",
                .object([
                    ("code", .string(code)),
                    ("name", .string(name)),
                    ("households", .number(Double(households))),
                    ("population", .number(Double(population.total))),
                    ("elderly", .number(Double(population.elderly))),
                    ("children", .number(Double(population.children))),
                ])
            ),
        ])
    }
}

extension DamageReport {
    /// The report as a GeoJSON Feature: a Point, or a LineString for a road drawn as a line;
    /// `kind`, `state`, `text`, `observed_at`, `updated_at`, `author_role` and, for a merged
    /// report, `duplicate_of`. Call it on ``publicView`` for anything public.
    public func geoJSONFeature() -> JSONValue {
        let geometry: JSONValue =
            if let road {
                .object([
                    ("type", .string("LineString")),
                    ("coordinates", .array(road.map { .array([.number($0.longitude), .number($0.latitude)]) })),
                ])
            } else {
                GeoJSON.geometry(position)
            }
        var properties: [(key: String, value: JSONValue)] = [
            ("kind", .string(kind.rawValue)),
            ("state", .string(state.rawValue)),
            ("text", .string(text)),
            ("observed_at", .string(observedAt.formatted(.iso8601))),
            ("updated_at", .string(updatedAt.formatted(.iso8601))),
            ("author_role", .string(authorRole.rawValue)),
        ]
        if let duplicateOf { properties.append(("duplicate_of", .string(duplicateOf))) }
        // A relative link: the daemon serves it, and an offline copy leaves it out.
        if photoType != nil { properties.append(("photo", .string("reports/\(id)/photo"))) }
        return .object([
            ("type", .string("Feature")), ("id", .string(id)), ("geometry", geometry),
            ("properties", .object(properties)),
        ])
    }
}
