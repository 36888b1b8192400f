import Foundation
import GRDB

/// Opens a GeoPackage read-only and returns the rows of one feature layer.
enum GeoPackageReader {
    static func rows(of layer: String, path: String) throws(InputFileError) -> [Row] {
        var rows: [Row] = []
        try forEachRow(of: layer, path: path) { row, _, _ in rows.append(row.copy()) }
        return rows
    }

    /// Calls `body` with each row of a feature layer in `fid` order, its 1-based number and the
    /// layer's row count, reading one row at a time (a cursor): memory stays bounded whatever
    /// the file's size. The row is reused by the next call; copy it to keep it.
    static func forEachRow(
        of layer: String, path: String, _ body: (Row, _ number: Int, _ count: Int) throws(InputFileError) -> Void
    ) throws(InputFileError) {
        let file = URL(fileURLWithPath: path).lastPathComponent
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let applicationID = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == 0x4750_4B47 else {
                    throw InputFileError(
                        file: file, location: .file, reason: "not a GeoPackage (application_id is \(applicationID))")
                }
                let isFeatureLayer =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM gpkg_contents WHERE table_name = ? AND data_type = 'features'",
                        arguments: [layer]) ?? false
                guard isFeatureLayer, try db.tableExists(layer) else {
                    throw InputFileError(file: file, location: .file, reason: "has no \"\(layer)\" feature layer")
                }
                let table = layer.quotedDatabaseIdentifier
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY fid")
                var number = 0
                while let row = try rows.next() {
                    number += 1
                    try body(row, number, count)
                }
            }
        } catch let error as InputFileError {
            throw error
        } catch {
            throw InputFileError(file: file, location: .file, reason: "cannot be read as a GeoPackage (\(error))")
        }
    }
}

extension Row {
    /// A column of a row read from a file we did not write: `nil` for NULL or a missing column,
    /// the value if it has the type asked for, and otherwise an error naming the column and what
    /// it holds. GRDB's own subscripts stop the process on a value of the wrong type.
    func checked<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type) throws(FieldError) -> Value? {
        guard hasColumn(column) else { return nil }
        let value = self[column] as DatabaseValue
        if value.isNull { return nil }
        // GRDB turns 2.5 into the integer 2; a count that is not whole is refused instead.
        let lossy: Bool =
            if case .double(let real) = value.storage, Value.self is any BinaryInteger.Type {
                real.rounded() != real
            } else {
                false
            }
        guard !lossy, let converted = Value.fromDatabaseValue(value) else {
            let found =
                switch value.storage {
                case .int64: "an integer"
                case .double: "a real number"
                case .string: "text"
                case .blob: "a blob"
                case .null: "NULL"
                }
            throw FieldError(
                field: column, reason: "holds \(found) where \(String(describing: Value.self)) is expected")
        }
        return converted
    }
}
