import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import SuginamiGIS
import SuginamiServer

/// `refd serve`: the daemon. Parses its settings, builds the facades, serves.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ward's open data, relief-centre status and routes over HTTP (OGC API – Features).",
        discussion: """
            Settings come from --config FILE (a JSON object), then REFD_* environment variables, then \
            these flags, each later one winning; every name is the same in the three (cache-max-age, \
            REFD_CACHE_MAX_AGE, --cache-max-age). It binds 127.0.0.1:8080 unless told otherwise, and \
            stops gracefully on SIGTERM or SIGINT. Endpoints: / (landing page), /api, /conformance, \
            /collections/…/items, /routes?from=longitude,latitude, /healthz, /readyz, /metrics.

              refd load && refd serve
              refd serve --port 0 --network area.sgknet    # a free port, printed on start
            """
    )

    @Option(help: "A JSON file of settings (the flags' names as keys).")
    var config: String?
    @Option(help: "The address to bind (default \(ServerConfiguration().host)).")
    var host: String?
    @Option(help: "The TCP port; 0 takes a free one (default \(ServerConfiguration().port)).")
    var port: String?
    @Option(
        name: .shortAndLong,
        help: "The database: an SQLite file or a postgres:// URL (default \(ServerConfiguration().database)).")
    var database: String?
    @Option(help: "With a PostgreSQL --database: a streaming replica's postgres:// URL for lag-tolerant reads.")
    var readReplica: String?
    @Option(
        help:
            "A road network: a file from `refd route --save-network`, or OpenStreetMap .osm/.osm.pbf (default: the bundled SYNTHETIC network)."
    )
    var network: String?
    @Option(
        help: "A run directory written by `refd simulate --out`: its 250 m cells become the damage_cells collection.")
    var simulation: String?
    @Option(
        help: "A report directory written by `refd simulate --report`: its towns become the damage_towns collection.")
    var report: String?
    @OptionGroup var roads: RoadClosureOptions
    @Option(help: "Where Leaflet's files are, for the web map (default \(ServerConfiguration().leaflet)).")
    var leaflet: String?
    @Option(help: "The base URL of links, when a proxy serves the daemon elsewhere (default http://HOST:PORT).")
    var publicURL: String?
    @Option(help: "Seconds clients may reuse a data response (default \(ServerConfiguration().cacheMaxAge)).")
    var cacheMaxAge: String?
    @Option(
        help:
            "How a relief centre with no report counts: open or closed (default \(ServerConfiguration().unreportedCentres))."
    )
    var unreportedCentres: String?
    @Option(
        help: """
            Damage reports one public client may submit a minute; more get 429 \
            (default \(ServerConfiguration().reportsPerMinute)).
            """)
    var reportsPerMinute: String?
    @Option(
        help: """
            The personal-data key file (`refd people key`): serves the sealed roster of people who need \
            help to the roles that may read it (/people).
            """)
    var peopleKey: String?
    @Option(
        help: """
            true once the ward has declared a disaster: relief-centre staff see their area's people \
            without consent (default false).
            """)
    var disasterDeclared: String?
    @Option(help: "Who certifies on the り災証明書 the daemon issues (default \(ServerConfiguration().certificateIssuer)).")
    var certificateIssuer: String?
    @Option(
        help:
            "trace, debug (logs every request), info, notice, warning, error or critical (default \(ServerConfiguration().logLevel))."
    )
    var logLevel: String?

    /// The flags given, by setting name.
    var flags: [String: String] {
        let given: [(String, String?)] = [
            ("host", host), ("port", port), ("database", database), ("read-replica", readReplica),
            ("network", network), ("simulation", simulation),
            ("report", report), ("closures", roads.closures), ("no-go", roads.noGo), ("leaflet", leaflet),
            ("public-url", publicURL),
            ("cache-max-age", cacheMaxAge), ("unreported-centres", unreportedCentres),
            ("reports-per-minute", reportsPerMinute), ("people-key", peopleKey),
            ("disaster-declared", disasterDeclared), ("certificate-issuer", certificateIssuer), ("log-level", logLevel),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { name, value in value.map { (name, $0) } })
    }

    func run() async throws {
        // First, before any other concurrent work of this process (see the method's note).
        ReferenceServer.runConcurrencyOnEventLoops()
        let settings: ServerConfiguration
        do {
            settings = try ServerConfiguration.resolve(
                file: config.map { URL(fileURLWithPath: $0) }, environment: ProcessInfo.processInfo.environment,
                flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "refd")
        logger.logLevel = settings.logLevel

        let data = try await PublishedData.load(
            database: settings.database, readReplica: settings.readReplica, network: settings.network,
            closures: settings.closures, noGo: settings.noGo,
            simulation: settings.simulation, report: settings.report, peopleKey: settings.peopleKey,
            disasterDeclared: settings.disasterDeclared, certificateIssuer: settings.certificateIssuer,
            unreported: ReliefCentreRouting.UnreportedCentres(rawValue: settings.unreportedCentres) ?? .open
        ) { logger.info("\($0)") }
        let server = ReferenceServer(
            configuration: settings, store: data.store, catalogue: data.catalogue, routing: data.routing,
            temporaryStay: data.temporaryStay, safety: data.safety, recovery: data.recovery, registry: registry,
            logger: logger)
        try await server.run { base in
            // The one line on standard output: scripts read the URL from it.
            FileHandle.standardOutput.write(Data("serving \(base)/\n".utf8))
        }
        try await data.store.close()
    }
}
