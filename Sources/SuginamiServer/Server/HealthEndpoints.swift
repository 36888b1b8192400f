import HTTPTypes
import Hummingbird
import Prometheus

/// `/healthz` (the process answers), `/readyz` (it serves: 503 before binding and while
/// stopping) and `/metrics` (Prometheus text format).
struct HealthEndpoints: Sendable {
    let state: ServerState
    let registry: PrometheusCollectorRegistry

    func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        router.get("/healthz") { _, _ in Self.text("ok\n", status: .ok) }
        router.get("/readyz") { [state] _, _ in
            state.isReady ? Self.text("ready\n", status: .ok) : Self.text("not ready\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { [registry] _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
