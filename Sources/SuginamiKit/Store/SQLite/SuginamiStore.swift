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

    /// The database file, as a ``StoreLocation``.
    public var location: StoreLocation { .file(path: path) }

    /// Opens the database at `path`, creating it if needed and bringing its schema up to date.
    ///
    /// - Throws: ``StoreError/notAStore(path:reason:)`` if the file is not an SQLite database, or
    ///   is one that SuginamiKit did not create (its tables are never touched);
    ///   ``StoreError/busy(path:)`` if another process holds the write lock for over 30 s.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.path = path
        do {
            if FileManager.default.fileExists(atPath: path) { try Self.checkOwnership(of: path) }
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreSchema.migrator.migrate(pool)
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// How long a write waits for another process's transaction before giving up.
    static let busyTimeout: TimeInterval = 30

    /// Refuses a database that holds tables but not the store's migrations: someone else's file,
    /// which the migrator would otherwise add tables to. Read only: opening a pool would already
    /// switch the file to WAL mode.
    static func checkOwnership(of path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in
            let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
            guard tables > 0 else { return }
            let migrations =
                try db.tableExists("grdb_migrations")
                ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            guard migrations.contains(StoreSchema.firstMigration) else {
                throw StoreError.notAStore(
                    path: path, reason: "it is an SQLite database that SuginamiKit did not create; it is left untouched"
                )
            }
        }
    }

    /// SQLite's errors in the store's terms, where there is one.
    static func storeError(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path: path)
        case .SQLITE_NOTADB: return StoreError.notAStore(path: path, reason: "it is not an SQLite database")
        case .SQLITE_CORRUPT:
            return StoreError.notAStore(path: path, reason: "the database is damaged (\(error.message ?? ""))")
        default: return error
        }
    }

    /// Runs `body` in one write transaction: everything it writes is committed together when it
    /// returns, or nothing if it throws or the process dies first.
    ///
    /// Writers exclude each other through SQLite's lock, across processes too: a second writer
    /// waits up to 30 s for the first, then fails with ``StoreError/busy(path:)``; readers
    /// never wait. `body` runs on the store's writer thread, off the cooperative thread pool.
    /// - Returns: what `body` returned.
    public func write<Result: Sendable>(_ body: @Sendable (StoreTransaction) throws -> Result) async throws -> Result {
        do {
            return try await pool.write { db in try body(StoreTransaction(db)) }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Closes the database; no method may be called afterwards. A store also closes when it is
    /// released: call this to know when (the WAL file is merged back and removed).
    public func close() throws {
        // The readers first, so that the writer is the last connection to go and SQLite merges
        // the WAL back and removes it: GRDB's close() closes the writer first (its issue 739),
        // which left the -wal and -shm files behind.
        pool.releaseMemory()
        try pool.close()
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
