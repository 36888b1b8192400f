import Foundation
import PostgresNIO
import SuginamiTestSupport
import Testing

@testable import SuginamiKit
@testable import SuginamiPostgreSQL

/// What only the PostgreSQL back end has: its schema on PostGIS, its refusal of a database it
/// did not make, several processes sharing one database, and a server that cannot be reached.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    static func freshStore() async throws -> PostgresStore {
        try await PostgresStore(
            PostgresLocation(url: TestPostgres.freshDatabase()), requestTimeout: StoreBackend.requestTimeout)
    }

    static func rows(_ store: PostgresStore, _ sql: String) async throws -> [String] {
        try await store.read { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger).collect()
                .map { try $0.decode(String.self) }
        }
    }

    @Test("The schema is versioned, on PostGIS, with GiST indexes the planner uses for boxes and nearest")
    func schema() async throws {
        let store = try await Self.freshStore()
        #expect(
            try await Self.rows(store, "SELECT identifier FROM suginami_migration ORDER BY applied_at, identifier")
                == PostgresSchema.migrations.map(\.identifier))
        #expect(try await Self.rows(store, "SELECT extname::text FROM pg_extension").contains("postgis"))
        let gist = try await Self.rows(
            store, "SELECT indexname::text FROM pg_indexes WHERE indexdef LIKE '%USING gist%'")
        #expect(Set(gist) == ["town_extent", "facility_position", "damage_report_position", "building_position"])
        try await SuginamiDataset.bundled().load(into: store)
        // With 300-odd rows the planner may rightly prefer a scan; forbidding one shows the
        // queries are written so that the index serves them.
        let plans = try await store.read { connection in
            try await connection.query("SET enable_seqscan = off", logger: store.logger)
            var plans: [String] = []
            for sql in [
                "EXPLAIN SELECT document FROM facility WHERE position && ST_MakeEnvelope(139.6, 35.6, 139.7, 35.7, 4326)",
                "EXPLAIN SELECT id FROM facility ORDER BY position <-> ST_SetSRID(ST_MakePoint(139.63, 35.7), 4326) LIMIT 3",
                "EXPLAIN SELECT document FROM town WHERE extent && ST_SetSRID(ST_MakePoint(139.63, 35.7), 4326)",
                "EXPLAIN SELECT id FROM building WHERE position && ST_MakeEnvelope(139.6, 35.6, 139.7, 35.7, 4326)",
            ] {
                plans.append(
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger).collect()
                        .map { try $0.decode(String.self) }.joined(separator: "\n"))
            }
            try await connection.query("RESET enable_seqscan", logger: store.logger)
            return plans
        }
        #expect(plans[0].contains("facility_position"), "\(plans[0])")
        #expect(plans[1].contains("facility_position"), "\(plans[1])")
        #expect(plans[2].contains("town_extent"), "\(plans[2])")
        #expect(plans[3].contains("building_position"), "\(plans[3])")
        await store.close()
    }

    @Test("A database with tables the SDK did not make is refused and left as it was")
    func foreignDatabase() async throws {
        let url = try await TestPostgres.freshDatabase()
        let location = try PostgresLocation(url: url)
        _ = try await TestPostgres.withConnection(to: location.database) { connection, logger in
            try await connection.query("CREATE TABLE payroll (id int)", logger: logger)
        }
        await #expect {
            try await PostgresStore(location)
        } throws: { error in
            guard case StoreError.notAStore(_, let reason) = error else { return false }
            return reason.contains("did not create") && reason.contains("payroll") && !"\(error)".contains("***")
                && !"\(error)".contains(location.password ?? "-")
        }
        let tables = try await TestPostgres.withConnection(to: location.database) { connection, logger in
            try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'", logger: logger
            ).collect().map { try $0.decode(String.self) }
        }
        #expect(tables.contains("payroll") && !tables.contains("suginami_migration"))
    }

    @Test("Two processes' stores on one database: migrated once, one audit chain, events without gaps, keys shared")
    func twoStoresOneDatabase() async throws {
        let url = try await TestPostgres.freshDatabase()
        let location = try PostgresLocation(url: url)
        // Opened at once, as two daemons starting together: one migrates, the other waits.
        async let firstOpened = PostgresStore(location, requestTimeout: StoreBackend.requestTimeout)
        async let secondOpened = PostgresStore(location, requestTimeout: StoreBackend.requestTimeout)
        let (first, second) = try await (firstOpened, secondOpened)
        #expect(
            try await Self.rows(first, "SELECT identifier FROM suginami_migration").count
                == PostgresSchema.migrations.count)
        let hq = Actor.principal(
            Principal(tokenID: "tok_hq", role: .headquarters, facilityID: nil, label: "hq"), from: "127.0.0.1")
        let report = DamageReport(
            id: "", kind: .fire, position: try GeoPoint(latitude: 35.7, longitude: 139.63), observedAt: Date(),
            receivedAt: Date(), text: "煙", authorRole: .public, state: .submitted)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { _ = try await store.submit(report, by: hq, publish: true) }
            }
            try await group.waitForAll()
        }
        let entries = try await second.auditEntries()
        #expect(entries.count == 24 && entries.map(\.sequence) == Array(1...24))
        #expect(try await first.verifyAuditLog().isIntact)
        #expect(try await first.publicEvents(after: 0, limit: 1_000).map(\.sequence) == Array(1...24))
        // A retry that reaches the other daemon gets the first answer.
        let claim = try IdempotencyClaim(key: "k-1", request: Array("POST /reports\nA".utf8))
        let taken = try await first.submit(report, by: hq, idempotency: claim)
        let retried = try await second.submit(report, by: hq, idempotency: claim)
        #expect(!taken.replayed && retried.replayed && retried.value == taken.value)
        #expect(try await second.reports().count == 25)
        await first.close()
        await second.close()
    }

    // No hang: the pool alone would retry for ever; the time limit ends the test if the store
    // waited with it (alone each refusal comes in 0.02 s, under the whole suite in minutes).
    @Test(
        "A server that is not there, a wrong password and a missing database: unavailable, said so, no hang",
        .timeLimit(.minutes(10)))
    func unreachable() async throws {
        let cluster = try TestPostgres.clusterURL()
        // A loopback port nothing listens on: bind one, note it, close it.
        let closedPort = try LoopbackSocket.unusedPort()
        await #expect {
            try await PostgresStore(
                PostgresLocation(url: "postgres://suginami:x@127.0.0.1:\(closedPort)/db?sslmode=disable"),
                requestTimeout: .seconds(2))
        } throws: { error in
            guard case StoreError.unavailable(let location, _) = error else { return false }
            return location == "postgres://suginami@127.0.0.1:\(closedPort)/db"
        }
        await #expect {
            try await PostgresStore(
                PostgresLocation(
                    url: "postgres://suginami:wrong@127.0.0.1:\(cluster.port ?? 5432)/postgres?sslmode=disable"))
        } throws: { error in
            guard case StoreError.unavailable(_, let reason) = error else { return false }
            return reason.contains("password") && !"\(error)".contains("wrong")
        }
        var missing = try #require(URLComponents(url: cluster, resolvingAgainstBaseURL: false))
        missing.path = "/no_such_database"
        missing.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        await #expect {
            try await PostgresStore(PostgresLocation(url: try #require(missing.string)))
        } throws: { error in
            guard case StoreError.unavailable(_, let reason) = error else { return false }
            return reason.contains("no_such_database")
        }
    }

    @Test(
        "--database values: a path, a postgres:// URL with its parts, and bad URLs refused saying why, never with the password"
    )
    func locations() throws {
        #expect(try StoreLocation(parsing: "data/suginami.sqlite") == .file(path: "data/suginami.sqlite"))
        let url = try StoreLocation(parsing: "postgresql://ward:s%40cret@db.example:6432/suginami?sslmode=require")
        guard case .postgres(let location) = url else {
            Issue.record("not PostgreSQL: \(url)")
            return
        }
        #expect(location.host == "db.example" && location.port == 6432 && location.user == "ward")
        #expect(
            location.password == "s@cret" && location.database == "suginami" && location.transportSecurity == .require)
        #expect(url.description == "postgres://ward@db.example:6432/suginami")
        let refused: [(String, String)] = [
            ("postgres://ward:pw@/suginami", "names no host"),
            ("postgres://db.example/suginami", "names no user"),
            ("postgres://ward:pw@db.example/", "names no database"),
            ("postgres://ward:pw@db.example:0/x", "port 0"),
            ("postgres://ward:pw@db.example/x?sslmode=maybe", "sslmode=maybe"),
            ("postgres://ward:pw@db.example/x?pool=3", "pool is not understood"),
            ("mysql://ward:pw@db.example/x", "mysql:// is not a database"),
            ("", "empty"),
        ]
        for (text, reason) in refused {
            #expect {
                try StoreLocation(parsing: text)
            } throws: { error in
                "\(error)".contains(reason) && !"\(error)".contains(":pw@")
            }
        }
    }
}
