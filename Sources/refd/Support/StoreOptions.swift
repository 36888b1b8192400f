import ArgumentParser
import Foundation
import SuginamiKit

/// The `--database` option every store command shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The SQLite database file.")
    var database: String = "suginami.sqlite"

    func validate() throws {
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--database \(database): the directory \(directory) does not exist")
        }
    }

    /// Opens an existing store; refuses to create one by accident.
    func openExisting() throws -> SuginamiStore {
        guard FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("database \(database) does not exist; create it with `refd load` or `refd import`")
        }
        return try SuginamiStore(path: database)
    }
}

extension FacilityKind: ExpressibleByArgument {}
extension FacilityLayout: ExpressibleByArgument {}
extension FacilityFormat: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}

/// A `latitude,longitude` argument.
struct PointArgument: ExpressibleByArgument {
    let point: GeoPoint

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let latitude = Double(parts[0]), let longitude = Double(parts[1]),
            let point = try? GeoPoint(latitude: latitude, longitude: longitude)
        else { return nil }
        self.point = point
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
