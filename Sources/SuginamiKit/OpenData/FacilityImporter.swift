import Foundation

/// Reads facilities from open-data files: GeoJSON, the GSI layouts and the 39-column
/// standard CSV, in UTF-8 or Shift_JIS.
///
/// Every error names the file, the row or feature, the column and the reason. By default an
/// import is all or nothing: the first bad row fails it. With
/// ``ImportOptions/skipBadRows`` the bad rows are left out and listed.
public enum FacilityImporter {
    /// Reads a file from disk; the format comes from its extension unless given.
    public static func read(
        contentsOf url: URL, format: FacilityFormat? = nil, layout: FacilityLayout? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(InputFileError) -> ImportResult<Facility> {
        let name = url.lastPathComponent
        guard let format = format ?? FacilityFormat(fileName: name) else {
            throw InputFileError(
                file: name, location: .file, reason: "unknown file type (expected .geojson, .json, .csv or .gpkg)")
        }
        if format == .geoPackage {
            return try GeoPackageFacilityReader.read(path: url.path, options: options)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputFileError(file: name, location: .file, reason: "cannot be read (\(error.localizedDescription))")
        }
        return try read(data, file: name, format: format, layout: layout, options: options)
    }

    /// Reads facilities from the bytes of a GeoJSON or CSV file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error messages.
    ///   - format: GeoJSON or CSV.
    ///   - layout: the column layout; `nil` detects it from the header or properties.
    ///   - options: encoding, skipping of bad rows, and the 出典 to attach.
    public static func read(
        _ data: Data, file: String, format: FacilityFormat, layout: FacilityLayout? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(InputFileError) -> ImportResult<Facility> {
        switch format {
        case .csv: return try readCSV(data, file: file, layout: layout, options: options)
        case .geoJSON: return try readGeoJSON(data, file: file, layout: layout, options: options)
        case .geoPackage:
            throw InputFileError(
                file: file, location: .file, reason: "GeoPackage is read from a file path, not from bytes")
        }
    }

    private static func readCSV(
        _ data: Data, file: String, layout requested: FacilityLayout?, options: ImportOptions
    ) throws(InputFileError) -> ImportResult<Facility> {
        let table = try CSVTable(parsing: try options.encoding.decode(data, file: file), file: file)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let layoutCase = requested ?? FacilityLayout.detect(keys: Set(header)) else {
            throw InputFileError(
                file: file, location: .row(0, line: 1),
                reason: "the header matches no known layout (GSI 指定緊急避難場所, GSI 指定避難所, 自治体標準 指定緊急避難場所一覧)")
        }
        guard let layout = layoutCase.tabular else {
            throw InputFileError(
                file: file, location: .file, reason: "the \(layoutCase.rawValue) layout has no CSV form")
        }
        try checkCSVHeader(
            header, columns: layout.columns, required: layout.requiredColumns, file: file, layoutName: "this layout")
        var collector = ImportCollector<Facility>(file: file, options: options)
        let source = options.source ?? layout.defaultSource
        try collector.collectRows(of: table, header: header) { fields, row throws(FieldError) in
            let position = try fields.position(latitude: layout.latitudeColumn, longitude: layout.longitudeColumn)
            return try layout.facility(from: fields, position: position, source: source, row: row)
        }
        return collector.result
    }

    private static func readGeoJSON(
        _ data: Data, file: String, layout requested: FacilityLayout?, options: ImportOptions
    ) throws(InputFileError) -> ImportResult<Facility> {
        let text = try options.encoding.decode(data, file: file)
        let features = try GeoJSON.features(in: Data(text.utf8), file: file)
        var keys = Set<String>()
        if case .object(let pairs)? = features.first?.properties { keys = Set(pairs.map(\.key)) }
        let layout = requested ?? FacilityLayout.detect(keys: keys) ?? .suginamiKit
        var collector = ImportCollector<Facility>(file: file, options: options)
        // Built once: the layout, its property names and its source are the same for every feature.
        let tabular = layout.tabular
        let propertyColumns = Set(tabular?.propertyColumns ?? [])
        let source = options.source ?? tabular?.defaultSource
        for feature in features {
            try collector.take(at: .feature(feature.index)) { () throws(FieldError) in
                guard let tabular, let source else { return try SuginamiGeoJSON.facility(from: feature) }
                let fields = RecordFields(properties: feature.properties)
                if let unknown = fields.cells.keys.filter({ !propertyColumns.contains($0) }).min() {
                    throw FieldError(
                        field: unknown, reason: "unknown property for this layout (its data would be lost)")
                }
                return try tabular.facility(
                    from: fields, position: try GeoJSON.point(feature.geometry), source: source, row: feature.index)
            }
        }
        return collector.result
    }
}
