import Foundation

/// Writes facilities as open data: GeoJSON (RFC 7946), the GSI and standard CSV layouts, and
/// GeoPackage 1.4.
///
/// Reading back what was written gives the same facilities (for the fields the layout carries),
/// and writing them again gives the same bytes.
public enum FacilityExporter {
    /// The bytes of a GeoJSON or CSV export.
    /// - Parameters:
    ///   - facilities: the records, written in this order.
    ///   - format: GeoJSON or CSV.
    ///   - layout: the column layout; ``FacilityLayout/suginamiKit`` is GeoJSON only.
    ///   - encoding: UTF-8 (no BOM) or Shift_JIS (CP932) for CSV; GeoJSON is always UTF-8.
    ///   - file: the name used in error messages.
    public static func data(
        _ facilities: [Facility], format: FacilityFormat, layout: FacilityLayout = .suginamiKit,
        encoding: TextEncoding = .utf8, file: String = "export"
    ) throws(InputFileError) -> Data {
        switch (format, layout.tabular) {
        case (.geoJSON, nil):
            var features: [JSONValue] = []
            for facility in facilities {
                do { features.append(try SuginamiGeoJSON.feature(facility)) } catch {
                    throw InputFileError(file: file, location: .file, field: facility.id, reason: "\(error)")
                }
            }
            return Data(
                GeoJSON.featureCollection(features, extraMembers: attribution(facilities)).serialized(pretty: true).utf8
            )
        case (.geoJSON, let tabular?):
            let features = facilities.map { facility -> JSONValue in
                let cells = tabular.cells(of: facility)
                return .object([
                    ("type", .string("Feature")),
                    ("geometry", GeoJSON.geometry(facility.position)),
                    ("properties", .object(tabular.propertyColumns.map { ($0, (cells[$0] ?? .null).json) })),
                ])
            }
            return Data(
                GeoJSON.featureCollection(features, extraMembers: attribution(facilities)).serialized(pretty: true).utf8
            )
        case (.csv, let tabular?):
            let records = facilities.map { facility in
                let cells = tabular.cells(of: facility)
                return tabular.columns.map { (cells[$0] ?? .null).csvText }
            }
            return try encoding.encode(CSVTable.write(header: tabular.columns, records: records), file: file)
        case (.csv, nil):
            throw InputFileError(
                file: file, location: .file, reason: "the suginamikit layout has no CSV form; use GeoJSON")
        case (.geoPackage, _):
            throw InputFileError(
                file: file, location: .file, reason: "GeoPackage is written to a file path, not to bytes")
        }
    }

    /// Writes an export to a file, all or nothing (``Staging/buildFile(at:replacing:permissions:_:)``):
    /// a reader, or a process killed meanwhile, never sees half a file.
    /// - Parameter replacing: whether a file already at `url` is replaced; otherwise it is an
    ///   error (``OutputDirectoryError``) and the file is left as it is.
    public static func write(
        _ facilities: [Facility], to url: URL, format: FacilityFormat? = nil, layout: FacilityLayout = .suginamiKit,
        encoding: TextEncoding = .utf8, replacing: Bool = true
    ) throws {
        let name = url.lastPathComponent
        guard let format = format ?? FacilityFormat(fileName: name) else {
            throw InputFileError(
                file: name, location: .file, reason: "unknown file type (expected .geojson, .csv or .gpkg)")
        }
        if format == .geoPackage {
            try GeoPackageFacilityWriter.write(facilities, to: url, replacing: replacing)
            return
        }
        try Staging.writeFile(
            data(facilities, format: format, layout: layout, encoding: encoding, file: name), to: url,
            replacing: replacing)
    }

    static func attribution(_ facilities: [Facility]) -> [(String, JSONValue)] {
        var seen = Set<String>()
        let texts = facilities.map(\.source.attribution).filter { seen.insert($0).inserted }
        return texts.isEmpty ? [] : [("attribution", .string(texts.joined(separator: " / ")))]
    }
}
