import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiServer
import SuginamiTestSupport

/// A daemon of its own for the operations tests, whose writes change statuses and close roads:
/// the bundled data in a fresh store, tokens issued as `refd token issue` issues them, served in
/// process on a free port of 127.0.0.1.
actor OperationsFixture {
    static let shared = OperationsFixture()

    /// Relief centres the staff tokens are bound to: 阿佐ヶ谷中学校 and 杉並第六小学校.
    static let centreA = "RC-E1311500001111"
    static let centreB = "RC-E1311500002111"

    /// The bearer secrets, by who holds them.
    struct Tokens: Sendable {
        let admin: String
        let headquarters: String
        let publicClient: String
        let otherPublicClient: String
        let staffA: String
        let staffB: String
        let revoked: String
    }

    struct Served: Sendable {
        let base: String
        let store: SuginamiStore
        let routing: ReliefCentreRouting
        let tokens: Tokens
    }

    private var starting: Task<Served, any Error>?

    func served() async throws -> Served {
        if let starting { return try await starting.value }
        let task = Task { try await start() }
        starting = task
        return try await task.value
    }

    private func start() async throws -> Served {
        let directory = try Programs.temporaryDirectory()
        let database = try Programs.loadedDatabase(in: directory, buildings: 500)
        let store = try SuginamiStore(path: database)
        func issue(_ role: AccessRole, _ facility: String? = nil) async throws -> String {
            try await store.issueToken(role: role, facilityID: facility, label: "test \(role)", by: .localTool("test"))
                .secret
        }
        let revoked = try await store.issueToken(role: .headquarters, label: "lost phone", by: .localTool("test"))
        try await store.revokeToken(id: revoked.token.id, by: .localTool("test"))
        let tokens = Tokens(
            admin: try await issue(.admin), headquarters: try await issue(.headquarters),
            publicClient: try await issue(.public), otherPublicClient: try await issue(.public),
            staffA: try await issue(.staff, Self.centreA), staffB: try await issue(.staff, Self.centreB),
            revoked: revoked.secret)
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        let catalogue = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .error
        configuration.reportsPerMinute = 30
        let server = ReferenceServer(
            configuration: configuration, store: store, catalogue: catalogue, routing: routing,
            registry: ServerFixture.registry)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        Task { try await server.run(gracefulShutdownSignals: []) { base in continuation.yield(base) } }
        var iterator = stream.makeAsyncIterator()
        guard let base = await iterator.next() else { throw ProgramFailure(description: "the server did not start") }
        return Served(base: base, store: store, routing: routing, tokens: tokens)
    }
}

extension HTTP {
    /// A JSON request with a bearer token.
    static func send(
        _ method: String, _ url: String, token: String?, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var fields = headers
        if let token { fields["Authorization"] = "Bearer \(token)" }
        if body != nil, fields["Content-Type"] == nil { fields["Content-Type"] = "application/json" }
        return try await get(url, method: method, headers: fields, body: body)
    }
}
