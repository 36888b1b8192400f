import ArgumentParser
import Foundation
import SuginamiKit

/// The `--database` option every store command shares.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: "The database: an SQLite file, or a PostgreSQL + PostGIS URL (postgres://user:password@host:port/name).")
    var database: String = "suginami.sqlite"

    /// Where `--database` points.
    func location() throws -> StoreLocation {
        do {
            return try StoreLocation(parsing: database)
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    func validate() throws {
        guard case .file = try location() else { return }
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--database \(database): the directory \(directory) does not exist")
        }
    }

    /// Opens an existing store; refuses to create one by accident.
    func openExisting() throws -> SuginamiStore {
        guard FileManager.default.fileExists(atPath: database) else {
            throw InputError("database \(database) does not exist; create it with `refd load` or `refd import`")
        }
        return try SuginamiStore(path: database)
    }
}

extension FacilityKind: ExpressibleByArgument {}
extension FacilityLayout: ExpressibleByArgument {}
extension FacilityFormat: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}

/// Reads a position argument, `longitude,latitude` (the one order of the SDK); a swapped pair
/// is refused with the fix (`139.63 is not a latitude …; did you mean 139.63,35.70?`).
func parsePosition(_ text: String) throws -> GeoPoint {
    do {
        return try GeoPoint(parsing: text)
    } catch {
        throw ValidationError(error.reason)
    }
}
