import ArgumentParser
import Foundation
import SuginamiKit
import SuginamiPostgreSQL

/// The `--database` option every store command shares.
struct StoreOptions: ParsableArguments {
    init() {}

    /// The options for this `--database` value.
    init(database: String, readReplica: String? = nil) {
        self.database = database
        self.readReplica = readReplica
    }

    @Option(
        name: .shortAndLong,
        help: "The database: an SQLite file, or a PostgreSQL + PostGIS URL (postgres://user:password@host:port/name).")
    var database: String = "suginami.sqlite"

    @Option(
        help: ArgumentHelp(
            "A streaming replica of the PostgreSQL --database, for the reads that may lag a moment.",
            discussion: "Facilities, towns, buildings and counts are read there; writes, tokens, statuses and "
                + "events stay on the primary.",
            valueName: "postgres-url"))
    var readReplica: String?

    /// Where `--database` points.
    func location() throws -> StoreLocation {
        do {
            return try StoreLocation(parsing: database)
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    /// The replica `--read-replica` names, if any.
    func replica() throws -> PostgresLocation? {
        guard let readReplica else { return nil }
        guard case .postgres(let location) = try StoreLocation(parsingOption: readReplica, "--read-replica") else {
            throw ValidationError("--read-replica \(readReplica): a replica is a postgres:// URL")
        }
        return location
    }

    func validate() throws {
        if readReplica != nil {
            guard case .postgres = try location() else {
                throw ValidationError("--read-replica applies to a PostgreSQL --database, not to a file")
            }
            _ = try replica()
        }
        guard case .file = try location() else { return }
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--database \(database): the directory \(directory) does not exist")
        }
    }

    /// Opens the store, creating it (an empty file, or the schema in an empty PostgreSQL
    /// database) when there is none: what an import writes into.
    func openOrCreate() async throws -> any SuginamiDatabase {
        switch try location() {
        case .file(let path): try SuginamiStore(path: path)
        case .postgres(let location): try await PostgresStore(location)
        }
    }

    /// Opens an existing store, a file or a PostgreSQL database; refuses to create one by
    /// accident.
    func openExisting() async throws -> any SuginamiDatabase {
        switch try location() {
        case .file(let path):
            guard readReplica == nil else {
                throw InputError("--read-replica applies to a PostgreSQL --database, not to the file \(path)")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError("database \(path) does not exist; create it with `refd load` or `refd import`")
            }
            return try SuginamiStore(path: path)
        case .postgres(let location):
            do {
                return try await PostgresStore(location, readReplica: try replica(), creatingSchema: false)
            } catch StoreError.notAStore(let path, _) {
                throw InputError(
                    "database \(path) holds no SuginamiKit store yet; create it with `refd load` or `refd import`")
            }
        }
    }
}

extension StoreLocation {
    /// Reads an option's value, the error naming the option.
    init(parsingOption text: String, _ option: String) throws {
        do {
            self = try StoreLocation(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
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
