import Foundation
import GRDB
import SuginamiCore

/// One feature table of a GeoPackage.
public struct GeoPackageLayer: Sendable {
    /// A column of the feature table.
    public struct Column: Sendable {
        /// The column name.
        public var name: String
        /// A GeoPackage data type: `TEXT`, `INTEGER`, `REAL` or `BOOLEAN`.
        public var type: String

        /// Creates a column.
        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A row: its geometry and one value per column (`nil` for NULL).
    public struct Feature: Sendable {
        /// The geometry.
        public var geometry: GeoPackageGeometry
        /// The attribute values, in column order.
        public var values: [GeoPackageValue]

        /// Creates a feature; `nil` values are stored as NULL.
        public init(geometry: GeoPackageGeometry, values: [(any GeoPackageValueConvertible)?]) {
            self.geometry = geometry
            self.values = values.map { $0?.geoPackageValue ?? .null }
        }
    }

    /// The table name (also its identifier in `gpkg_contents`).
    public var name: String
    /// A description for `gpkg_contents`, e.g. the 出典.
    public var description: String
    /// `POINT` or `MULTIPOLYGON`.
    public var geometryType: String
    /// The attribute columns.
    public var columns: [Column]
    /// The number of rows.
    public let featureCount: Int
    /// Row `index`, made when the writer reaches it.
    let feature: @Sendable (Int) throws -> Feature

    /// Creates a layer of the given rows.
    public init(name: String, description: String, geometryType: String, columns: [Column], features: [Feature]) {
        self.init(
            name: name, description: description, geometryType: geometryType, columns: columns,
            count: features.count, feature: { features[$0] })
    }

    /// Creates a layer whose rows are made one at a time as the writer reaches them, so that a
    /// large layer (a ward's buildings) never sits in memory whole.
    /// - Parameters:
    ///   - count: the number of rows.
    ///   - feature: row `index`, for each of `0..<count` in order; an error it throws stops the
    ///     write, which then leaves nothing behind.
    public init(
        name: String, description: String, geometryType: String, columns: [Column], count: Int,
        feature: @escaping @Sendable (Int) throws -> Feature
    ) {
        self.name = name
        self.description = description
        self.geometryType = geometryType
        self.columns = columns
        self.featureCount = count
        self.feature = feature
    }
}

/// Writes OGC GeoPackage 1.4 files that GDAL's `validate_gpkg.py` accepts and QGIS and `ogrinfo`
/// open, with positions on JGD2011 (EPSG:6668).
///
/// Written here because no Swift package writes GeoPackage; the format is SQLite with a few
/// metadata tables and a geometry header, which GRDB handles.
public enum GeoPackageWriter {
    /// JGD2011 geographic, the CRS of every layer the SDK writes.
    static let srsID: Int32 = 6668
    static let jgd2011WKT =
        #"GEOGCS["JGD2011",DATUM["Japanese_Geodetic_Datum_2011",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","1128"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","6668"]]"#
    static let wgs84WKT =
        #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#

    /// Writes the layers to a new GeoPackage at `url`.
    ///
    /// The file is built beside the target and switched into place in one step only when
    /// complete (``Staging/buildFile(at:replacing:permissions:_:)``), so a failure or a kill
    /// never leaves a half-written GeoPackage, and an existing file is replaced whole or not at
    /// all.
    /// - Parameter replacing: whether a file already at `url` is replaced; otherwise it is an
    ///   error (``OutputDirectoryError``) and the file is left as it is.
    public static func write(_ layers: [GeoPackageLayer], to url: URL, replacing: Bool = true) throws {
        try Staging.buildFile(at: url, replacing: replacing) { temporary in
            let queue = try DatabaseQueue(path: temporary.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = 1196444487; PRAGMA user_version = 10400;")
            }
            try queue.write { db in
                try createMetadataTables(db)
                for layer in layers { try write(layer, into: db) }
            }
            try queue.close()
        }
    }

    private static func createMetadataTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE gpkg_spatial_ref_sys (
                    srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                CREATE TABLE gpkg_contents (
                    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                    description TEXT DEFAULT '',
                    last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (
                    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                    CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                """)
        let systems: [(String, Int32, String, Int32, String, String)] = [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            (
                "WGS 84 geodetic", 4326, "EPSG", 4326, wgs84WKT,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
            ),
            (
                "JGD2011", srsID, "EPSG", srsID, jgd2011WKT,
                "Japanese Geodetic Datum 2011, longitude/latitude in degrees"
            ),
        ]
        for system in systems {
            try db.execute(
                sql: "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [system.0, system.1, system.2, system.3, system.4, system.5])
        }
    }

    private static func write(_ layer: GeoPackageLayer, into db: Database) throws {
        let table = layer.name.quotedDatabaseIdentifier
        let columnsSQL = layer.columns.map { "\($0.name.quotedDatabaseIdentifier) \($0.type)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                CREATE TABLE \(table) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(layer.geometryType)\
                \(columnsSQL.isEmpty ? "" : ", " + columnsSQL))
                """)
        var box: BoundingBox? = nil
        let placeholders = Array(repeating: "?", count: layer.columns.count + 1).joined(separator: ", ")
        let names = (["geom"] + layer.columns.map(\.name)).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let statement = try db.makeStatement(sql: "INSERT INTO \(table) (\(names)) VALUES (\(placeholders))")
        for index in 0..<layer.featureCount {
            let feature = try layer.feature(index)
            precondition(feature.values.count == layer.columns.count, "a feature needs one value per column")
            let featureBox: BoundingBox
            switch feature.geometry {
            case .point(let point): featureBox = BoundingBox(covering: [point])!
            case .multiPolygon(let shape): featureBox = shape.boundingBox
            }
            box = box.map { $0.union(featureBox) } ?? featureBox
            var arguments: [(any DatabaseValueConvertible)?] = [feature.geometry.blob(srsID: srsID)]
            arguments += feature.values.map(\.databaseValue)
            try statement.execute(arguments: StatementArguments(arguments))
        }
        try db.execute(
            sql: """
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
                VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                layer.name, layer.name, layer.description, box?.minLongitude, box?.minLatitude, box?.maxLongitude,
                box?.maxLatitude, srsID,
            ])
        try db.execute(
            sql: "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            arguments: [layer.name, layer.geometryType, srsID])
    }
}

extension GeoPackageValue {
    /// The value for GRDB, which stays inside this module.
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
