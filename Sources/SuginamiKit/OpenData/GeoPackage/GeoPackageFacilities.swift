import Foundation
import GRDB

/// The `facilities` point layer: flat columns for GIS users, plus the whole record as JSON in
/// `record`, so that reading the file back loses nothing.
enum GeoPackageFacilityWriter {
    static let tableName = "facilities"

    static let columns: [GeoPackageLayer.Column] = [
        .init("id", "TEXT"), .init("kind", "TEXT"), .init("kind_ja", "TEXT"), .init("name", "TEXT"),
        .init("address", "TEXT"), .init("capacity", "INTEGER"), .init("hazards", "TEXT"),
        .init("welfare_shelter", "BOOLEAN"), .init("stored_water_litres", "INTEGER"), .init("hospital_role", "TEXT"),
        .init("source", "TEXT"), .init("licence", "TEXT"), .init("attribution", "TEXT"), .init("record", "TEXT"),
    ]

    static func layer(_ facilities: [Facility]) throws -> GeoPackageLayer {
        let features = try facilities.map { facility in
            GeoPackageLayer.Feature(
                geometry: .point(facility.position),
                values: [
                    facility.id, facility.kind.rawValue, facility.kind.japaneseName, facility.name,
                    facility.address.full, facility.capacity, facility.hazardSuitability?.keys.joined(separator: ";"),
                    facility.isWelfareShelter, facility.storedWaterLitres, facility.hospitalRole?.rawValue,
                    facility.source.id, facility.source.licence, facility.source.attribution,
                    try DocumentCoding.encode(facility),
                ])
        }
        var seen = Set<String>()
        let attributions = facilities.map(\.source.attribution).filter { seen.insert($0).inserted }
        return GeoPackageLayer(
            name: tableName, description: attributions.joined(separator: " / "), geometryType: "POINT",
            columns: columns, features: features)
    }

    static func write(_ facilities: [Facility], to url: URL, replacing: Bool) throws {
        try GeoPackageWriter.write([try layer(facilities)], to: url, replacing: replacing)
    }
}

/// Reads the `facilities` layer that ``GeoPackageFacilityWriter`` writes. The geometry and the
/// flat `id`, `kind`, `name`, `address` and `capacity` columns win over the JSON record, so
/// edits made in a GIS are kept.
enum GeoPackageFacilityReader {
    static func read(path: String, options: ImportOptions) throws(InputFileError) -> ImportResult<Facility> {
        let file = URL(fileURLWithPath: path).lastPathComponent
        let rows = try GeoPackageReader.rows(of: GeoPackageFacilityWriter.tableName, path: path)
        var collector = ImportCollector<Facility>(file: file, options: options)
        for (offset, row) in rows.enumerated() {
            let location = InputFileError.Location.feature(offset + 1)
            try collector.take(at: location) { () throws(FieldError) in try facility(from: row) }
        }
        return collector.result
    }

    private static func facility(from row: Row) throws(FieldError) -> Facility {
        guard let blob = try row.checked("geom", as: Data.self) else {
            throw FieldError(field: "geom", reason: "is empty")
        }
        let position = try GeoPackageGeometry.point(fromBlob: blob)
        guard let record = try row.checked("record", as: String.self) else {
            throw FieldError(field: "record", reason: "is empty")
        }
        var facility: Facility
        do { facility = try DocumentCoding.decode(Facility.self, from: record) } catch {
            throw FieldError(
                field: "record", reason: "is not a SuginamiKit facility record (\(JSONValue.describe(error)))")
        }
        facility.position = position
        if let id = try row.checked("id", as: String.self) { facility.id = id }
        if let name = try row.checked("name", as: String.self) { facility.name = name }
        if let kindText = try row.checked("kind", as: String.self) {
            guard let kind = FacilityKind(rawValue: kindText) else {
                throw FieldError(field: "kind", reason: "unknown facility kind \"\(kindText)\"")
            }
            facility.kind = kind
        }
        facility.address.full = try row.checked("address", as: String.self)
        facility.capacity = try row.checked("capacity", as: Int.self)
        return facility
    }
}
