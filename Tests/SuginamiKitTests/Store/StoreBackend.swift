import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// The store's two back ends, for the tests that run on both: each such test takes one as its
/// argument and runs once with each.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// What both back ends give.
    typealias Store = BuildingStore & OperationsStore

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// A new, empty store: a file in a temporary directory, or a new database in the test
    /// command's throw-away cluster.
    func makeStore() async throws -> any Store {
        switch self {
        case .sqlite: try TestSupport.makeStore()
        case .postgres:
            // The whole suite runs at once on two cores: a generous wait, so that a slow moment
            // is not taken for an outage (the outage tests set their own).
            try await PostgresStore(PostgresLocation(url: TestPostgres.freshDatabase()), requestTimeout: .seconds(60))
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
