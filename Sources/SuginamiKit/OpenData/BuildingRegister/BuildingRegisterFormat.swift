import Foundation
import GRDB

/// The building register layout the SDK reads and writes, as CSV or as a GeoPackage point
/// layer named `buildings` (one row per building; the position is the geometry there).
///
/// | column | required | values |
/// |---|---|---|
/// | id | yes | unique text |
/// | latitude, longitude | yes (CSV) | JGD2011 degrees |
/// | structure | yes | `wooden` 木造, `fire_preventive_wooden` 防火木造, `rc`, `src`, `steel`, `light_steel`, `non_wooden` 非木造 (or the Japanese names) |
/// | construction_year | no | 1800–2100 |
/// | floors | no | 1–200 |
/// | floor_area | no | m², > 0 |
/// | use | no | `detached_house`, `apartment`, `commercial`, `industrial`, `public`, `unknown` |
/// | fire_resistance | no | `fire_resistant` 耐火, `quasi_fire_resistant` 準耐火, `fire_preventive` 防火, `bare_wooden` 裸木造 |
/// | seismic_retrofit | no | `none`, `retrofitted`, `assessed_adequate` |
/// | town_code | no | 11-digit 町丁目 census code |
/// | synthetic | no | `1` for generated records |
/// | assumed | no | the fields assumed rather than read from a source, `;`-separated (``Building/Attribute``: `structure;construction_year;…`) |
public enum BuildingRegisterFormat {
    /// The columns, in the order exports write them.
    public static let columns = [
        "id", "latitude", "longitude", "structure", "construction_year", "floors", "floor_area", "use",
        "fire_resistance", "seismic_retrofit", "town_code", "synthetic", "assumed",
    ]
    static let required: Set<String> = ["id", "latitude", "longitude", "structure"]
    static let layerName = "buildings"

    /// Reads a register from a `.csv` (UTF-8 or Shift_JIS) or `.gpkg` file.
    public static func read(contentsOf url: URL, options: ImportOptions = ImportOptions()) throws(InputFileError)
        -> ImportResult<Building>
    {
        let file = url.lastPathComponent
        switch FacilityFormat(fileName: file) {
        case .csv:
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw InputFileError(
                    file: file, location: .file, reason: "cannot be read (\(error.localizedDescription))")
            }
            return try readCSV(data, file: file, options: options)
        case .geoPackage: return try readGeoPackage(path: url.path, options: options)
        default: throw InputFileError(file: file, location: .file, reason: "a building register is .csv or .gpkg")
        }
    }

    /// Reads a register from CSV bytes.
    public static func readCSV(_ data: Data, file: String, options: ImportOptions = ImportOptions())
        throws(InputFileError)
        -> ImportResult<Building>
    {
        let table = try CSVTable(parsing: try options.encoding.decode(data, file: file), file: file)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkCSVHeader(
            header, columns: columns, required: required, file: file, layoutName: "a building register")
        var collector = ImportCollector<Building>(file: file, options: options)
        try collector.collectRows(of: table, header: header) { fields, _ throws(FieldError) in
            try building(from: fields, position: try fields.position(latitude: "latitude", longitude: "longitude"))
        }
        return collector.result
    }

    static func building(from fields: RecordFields, position: GeoPoint) throws(FieldError) -> Building {
        func parse<T: RawRepresentable & CaseIterable>(
            _ column: String, as type: T.Type, japanese: (T) -> String? = { _ in nil }
        ) throws(FieldError) -> T? where T.RawValue == String {
            guard let text = fields.string(column) else { return nil }
            if let value = T(rawValue: text) ?? T.allCases.first(where: { japanese($0) == text }) { return value }
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw FieldError(field: column, reason: "unknown value \"\(text)\" (expected one of \(allowed))")
        }
        guard let structure = try parse("structure", as: StructureClass.self, japanese: { $0.japaneseName }) else {
            throw FieldError(field: "structure", reason: "is required but empty")
        }
        if let code = fields.string("town_code"), !(code.count == 11 && code.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw FieldError(field: "town_code", reason: "\"\(code)\" is not an 11-digit census code")
        }
        let assumedText = fields.string("assumed") ?? ""
        guard let assumed = Building.Attribute.set(fromText: assumedText) else {
            throw FieldError(
                field: "assumed",
                reason: "\"\(assumedText)\" names a field that is not one of "
                    + Building.Attribute.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return Building(
            id: try fields.requiredString("id"), position: position, structure: structure,
            constructionYear: try fields.integer("construction_year", range: 1800...2100),
            floors: try fields.integer("floors", range: 1...200), floorArea: try fields.decimal("floor_area"),
            use: try parse("use", as: BuildingUse.self) ?? .unknown,
            fireResistance: try parse("fire_resistance", as: FireResistanceClass.self, japanese: { $0.japaneseName }),
            seismicRetrofit: try parse("seismic_retrofit", as: SeismicRetrofit.self) ?? SeismicRetrofit.none,
            townCode: fields.string("town_code"), isSynthetic: try fields.flag("synthetic"), assumedAttributes: assumed)
    }

    static func cells(of building: Building) -> [String] {
        [
            building.id, DecimalText.format(building.position.latitude),
            DecimalText.format(building.position.longitude),
            building.structure.rawValue, building.constructionYear.map(String.init) ?? "",
            building.floors.map(String.init) ?? "", building.floorArea.map { DecimalText.format($0) } ?? "",
            building.use.rawValue, building.fireResistance?.rawValue ?? "", building.seismicRetrofit.rawValue,
            building.townCode ?? "", building.isSynthetic ? "1" : "",
            Building.Attribute.text(building.assumedAttributes),
        ]
    }

    /// The register as CSV (footprints are not carried: use GeoPackage for those later).
    public static func csv(_ buildings: [Building], encoding: TextEncoding = .utf8, file: String = "buildings.csv")
        throws(InputFileError) -> Data
    {
        try encoding.encode(CSVTable.write(header: columns, records: buildings.map(cells)), file: file)
    }

    /// Writes the register as a GeoPackage point layer `buildings`.
    public static func writeGeoPackage(_ buildings: [Building], to url: URL) throws {
        let attributeColumns = columns.filter { $0 != "latitude" && $0 != "longitude" }
        let types = [
            "TEXT", "TEXT", "INTEGER", "INTEGER", "REAL", "TEXT", "TEXT", "TEXT", "TEXT", "BOOLEAN", "TEXT",
        ]
        let layer = GeoPackageLayer(
            name: layerName,
            description: buildings.contains(where: \.isSynthetic)
                ? "Contains SYNTHETIC buildings" : "Building register",
            geometryType: "POINT",
            columns: zip(attributeColumns, types).map { GeoPackageLayer.Column($0, $1) },
            features: buildings.map { building in
                GeoPackageLayer.Feature(
                    geometry: .point(building.position),
                    values: [
                        building.id, building.structure.rawValue, building.constructionYear, building.floors,
                        building.floorArea, building.use.rawValue, building.fireResistance?.rawValue,
                        building.seismicRetrofit.rawValue, building.townCode, building.isSynthetic,
                        Building.Attribute.text(building.assumedAttributes),
                    ])
            })
        try GeoPackageWriter.write([layer], to: url)
    }

    static func readGeoPackage(path: String, options: ImportOptions) throws(InputFileError) -> ImportResult<Building> {
        var collector = ImportCollector<Building>(file: URL(fileURLWithPath: path).lastPathComponent, options: options)
        try forEachGeoPackageRow(path: path, into: &collector) { _, _, _ throws(InputFileError) in }
        return collector.result
    }

    /// Reads a register's GeoPackage layer row by row into `collector`, calling `afterRow` with
    /// the row's number and the count after each.
    static func forEachGeoPackageRow(
        path: String, into collector: inout ImportCollector<Building>,
        afterRow: (inout ImportCollector<Building>, _ number: Int, _ count: Int) throws(InputFileError) -> Void
    ) throws(InputFileError) {
        let file = URL(fileURLWithPath: path).lastPathComponent
        try GeoPackageReader.forEachRow(of: layerName, path: path) { row, number, count throws(InputFileError) in
            var cells: [String: CellValue] = [:]
            for column in row.columnNames where column != "fid" && column != "geom" {
                guard columns.contains(column) else {
                    throw InputFileError(
                        file: file, location: .file, field: column,
                        reason: "unknown column for a building register (its data would be lost)")
                }
                switch row[column] as DatabaseValue {
                case let value where value.isNull: cells[column] = .null
                case let value:
                    if let integer = Int.fromDatabaseValue(value) {
                        cells[column] = .integer(integer)
                    } else if let real = Double.fromDatabaseValue(value) {
                        cells[column] = .text(DecimalText.format(real))
                    } else {
                        cells[column] = .text(String.fromDatabaseValue(value) ?? "")
                    }
                }
            }
            try collector.take(at: .feature(number)) { () throws(FieldError) in
                guard let blob = try row.checked("geom", as: Data.self) else {
                    throw FieldError(field: "geom", reason: "is empty")
                }
                return try building(
                    from: RecordFields(cells: cells), position: try GeoPackageGeometry.point(fromBlob: blob))
            }
            try afterRow(&collector, number, count)
        }
    }

    /// Reads a register's CSV in pieces into `collector`, calling `afterPiece` with the bytes
    /// read and the file's size after each piece: memory stays bounded whatever the file's size.
    static func forEachCSVPiece(
        _ url: URL, options: ImportOptions, into collector: inout ImportCollector<Building>,
        afterPiece: (inout ImportCollector<Building>, _ bytesRead: Int, _ totalBytes: Int) throws(InputFileError) ->
            Void
    ) throws(InputFileError) {
        let file = url.lastPathComponent
        var reader = CSVRecordReader(file: file)
        var header: [String]?
        var row = 0
        func take(_ record: [String], _ line: Int, into collector: inout ImportCollector<Building>)
            throws(InputFileError)
        {
            guard let header else {
                let names = record.map { $0.trimmingCharacters(in: .whitespaces) }
                try checkCSVHeader(
                    names, columns: columns, required: required, file: file, layoutName: "a building register")
                header = names
                return
            }
            row += 1
            try collector.takeRow(record, row: row, line: line, header: header) { fields, _ throws(FieldError) in
                try building(from: fields, position: try fields.position(latitude: "latitude", longitude: "longitude"))
            }
        }
        try TextFilePieces.read(url, encoding: options.encoding, file: file) {
            text, bytesRead, total throws(InputFileError) in
            try reader.read(text) { record, line throws(InputFileError) in try take(record, line, into: &collector) }
            try afterPiece(&collector, bytesRead, total)
        }
        try reader.finish { record, line throws(InputFileError) in try take(record, line, into: &collector) }
        guard header != nil else {
            throw InputFileError(file: file, location: .file, reason: "the file is empty (no header row)")
        }
    }
}
