import Foundation
import SuginamiKit
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The store on PostgreSQL + PostGIS: what several daemons share when one machine is not
/// enough. Its records and answers are those of ``SuginamiStore`` (the SQLite file), through
/// the same protocols (``ReferenceDataStore``, ``OperationsStore``).
///
/// Connections come from postgres-nio's pool. Every change is one transaction; changes to the
/// operations records also take one advisory lock, so that however many daemons write, the
/// audit log is one chain, public events are numbered in commit order without gaps, and an
/// idempotency key has one answer. Positions are PostGIS points (SRID 4326) with GiST indexes.
///
/// ```swift
/// let store = try await PostgresStore(PostgresLocation(url: "postgres://ward@db/suginami"))
/// defer { Task { await store.close() } }
/// let nearest = try await store.nearestFacilities(to: here, count: 3, kinds: [.reliefCentre])
/// ```
public final class PostgresStore: Sendable {
    /// Where the database is.
    public let postgres: PostgresLocation
    let client: PostgresClient
    /// The streaming replica's pool, when reads that may lag go there.
    let replicaClient: PostgresClient?
    /// The replica, when given.
    public let readReplica: PostgresLocation?
    private let running: Task<Void, Never>
    let logger: Logger
    /// One connection's settings, for the checks that must not wait on the pool.
    private let single: PostgresConnection.Configuration
    /// Whether the server was last found unreachable.
    let reachability = Reachability()

    /// How long a request waits for a connection or an answer before the store says the
    /// database is unavailable (a daemon then answers 503 with Retry-After, not a hang).
    public let requestTimeout: Duration

    /// Connects to the database and brings its schema up to date (installing PostGIS when the
    /// role may; several processes starting at once migrate once).
    /// - Parameters:
    ///   - location: the database.
    ///   - requestTimeout: how long one request may wait for the server.
    ///   - maximumConnections: the pool's size for this process.
    ///   - readReplica: a streaming replica of `location` for the reads that may lag a moment
    ///     behind the primary (facilities, towns, buildings, counts); writes, and the reads a
    ///     write depends on (tokens, statuses, events, reports), stay on the primary.
    ///   - creatingSchema: whether a database without the store's schema gets it (false: such
    ///     a database is refused with ``StoreError/notAStore(path:reason:)``, as a missing file
    ///     is by a command that reads one).
    /// - Throws: ``StoreError/unavailable(location:reason:)`` when the server cannot be
    ///   reached or refuses the role; ``StoreError/notAStore(path:reason:)`` for a database
    ///   that holds tables SuginamiKit did not make (they are left untouched).
    public init(
        _ location: PostgresLocation, requestTimeout: Duration = .seconds(5), maximumConnections: Int = 20,
        readReplica: PostgresLocation? = nil, creatingSchema: Bool = true
    ) async throws {
        postgres = location
        self.requestTimeout = requestTimeout
        var logger = Logger(label: "suginami.store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: Self.tls(location.transportSecurity))
        configuration.options.maximumConnections = maximumConnections
        // What the server's views (pg_stat_activity) call these connections.
        configuration.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        configuration.options.connectTimeout = requestTimeout
        // One connection first, on its own: the pool retries a server it cannot reach without
        // saying why, where this says at once (refused, no such role or database, a password).
        var single = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try Self.connectionTLS(location.transportSecurity))
        single.options.connectTimeout = .milliseconds(Int64(requestTimeout.components.seconds * 1_000))
        self.single = single
        try await Self.checkReachable(single, location: location, logger: logger)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.readReplica = readReplica
        var replicaClient: PostgresClient?
        if let readReplica {
            var replica = PostgresConnection.Configuration(
                host: readReplica.host, port: readReplica.port, username: readReplica.user,
                password: readReplica.password, database: readReplica.database,
                tls: try Self.connectionTLS(readReplica.transportSecurity))
            replica.options.connectTimeout = single.options.connectTimeout
            try await Self.checkReachable(replica, location: readReplica, logger: logger)
            var pooled = PostgresClient.Configuration(
                host: readReplica.host, port: readReplica.port, username: readReplica.user,
                password: readReplica.password, database: readReplica.database,
                tls: Self.tls(readReplica.transportSecurity))
            pooled.options = configuration.options
            replicaClient = PostgresClient(configuration: pooled, backgroundLogger: logger)
        }
        self.replicaClient = replicaClient
        running = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                if let replicaClient { group.addTask { await replicaClient.run() } }
            }
        }
        do {
            try await PostgresSchema.migrate(self, creatingSchema: creatingSchema)
        } catch {
            running.cancel()
            throw error
        }
    }

    /// The `application_name` the store's connections give the server.
    public static let applicationName = "suginamikit"

    /// How long the schema's migrations may take (PostGIS's installation alone takes seconds).
    static let migrationTimeout = Duration.seconds(300)

    private static func checkReachable(
        _ single: PostgresConnection.Configuration, location: PostgresLocation, logger: Logger
    ) async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            let reason =
                error.serverInfo?[.message] ?? (error.underlying.map { "\($0)" } ?? "\(error.code)")
            throw StoreError.unavailable(location: location.description, reason: reason)
        }
    }

    /// Closes the pool; no method may be called afterwards.
    public func close() async {
        running.cancel()
        _ = await running.value
    }

    /// The database, as a ``StoreLocation``.
    public var location: StoreLocation { .postgres(postgres) }

    /// After a lost connection: tries the server on a connection of its own every half second
    /// until it answers, then lets requests through again.
    func probeUntilReachable() {
        guard reachability.startProbing() else { return }
        Task { [single, postgres, logger, reachability] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if (try? await Self.checkReachable(single, location: postgres, logger: logger)) != nil {
                    reachability.markUp()
                    return
                }
            }
        }
    }

    private static func connectionTLS(_ security: PostgresLocation.TransportSecurity) throws
        -> PostgresConnection.Configuration.TLS
    {
        switch security {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private static func tls(_ security: PostgresLocation.TransportSecurity) -> PostgresClient.Configuration.TLS {
        switch security {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    // MARK: Reads and transactions

    /// Runs `body` on one pooled connection, outside a transaction.
    func read<Result: Sendable>(
        _ source: ReadSource = .primary, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let pool = source == .replica ? (replicaClient ?? client) : client
        return try await withStoreErrors { try await pool.withConnection { try await body($0) } }
    }

    /// Where a read goes.
    enum ReadSource {
        /// The primary: what a write depends on.
        case primary
        /// The replica when there is one: what may lag a moment.
        case replica
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back
    /// when it throws; `body`'s own error is what the caller sees.
    @discardableResult
    func transaction<Result: Sendable>(
        timeout: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withStoreErrors(timeout: timeout) {
            try await self.client.withConnection { connection in
                try await connection.query("BEGIN", logger: self.logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: self.logger)
                    return result
                } catch {
                    // A failed rollback leaves a broken connection, which the pool replaces;
                    // the server rolls back on its own when the connection goes.
                    _ = try? await connection.query("ROLLBACK", logger: self.logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body` within the request timeout (or `timeout`) and turns PostgreSQL's errors into
    /// the store's.
    func withStoreErrors<Result: Sendable>(
        timeout: Duration? = nil, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let limit = timeout ?? requestTimeout
        // While the server is known to be down, at once: a daemon answers 503 with Retry-After
        // rather than let each request wait out the pool's reconnection.
        if let down = reachability.downFor {
            throw StoreError.unavailable(
                location: postgres.description,
                reason: "the server stopped answering \(Int(down.components.seconds)) s ago; reconnecting")
        }
        do {
            return try await Self.within(limit, body) {
                StoreError.unavailable(
                    location: self.postgres.description, reason: "no answer within \(limit.components.seconds) s")
            }
        } catch {
            if Self.isConnectionLoss(error) {
                reachability.markDown()
                probeUntilReachable()
            }
            throw storeError(error)
        }
    }

    /// `body`'s result, or `late()` thrown once `limit` has passed. Not a task group: a group
    /// waits for all its tasks, and a lease or a query the client does not cancel would hold
    /// the answer past the deadline, the hang this is here to prevent. The work left behind is
    /// cancelled and ends on its own.
    static func within<Result: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> Result,
        late: @escaping @Sendable () -> any Error
    ) async throws -> Result {
        let answer = Answer<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.wait(continuation)
                let work = Task {
                    do { answer.give(.success(try await body())) } catch { answer.give(.failure(error)) }
                }
                answer.onCancel { work.cancel() }
                Task {
                    try? await Task.sleep(for: limit)
                    if answer.give(.failure(late())) { work.cancel() }
                }
            }
        } onCancel: {
            answer.cancel()
        }
    }

    /// Whether `error` says the server went away (shut down, crashed, refused or dropped the
    /// connection), as opposed to refusing the request.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] { return ["57P01", "57P02", "57P03"].contains(state) }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown].contains(error.code)
    }

    /// PostgreSQL's and the pool's errors in the store's terms, where there is one.
    func storeError(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        let where_ = postgres.description
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? state
            switch state {
            case "53100", "53200": return StoreError.storageFull(location: where_, reason: message)
            case "57P01", "57P02", "57P03", "53300":
                return StoreError.unavailable(location: where_, reason: message)
            case "28P01", "28000": return StoreError.unavailable(location: where_, reason: message)
            case "3D000": return StoreError.unavailable(location: where_, reason: message)
            default: return StoreError.invalidArgument("PostgreSQL refused the request: \(message) (\(state))")
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .queryCancelled:
            return StoreError.unavailable(location: where_, reason: "\(error.code)")
        default: return error
        }
    }
}

/// Whether a store's server was last found unreachable, and since when.
final class Reachability: @unchecked Sendable {
    // Unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var since: ContinuousClock.Instant?
    private var probing = false

    /// How long the server has been unreachable, or nil when it is not known to be.
    var downFor: Duration? { lock.withLock { since.map { ContinuousClock.now - $0 } } }

    func markDown() { lock.withLock { if since == nil { since = .now } } }

    func markUp() {
        lock.withLock {
            since = nil
            probing = false
        }
    }

    /// Whether the caller is the one to probe (no other is).
    func startProbing() -> Bool {
        lock.withLock {
            guard !probing else { return false }
            probing = true
            return true
        }
    }
}

/// The first of several answers to one waiting caller; the others are dropped.
final class Answer<Value: Sendable>: @unchecked Sendable {
    // Unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var given = false
    /// An answer given before the caller waited (a caller cancelled before it began).
    private var early: Result<Value, any Error>?
    private var cancelWork: (@Sendable () -> Void)?

    func wait(_ continuation: CheckedContinuation<Value, any Error>) {
        let ready = lock.withLock { () -> Result<Value, any Error>? in
            if early == nil { self.continuation = continuation }
            defer { early = nil }
            return early
        }
        if let ready { continuation.resume(with: ready) }
    }

    func onCancel(_ cancel: @escaping @Sendable () -> Void) { lock.withLock { cancelWork = cancel } }

    /// Gives `result` if nothing was given yet; returns whether it was.
    @discardableResult
    func give(_ result: Result<Value, any Error>) -> Bool {
        let (first, waiting) = lock.withLock { () -> (Bool, CheckedContinuation<Value, any Error>?) in
            guard !given else { return (false, nil) }
            given = true
            if continuation == nil { early = result }
            defer { continuation = nil }
            return (true, continuation)
        }
        waiting?.resume(with: result)
        return first
    }

    /// The caller was cancelled: it gets `CancellationError` and the work is cancelled.
    func cancel() {
        if give(.failure(CancellationError())) { lock.withLock { cancelWork }?() }
    }
}
