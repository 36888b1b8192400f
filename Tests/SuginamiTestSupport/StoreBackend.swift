import Foundation
import Testing

import SuginamiKit
import SuginamiPostgreSQL

/// The store's two back ends, for the tests that run on both: each such test takes one as its
/// argument and runs once with each.
public enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// An SQLite file.
    case sqlite
    /// A database of the test command's PostgreSQL cluster.
    case postgres

    /// What both back ends give.
    public typealias Store = SuginamiDatabase

    /// How a test run names it.
    public var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// How long a test's PostgreSQL store waits for an answer before calling the server gone.
    ///
    /// The whole suite runs at once on two cores, and a test whose next step waits for one of
    /// the two threads of Swift's cooperative pool can wait minutes while other tests compute
    /// (measured: 3½ minutes for what takes 0.02 s alone). The limit is there to end a hang,
    /// not to time anything; the outage tests set their own.
    public static let requestTimeout = Duration.seconds(600)

    /// A new, empty store: a file in a temporary directory, or a new database in the test
    /// command's throw-away cluster.
    public func makeStore() async throws -> any Store {
        switch self {
        case .sqlite:
            try SuginamiStore(path: Programs.temporaryDirectory().appendingPathComponent("store.sqlite").path)
        case .postgres:
            try await PostgresStore(
                PostgresLocation(url: TestPostgres.freshDatabase()), requestTimeout: Self.requestTimeout)
        }
    }

    /// Opens what ``Programs/loadingDatabase(_:in:buildings:)`` made.
    public func open(_ database: String) async throws -> any Store {
        switch self {
        case .sqlite: try SuginamiStore(path: database)
        case .postgres: try await PostgresStore(PostgresLocation(url: database), requestTimeout: Self.requestTimeout)
        }
    }

    /// Opens what a command left at `database` without making anything: `nil` where it left no
    /// store (no file, or a PostgreSQL database without the store's schema).
    public func openIfPresent(_ database: String) async throws -> (any Store)? {
        switch self {
        case .sqlite:
            guard FileManager.default.fileExists(atPath: database) else { return nil }
            return try SuginamiStore(path: database)
        case .postgres:
            do {
                return try await PostgresStore(
                    PostgresLocation(url: database), requestTimeout: Self.requestTimeout, creatingSchema: false)
            } catch StoreError.notAStore {
                return nil
            }
        }
    }

    /// A store holding the bundled towns and facilities.
    public func loadedStore() async throws -> (any Store, SuginamiDataset) {
        let store = try await makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await dataset.load(into: store)
        return (store, dataset)
    }
}
