import Foundation
import Metrics
import Prometheus
import SuginamiGIS
import SuginamiServer
import SuginamiTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One daemon per store back end for the suites: the bundled data loaded by `refd load` (into
/// an SQLite file, or a database of the test command's PostgreSQL cluster), the bundled
/// synthetic network, served in process on a free port of 127.0.0.1 and talked to over a socket.
actor ServerFixture {
    static let sqlite = ServerFixture(backend: .sqlite)
    static let postgres = ServerFixture(backend: .postgres)

    /// The daemon on one back end.
    static func shared(_ backend: StoreBackend) -> ServerFixture {
        backend == .sqlite ? sqlite : postgres
    }

    let backend: StoreBackend

    init(backend: StoreBackend) { self.backend = backend }

    private var starting: Task<String, any Error>?
    /// What the server serves, for tests that build other things from the same data.
    private(set) var catalogue: FeatureCatalogue?
    private(set) var routing: ReliefCentreRouting?
    static let registry = PrometheusCollectorRegistry()

    /// The process's metrics go to ``registry``: set once, however many daemons start.
    private static let metricsBootstrapped: Void = MetricsSystem.bootstrap(
        PrometheusMetricsFactory(registry: registry))

    /// The base URL, starting the server on first use (the other callers wait for that start).
    func base() async throws -> String {
        if let starting { return try await starting.value }
        let task = Task { try await start() }
        starting = task
        return try await task.value
    }

    /// The served catalogue and routing (starting the server if needed).
    func published() async throws -> (FeatureCatalogue, ReliefCentreRouting) {
        _ = try await base()
        guard let catalogue, let routing else { throw ProgramFailure(description: "the server did not start") }
        return (catalogue, routing)
    }

    private func start() async throws -> String {
        let directory = try Programs.temporaryDirectory()
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 3_000)
        // A small simulation, as a user runs one, for the damage layers.
        let run = directory.appendingPathComponent("run")
        let report = directory.appendingPathComponent("report")
        let simulate = try await Programs.running(
            "refd",
            [
                "simulate", "--database", database, "--scenario", "toshin-nanbu-chokka-m7.3", "--events", "20",
                "--fire",
                "--fire-classes", "wooden=fire_preventive,non_wooden=fire_resistant",
                "--out", run.path, "--report", report.path, "--progress", "none",
            ])
        guard simulate.status == 0 else { throw ProgramFailure(description: "refd simulate: \(simulate.stderr)") }
        let store = try await backend.open(database)
        let network = try await RoadNetwork.load(.bundledSynthetic)
        let routing = try await ReliefCentreRouting(store: store, network: network)
        let built = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
        let layers = try FeatureCatalogue.simulationCollections(run: run, report: report, buildings: .synthetic)
        let catalogue = FeatureCatalogue(collections: built.collections + layers, timeStamp: built.timeStamp)
        self.catalogue = catalogue
        self.routing = routing
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .warning
        _ = Self.metricsBootstrapped
        let server = ReferenceServer(
            configuration: configuration, store: store, catalogue: catalogue, routing: routing,
            registry: Self.registry)
        return try await server.startInBackground()
    }
}

/// A plain HTTP client over URLSession, with every cache off so that each call reaches the server.
enum HTTP {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        var json: [String: Any] {
            get throws {
                guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                    throw ProgramFailure(
                        description: "not a JSON object: \(String(decoding: body.prefix(200), as: UTF8.self))")
                }
                return object
            }
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil)
        async throws -> Answer
    {
        guard let address = URL(string: url) else { throw ProgramFailure(description: "bad URL \(url.prefix(100))") }
        var request = URLRequest(url: address)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ProgramFailure(description: "not HTTP") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }
}
