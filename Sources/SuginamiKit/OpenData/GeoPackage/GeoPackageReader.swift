import Foundation
import GRDB

/// Opens a GeoPackage read-only and returns the rows of one feature layer.
enum GeoPackageReader {
    static func rows(of layer: String, path: String) throws(OpenDataError) -> [Row] {
        let file = URL(fileURLWithPath: path).lastPathComponent
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in
                let applicationID = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard applicationID == 0x4750_4B47 else {
                    throw OpenDataError(
                        file: file, location: .file, reason: "not a GeoPackage (application_id is \(applicationID))")
                }
                let isFeatureLayer =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM gpkg_contents WHERE table_name = ? AND data_type = 'features'",
                        arguments: [layer]) ?? false
                guard isFeatureLayer, try db.tableExists(layer) else {
                    throw OpenDataError(file: file, location: .file, reason: "has no \"\(layer)\" feature layer")
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM \(layer.quotedDatabaseIdentifier) ORDER BY fid")
            }
        } catch let error as OpenDataError {
            throw error
        } catch {
            throw OpenDataError(file: file, location: .file, reason: "cannot be read as a GeoPackage (\(error))")
        }
    }
}
