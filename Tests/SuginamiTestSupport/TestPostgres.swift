import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import Logging
import PostgresNIO
import SuginamiCore

/// The throw-away PostgreSQL + PostGIS cluster the test command starts
/// (`Tools/postgres/throwaway-cluster.sh run -- swift test`, which `make test` runs): a new,
/// empty database in it for each test that asks, so tests never see each other's records.
public enum TestPostgres {
    /// What a test on PostgreSQL reports when it is run without the cluster.
    public struct Missing: Error, CustomStringConvertible {
        /// Says how to run the tests with the cluster.
        public var description: String {
            "SUGINAMI_TEST_POSTGRES is not set: the PostgreSQL half of the suite runs under `make test`, "
                + "or `Tools/postgres/throwaway-cluster.sh run -- swift test`"
        }
    }

    /// A PostgreSQL error with its details (postgres-nio hides them from `description`).
    public struct Failure: Error, CustomStringConvertible {
        /// The error with everything PostgreSQL said.
        public var description: String
    }

    /// The cluster's URL (its administrative database), from `SUGINAMI_TEST_POSTGRES`.
    public static func clusterURL() throws -> URL {
        guard let text = ProcessInfo.processInfo.environment["SUGINAMI_TEST_POSTGRES"], let url = URL(string: text)
        else { throw Missing() }
        return url
    }

    /// The cluster's working directory (its data, logs and password), from
    /// `SUGINAMI_TEST_POSTGRES_ROOT`.
    public static func clusterRoot() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["SUGINAMI_TEST_POSTGRES_ROOT"] else { throw Missing() }
        return URL(fileURLWithPath: path)
    }

    /// Creates a new database in the cluster, with PostGIS installed and nothing else, and
    /// returns its URL.
    public static func freshDatabase() async throws -> String {
        let cluster = try clusterURL()
        let name = "sgk_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await template.make()
        _ = try await withConnection { connection, logger in
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(Template.name)"), logger: logger)
        }
        var components = try require(URLComponents(url: cluster, resolvingAgainstBaseURL: false))
        components.path = "/" + name
        components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        return try require(components.string)
    }

    /// Runs `body` on a connection of its own to a database of the cluster (by default its
    /// administrative one).
    public static func withConnection<Result: Sendable>(
        to database: String = "postgres", on server: String? = nil,
        _ body: (PostgresConnection, Logger) async throws -> Result
    ) async throws -> Result {
        let cluster = try server.flatMap { URL(string: $0) } ?? clusterURL()
        let logger = Logger(label: "test.postgres")
        let configuration = PostgresConnection.Configuration(
            host: cluster.host ?? "127.0.0.1", port: cluster.port ?? 5432, username: cluster.user ?? "suginami",
            password: cluster.password, database: database, tls: .disable)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            do {
                let result = try await body(connection, logger)
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as PSQLError {
            throw Failure(description: String(reflecting: error))
        }
    }

    /// A database with PostGIS installed, copied for each test: installing PostGIS takes a
    /// second or more, copying a database a fraction of that.
    actor Template {
        static let name = "sgk_template_postgis"
        // One making for every test that asks at once: an actor's method would let a second
        // caller in at its first await.
        private var making: Task<Void, any Error>?

        func make() async throws {
            if making == nil { making = Task { try await Self.create() } }
            try await making?.value
        }

        private static func create() async throws {
            _ = try await TestPostgres.withConnection { connection, logger in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            }
            _ = try await TestPostgres.withConnection(to: name) { connection, logger in
                try await connection.query("CREATE EXTENSION postgis", logger: logger)
            }
        }
    }

    private static let template = Template()

    private static func require<T>(_ value: T?) throws -> T {
        guard let value else { throw Missing() }
        return value
    }
}

/// A PostgreSQL cluster of a test's own (`Tools/postgres/throwaway-cluster.sh start`), for the
/// tests that restart or fill it: the suite's shared cluster is never disturbed.
public struct PrivateCluster: Sendable {
    /// Its directory (data, logs, standbys).
    public let root: URL
    /// Its administrative database's URL.
    public let url: String

    static var script: String {
        Programs.repositoryRoot.appendingPathComponent("Tools/postgres/throwaway-cluster.sh").path
    }

    /// Runs the script with `system(3)`, its output in a file: Foundation's `Process` waited
    /// forever here for a script whose own children (the servers) outlive it.
    static func script(_ arguments: [String]) async throws -> String {
        let output = try Programs.temporaryDirectory().appendingPathComponent("cluster.txt")
        let command = ([script] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >'\(output.path)' 2>&1"
        let status = await runOffCooperativePool { system(command) }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestPostgres.Failure(description: "throwaway-cluster.sh \(arguments.first ?? ""): \(text)")
        }
        return text
    }

    /// Starts one.
    public static func start() async throws -> PrivateCluster {
        let lines = try await script(["start"]).split(separator: "\n").map(String.init)
        guard lines.count == 2 else { throw TestPostgres.Failure(description: "start printed \(lines)") }
        return PrivateCluster(root: URL(fileURLWithPath: lines[0]), url: lines[1])
    }

    /// Runs `body` with a new cluster, and stops and removes the cluster afterwards, whether
    /// `body` returned or threw (a `defer` cannot await, and a task started there may never run
    /// before the test process ends, leaving the cluster and its directory behind).
    public static func using<Result: Sendable>(_ body: (PrivateCluster) async throws -> Result) async throws
        -> Result
    {
        let cluster = try await start()
        do {
            let result = try await body(cluster)
            try await cluster.stop()
            return result
        } catch {
            try? await cluster.stop()
            throw error
        }
    }

    /// Stops the server for `seconds`, then starts it again.
    public func restart(down seconds: Int) async throws {
        _ = try await Self.script(["restart", root.path, "\(seconds)"])
    }

    /// A streaming replica of it; returns the replica's administrative URL.
    public func standby() async throws -> String {
        try await Self.script(["standby", root.path]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops it and removes its directory.
    public func stop() async throws {
        _ = try await Self.script(["stop", root.path])
    }

    /// The URL of database `name` of this cluster (or of the server at `server`).
    public func database(_ name: String, on server: String? = nil) throws -> String {
        guard var components = URLComponents(string: server ?? url) else {
            throw TestPostgres.Failure(description: "bad URL")
        }
        components.path = "/" + name
        return components.string ?? ""
    }
}
