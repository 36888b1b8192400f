import Foundation
import HTTPTypes
import Metrics
import NIOCore
import NIOHTTPTypes

/// Answers a plain GET for data the response cache already holds (a page of items, a tile) on
/// the connection's event loop, before the request reaches the router: the bytes, ETag and gzip
/// are those the router made on the first request, so the answer is the same, without the
/// task, router and middleware a request otherwise costs (about a third of its CPU time).
///
/// Only where nothing else could change the answer: GET without a body, no `Origin` (CORS
/// headers come from the router's middleware), no `Accept: text/html` (a browser gets HTML), no
/// `Connection` but keep-alive, one of the paths whose
/// representation depends on nothing but the URL (`/collections/…/items…`, `/tiles/…`), and
/// only while no earlier request of the connection is still being answered by the router, so
/// that responses keep the order of their requests. Everything else passes through unchanged.
final class CachedResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let cache: ResponseCache
    let cacheControl: String
    let serverName: String
    /// Counts the answers made here (`refd_cached_responses_total` in /metrics).
    let answered: Metrics.Counter
    /// Requests handed to the router whose responses have not ended yet.
    private var inFlight = 0
    /// The request being answered here, from its head to its end.
    private var answering: (entry: ResponseCache.Entry, headers: HTTPFields)?
    /// The `Date` header of the current second (a connection's handler runs on one event loop,
    /// so this needs no lock).
    private var date: (second: Int, text: String) = (-1, "")

    init(cache: ResponseCache, cacheControl: String, serverName: String, answered: Metrics.Counter) {
        self.cache = cache
        self.cacheControl = cacheControl
        self.serverName = serverName
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if inFlight == 0, Self.mayAnswer(request), let path = request.path, let entry = cache.cached(path) {
                answering = (entry, request.headerFields)
                return
            }
            inFlight += 1
            context.fireChannelRead(data)
        case .body:
            // A GET answered here has no body (checked); anything else passes on.
            if answering == nil { context.fireChannelRead(data) }
        case .end:
            guard let (entry, headers) = answering else {
                context.fireChannelRead(data)
                return
            }
            answering = nil
            respond(entry, to: headers, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { inFlight = max(0, inFlight - 1) }
        context.write(data, promise: promise)
    }

    private func respond(_ entry: ResponseCache.Entry, to requestHeaders: HTTPFields, context: ChannelHandlerContext) {
        let answer = ResponseCache.answer(entry, requestHeaders: requestHeaders, cacheControl: cacheControl)
        var headers = answer.headers
        headers[.contentLength] = String(answer.body?.readableBytes ?? 0)
        let second = time(nil)
        if date.second != second { date = (second, HTTPDate.text(of: second)) }
        headers[.date] = date.text
        headers[.server] = serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        if let body = answer.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        answered.increment()
    }

    /// A GET with nothing but its URL to decide the answer by.
    static func mayAnswer(_ request: HTTPRequest) -> Bool {
        guard request.method == .get, let path = request.path, path.utf8.count <= 2048,
            path.hasPrefix("/tiles/") || (path.hasPrefix("/collections/") && path.contains("/items"))
        else { return false }
        let fields = request.headerFields
        // `Connection: close` or an upgrade is the router's to handle; keep-alive (what browsers
        // and URLSession send) changes nothing.
        let connection = fields[values: .connection].flatMap { $0.split(separator: ",") }
        let keepsAlive = connection.allSatisfy { $0.trimmingCharacters(in: .whitespaces).lowercased() == "keep-alive" }
        // A browser asking for HTML gets the router's page, which is cached under another key.
        let html = fields[values: .accept].contains { $0.contains("text/html") }
        return fields[.origin] == nil && !html && keepsAlive && fields[.contentLength] == nil
            && fields[.transferEncoding] == nil
    }
}

/// The `Date` header's text (RFC 9110 IMF-fixdate: `Fri, 04 Dec 2026 02:02:56 GMT`).
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func text(of second: Int) -> String {
        var seconds = second
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
