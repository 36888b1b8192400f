import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// The store's two back ends, for the tests that run on both: each such test takes one as its
/// argument and runs once with each.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// What both back ends give.
    typealias Store = ReferenceDataStore & OperationsStore

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// A new, empty store: a file in a temporary directory, or a new database in the test
    /// command's throw-away cluster.
    func makeStore() async throws -> any Store {
        switch self {
        case .sqlite: try TestSupport.makeStore()
        case .postgres: try await PostgresStore(PostgresLocation(url: TestPostgres.freshDatabase()))
        }
    }

    /// A store holding the bundled towns and facilities.
    func loadedStore() async throws -> (any Store, SuginamiDataset) {
        let store = try await makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await dataset.load(into: store)
        return (store, dataset)
    }
}
