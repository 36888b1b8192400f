import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiServer
import SuginamiTestSupport

/// A daemon of its own for the operations tests, whose writes change statuses and close roads:
/// the bundled data in a fresh store, tokens issued as `refd token issue` issues them, served in
/// process on a free port of 127.0.0.1.
actor OperationsFixture {
    static let sqlite = OperationsFixture(backend: .sqlite)
    static let postgres = OperationsFixture(backend: .postgres)

    /// The daemon on one back end.
    static func shared(_ backend: StoreBackend) -> OperationsFixture {
        backend == .sqlite ? sqlite : postgres
    }

    /// The one on SQLite, for the suites that run on it only.
    static var shared: OperationsFixture { sqlite }

    let backend: StoreBackend

    init(backend: StoreBackend) { self.backend = backend }

    /// Relief centres the staff tokens are bound to: 阿佐ヶ谷中学校 and 杉並第六小学校.
    static let centreA = "RC-E1311500001111"
    static let centreB = "RC-E1311500002111"

    /// Two temporary stay facilities (一時滞在施設) made up for the tests (the ward does not publish
    /// its list): one near 阿佐ケ谷駅, one near 高円寺駅.
    static let stayNear = "TEST-STAY-ASAGAYA"
    static let stayFar = "TEST-STAY-KOENJI"

    /// The bearer secrets, by who holds them.
    struct Tokens: Sendable {
        let admin: String
        let headquarters: String
        let publicClient: String
        let otherPublicClient: String
        let staffA: String
        let staffB: String
        let stayStaff: String
        let revoked: String
    }

    struct Served: Sendable {
        let base: String
        let store: any SuginamiDatabase
        let routing: ReliefCentreRouting
        let tokens: Tokens
    }

    private let once = MadeOnce<Served>()

    func served() async throws -> Served { try await once.value { [backend] in try await Self.start(backend) } }

    private static func start(_ backend: StoreBackend) async throws -> Served {
        let directory = try Programs.temporaryDirectory()
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 500)
        let store = try await backend.open(database)
        let source = DataSource(
            id: "test", title: "made up for the tests", licence: "none", attribution: "SuginamiKit tests (not real)")
        try await store.save(
            [
                Facility(
                    id: Self.stayNear, kind: .temporaryStayFacility, name: "テスト一時滞在施設 阿佐谷",
                    position: try GeoPoint(latitude: 35.7052, longitude: 139.6367), source: source, capacity: 300),
                Facility(
                    id: Self.stayFar, kind: .temporaryStayFacility, name: "テスト一時滞在施設 高円寺",
                    position: try GeoPoint(latitude: 35.7054, longitude: 139.6497), source: source, capacity: 500),
            ])
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
            stayStaff: try await issue(.staff, Self.stayNear),
            revoked: revoked.secret)
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        let stay = try await ReliefCentreRouting(store: store, network: network, kind: .temporaryStayFacility)
        let catalogue = try await FeatureCatalogue.build(
            store: store, routing: await routing.snapshot, temporaryStay: await stay.snapshot)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .error
        configuration.reportsPerMinute = 30
        let server = ReferenceServer(
            configuration: configuration, store: store, catalogue: catalogue, routing: routing, temporaryStay: stay,
            registry: ServerFixture.registry)
        let base = try await server.startInBackground()
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
