import Foundation
import GRDB

/// The SDK's database: one SQLite file holding facilities, towns, buildings, shelter status
/// reports and damage reports, with R*Tree indexes over their positions.
///
/// The store runs SQLite in WAL mode through GRDB's `DatabasePool`: any number of tasks read at
/// once while one writes, and readers never wait for the writer. Every write method is one
/// transaction, so a batch is stored whole or not at all, even if the process is killed in the
/// middle (`synchronous = FULL`: a write that returned is on disk).
public final class SuginamiStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens the database at `path`, creating it if needed and bringing its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.path = path
        pool = try DatabasePool(path: path, configuration: configuration)
        try StoreSchema.migrator.migrate(pool)
    }

    /// Runs SQLite's own consistency checks (`integrity_check`, `foreign_key_check`) and the
    /// store's (every R*Tree has exactly one entry per row).
    /// - Returns: the problems found; empty for a sound database.
    public func integrityProblems() async throws -> [String] {
        try await pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeyViolations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += foreignKeyViolations.map { "foreign key violation in \($0[0] as String? ?? "?")" }
            for table in ["facility", "town", "building"] {
                let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
                let indexed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)_rtree") ?? 0
                let matched =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \(table) JOIN \(table)_rtree r ON r.id = \(table).rowid") ?? 0
                if rows != indexed || rows != matched {
                    problems.append("\(table): \(rows) rows but \(indexed) R*Tree entries (\(matched) matching)")
                }
            }
            return problems
        }
    }
}

/// A store operation refused because of what was asked of it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record failed validation; nothing of the batch was written.
    case invalidRecord(id: String, problems: [String])
    /// A record refers to a facility the store does not hold.
    case unknownFacility(String)
    /// The same id appears twice in one batch.
    case duplicateID(String)
    /// A count or limit that must be positive was not.
    case invalidArgument(String)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .invalidRecord(let id, let problems): "record \(id): \(problems.joined(separator: "; "))"
        case .unknownFacility(let id): "no facility with id \(id)"
        case .duplicateID(let id): "id \(id) appears more than once in the batch"
        case .invalidArgument(let text): text
        }
    }
}

/// JSON for the `document` columns: stable key order so that equal records give equal text.
enum DocumentCoding {
    // One configured coder each, shared: Foundation's coders are Sendable and reentrant, and
    // making one per call showed up in the nearest-facility profile.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
