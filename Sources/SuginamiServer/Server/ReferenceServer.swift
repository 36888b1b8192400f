import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import UnixSignals
import SuginamiGIS

/// The reference daemon's HTTP front end: OGC API – Features over a ``FeatureCatalogue``,
/// routes over a ``ReliefCentreRouting``, disaster operations (status, reports, tokens, the live
/// stream) over the store, the safety of the people who need help over a
/// ``SafetyConfirmation``, health and Prometheus metrics.
///
/// It holds no domain logic: what it serves comes from the SDK's facades, and it only parses
/// requests, picks the document, and sets the HTTP headers (ETag and 304, Cache-Control, CORS,
/// HEAD). Responses that depend only on the data are made once and then served from a bounded
/// cache, so a repeated request does no work.
///
/// ```swift
/// let routing = try await ReliefCentreRouting(store: store, network: network)
/// let catalogue = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
/// let server = ReferenceServer(
///     configuration: configuration, store: store, catalogue: catalogue, routing: routing)
/// try await server.run()  // until SIGTERM or SIGINT, then a graceful shutdown
/// ```
public struct ReferenceServer: Sendable {
    /// The daemon's version, in `/api`.
    public static let version = "0.3.0-dev"

    let configuration: ServerConfiguration
    let store: any SuginamiDatabase
    let live: LiveCatalogue
    let routing: ReliefCentreRouting
    let temporaryStay: ReliefCentreRouting?
    let safety: SafetyConfirmation?
    let recovery: RecoveryDesk?
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let map: MapFiles
    private let state = ServerState()
    /// Answers already made, shared by the router and ``CachedResponseHandler``.
    private let cache: ResponseCache
    private let hub = EventHub()
    private let desk: OperationsDesk
    /// The ward's area (its towns, or else its relief centres) with about 1 km around it:
    /// positions sent in reports must lie inside.
    private let extent: BoundingBox?
    private var dataCacheControl: String { "public, max-age=\(configuration.cacheMaxAge)" }
    /// How often personal data past its retention is deleted while the daemon serves it (with
    /// `safety` or `recovery`): hourly, and at start.
    public var retentionInterval: Duration = .seconds(3_600)

    /// A server over these facades.
    /// - Parameters:
    ///   - configuration: where to listen and how to answer.
    ///   - store: where status reports, damage reports, tokens and the audit log are kept.
    ///   - catalogue: the feature collections (built from `store`).
    ///   - routing: the routing facade `/routes` asks.
    ///   - temporaryStay: routing to the temporary stay facilities (一時滞在施設), which `/routes`
    ///     asks for `for=stranded`; nil when the store has none.
    ///   - safety: the roster of people who need help and their safety reports (`/people`); nil
    ///     when the daemon has no personal-data key.
    ///   - recovery: the victims' register and certificates (`/households`, `/certificates`,
    ///     `/surveys`); nil when the daemon has no personal-data key.
    ///   - registry: where `/metrics` reads from; bootstrap swift-metrics with a
    ///     `PrometheusMetricsFactory` on the same registry for request metrics.
    ///   - logger: the daemon's logger.
    public init(
        configuration: ServerConfiguration, store: any SuginamiDatabase, catalogue: FeatureCatalogue,
        routing: ReliefCentreRouting, temporaryStay: ReliefCentreRouting? = nil, safety: SafetyConfirmation? = nil,
        recovery: RecoveryDesk? = nil,
        registry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        logger: Logger = Logger(label: "refd")
    ) {
        self.configuration = configuration
        self.store = store
        let cache = ResponseCache()
        self.cache = cache
        live = LiveCatalogue(catalogue, cache: cache)
        self.routing = routing
        self.temporaryStay = temporaryStay
        self.safety = safety
        self.recovery = recovery
        self.registry = registry
        var logger = logger
        logger.logLevel = configuration.logLevel
        self.logger = logger
        desk = OperationsDesk(
            store: store, routings: [routing] + (temporaryStay.map { [$0] } ?? []), live: live, hub: hub,
            logger: logger)
        let area = catalogue.collection(id: "towns")?.extent ?? catalogue.collection(id: "relief_centres")?.extent
        extent = area.flatMap {
            try? BoundingBox(
                minLatitude: $0.minLatitude - 0.01, minLongitude: $0.minLongitude - 0.012,
                maxLatitude: $0.maxLatitude + 0.01, maxLongitude: $0.maxLongitude + 0.012)
        }
        map = MapFiles.load(leafletDirectory: configuration.leaflet)
        if let problem = map.leafletProblem { logger.warning("the web map cannot load: \(problem)") }
    }

    /// Serves until the process gets one of `gracefulShutdownSignals` or the task is cancelled,
    /// then stops taking connections and finishes the requests in flight.
    /// - Parameters:
    ///   - gracefulShutdownSignals: the signals that stop the server.
    ///   - onListening: called once the socket is bound, with the base URL of links (the port
    ///     is the bound one when the configuration asked for port 0).
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onListening: @escaping @Sendable (_ base: String) async -> Void = { _ in }
    ) async throws {
        try await desk.start()
        let serverName = "refd/\(Self.version)"
        let answered = Metrics.Counter(label: "refd_cached_responses_total")
        let application = Application(
            responder: HeadAsGetResponder(base: router().buildResponder()),
            server: .http1(
                configuration: .init(additionalChannelHandlers: [
                    CachedResponseHandler(
                        cache: cache, cacheControl: dataCacheControl, serverName: serverName, answered: answered)
                ])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
            services: [KeepAliveService(hub: hub), CommitFollower(store: store, desk: desk, logger: logger)]
                + (safety != nil || recovery != nil
                    ? [RetentionService(store: store, interval: retentionInterval, logger: logger)] : []),
            onServerRunning: { [state, configuration, logger] channel in
                let base = configuration.base(boundPort: channel.localAddress?.port ?? configuration.port)
                state.start(base: base)
                logger.info("serving", metadata: ["url": "\(base)/"])
                await onListening(base)
            },
            logger: logger)
        defer { state.stop() }
        try await application.runService(gracefulShutdownSignals: gracefulShutdownSignals)
    }

    /// Makes Swift concurrency run its jobs on the event loops that do the server's I/O (SwiftNIO's
    /// singleton group, which the server uses), so that a request is not handed from an
    /// event-loop thread to the concurrency pool's threads and back: on a 2-core machine those
    /// hand-overs cost about a fifth of a request's CPU time (122 → 95 µs for a page of items).
    ///
    /// Call it once, first thing in a process that serves, before any other concurrent work.
    /// - Returns: whether the executor was installed (not on platforms where NIO cannot; the
    ///   server then works as before).
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    func router() -> Hummingbird.Router<ServerContext> {
        let router = Hummingbird.Router(context: ServerContext.self)
        router.add(middleware: NotFoundMiddleware())
        router.add(middleware: StoreOutageMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(
            middleware: CORSMiddleware(
                allowOrigin: .all,
                allowHeaders: [
                    .accept, .acceptLanguage, .contentType, .ifNoneMatch, .authorization, .idempotencyKey, .lastEventID,
                ],
                allowMethods: [.get, .head, .options, .post, .put, .delete],
                exposedHeaders: ["ETag", "Content-Crs", "Location", "Retry-After"], maxAge: .seconds(86_400)
            ))
        router.add(middleware: BearerAuthenticator(store: store))
        let features = FeaturesEndpoints(
            live: live, state: state, cache: cache, cacheControl: dataCacheControl, map: map)
        features.register(on: router)
        TilesEndpoints(live: live, state: state, cache: cache, cacheControl: dataCacheControl)
            .register(on: router)
        OperationsEndpoints(
            store: store, desk: desk, hub: hub, limiter: RateLimiter(perMinute: configuration.reportsPerMinute),
            extent: extent
        ).register(on: router)
        PeopleEndpoints(safety: safety, store: store).register(on: router)
        RecoveryEndpoints(desk: recovery).register(on: router)
        let routes = RouteEndpoint(routing: routing, temporaryStay: temporaryStay)
        router.get("/routes") { request, _ -> Response in
            let body = try await routes.answer(request.queryItems, acceptLanguage: request.headers[.acceptLanguage])
            return Response(
                status: .ok,
                headers: [
                    .contentType: FeaturesDocuments.geoJSON, .cacheControl: "no-cache", .vary: "Accept-Language",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        HealthEndpoints(state: state, registry: registry).register(on: router)
        return router
    }
}

/// Sends a comment down every live stream every 15 s, so that proxies keep them open, and ends
/// the streams when the server stops (they would otherwise hold its graceful shutdown).
struct KeepAliveService: Service {
    let hub: EventHub

    func run() async throws {
        try? await cancelWhenGracefulShutdown { [hub] in
            while true {
                try await Task.sleep(for: .seconds(15))
                hub.keepAlive()
            }
        }
        hub.finishAll()
    }
}

/// Whether the server takes requests, and the base of its links once bound.
final class ServerState: Sendable {
    private let value = NIOLockedValueBox<(ready: Bool, base: String?)>((false, nil))

    func start(base: String) { value.withLockedValue { $0 = (true, base) } }
    func stop() { value.withLockedValue { $0.ready = false } }
    var isReady: Bool { value.withLockedValue(\.ready) }
    var base: String? { value.withLockedValue(\.base) }
}

extension Request {
    /// The query parameters in order, decoded.
    var queryItems: [(name: String, value: String)] {
        uri.queryParameters.map { (String($0.key), String($0.value)) }
    }
}

/// Unknown paths get the API's JSON error instead of an empty body.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw APIError.notFound("\(request.uri.path.prefix(200)) is not a resource of this API; start at /")
        }
    }
}
