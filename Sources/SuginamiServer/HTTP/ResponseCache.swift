import CompressNIO
import Hummingbird
import NIOConcurrencyHelpers

/// Bodies already made, by request, with their ETags: the data change only when the daemon
/// restarts, so a repeated request costs a dictionary look-up and no encoding.
///
/// Bounded: at ``capacity`` entries the cache is emptied and refilled by what is asked next,
/// which keeps memory fixed whatever URLs clients invent.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let body: ByteBuffer
        let etag: String
        let headers: HTTPFields
        /// The body gzipped, made with the entry when it is worth it (1 KiB or more).
        let gzipped: ByteBuffer?
    }

    /// Bodies smaller than this go out as they are: gzip's header would eat the gain.
    static let smallestCompressed = 1024

    let capacity: Int
    /// The entries, and a generation that ``removeEntries(of:)`` advances, so that an answer made from
    /// data that changed while it was being made is not kept.
    private let entries = NIOLockedValueBox<(generation: Int, byKey: [String: Entry])>((0, [:]))

    init(capacity: Int = 4096) { self.capacity = capacity }

    /// The answer to `request` from the cache (keyed by its URI unless `key` is given), made on
    /// a miss by `make` with the base URL of links: the one way every cached endpoint answers.
    /// - Throws: ``APIError`` 503 before the server knows its base URL; what `make` throws.
    func respond(
        to request: Request, key: String? = nil, base: String?, cacheControl: String,
        make: (_ base: String) throws -> (body: [UInt8], headers: HTTPFields)
    ) throws -> Response {
        guard let base else { throw APIError.unavailable("the server is starting") }
        let entry = try entry(for: key ?? request.uri.string) { try make(base) }
        return Self.response(entry, to: request, cacheControl: cacheControl)
    }

    /// The entry for `key`, made by `make` on a miss.
    func entry(for key: String, make: () throws -> (body: [UInt8], headers: HTTPFields)) rethrows -> Entry {
        let (hit, generation) = entries.withLockedValue { ($0.byKey[key], $0.generation) }
        if let hit { return hit }
        let (bytes, headers) = try make()
        let body = ByteBuffer(bytes: bytes)
        var gzipped: ByteBuffer?
        if bytes.count >= Self.smallestCompressed {
            var input = body
            gzipped = try? input.compress(with: .gzip())
        }
        let entry = Entry(body: body, etag: Self.etag(of: bytes), headers: headers, gzipped: gzipped)
        entries.withLockedValue { entries in
            guard entries.generation == generation else { return }
            if entries.byKey.count >= capacity { entries.byKey.removeAll(keepingCapacity: true) }
            entries.byKey[key] = entry
        }
        return entry
    }

    /// Forgets the answers made from these collections (their items, single features, tiles,
    /// descriptions and the collection list, which holds their extents), keeping the rest: a
    /// centre's new status must not make every tile of the hazard layers be drawn again.
    func removeEntries(of collectionIDs: Set<String>) {
        entries.withLockedValue { entries in
            entries.generation += 1
            entries.byKey = entries.byKey.filter { key, _ in !Self.key(key, concerns: collectionIDs) }
        }
    }

    /// Whether a cached request (its URI, possibly with a `#html` mark) reads one of `collectionIDs`.
    static func key(_ key: String, concerns collectionIDs: Set<String>) -> Bool {
        let path = key.prefix { $0 != "?" && $0 != "#" }
        let parts = path.split(separator: "/").map(String.init)
        switch parts.first {
        case "collections": return parts.count == 1 || collectionIDs.contains(parts[1])
        case "tiles":
            guard parts.count >= 2 else { return false }
            let id = parts[1].hasSuffix(".json") ? String(parts[1].dropLast(5)) : parts[1]
            return collectionIDs.contains(id)
        default: return false
        }
    }

    /// A strong validator from the bytes: 64-bit FNV-1a, enough to tell versions of one
    /// resource apart (it is not a security boundary).
    static func etag(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return "\"" + String(hash, radix: 16) + "\""
    }

    /// The response for a cached entry: 304 when the client holds the same version.
    static func response(_ entry: Entry, to request: Request, cacheControl: String) -> Response {
        let answer = answer(entry, requestHeaders: request.headers, cacheControl: cacheControl)
        guard let body = answer.body else { return Response(status: answer.status, headers: answer.headers) }
        return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: body))
    }

    /// The entry already made for `key`, if any (nothing is made).
    func cached(_ key: String) -> Entry? { entries.withLockedValue { $0.byKey[key] } }

    /// Status, headers and body for a cached entry and the request's headers: the ETag of the
    /// representation sent, 304 when the client holds it, gzip when the client takes it. The one
    /// place both the router's answers and ``CachedResponseHandler``'s are made.
    static func answer(_ entry: Entry, requestHeaders: HTTPFields, cacheControl: String) -> (
        status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer?
    ) {
        var headers = entry.headers
        // Each representation has its own strong validator: the gzipped bytes differ.
        let compressed = entry.gzipped != nil && acceptsGzip(requestHeaders)
        let etag = compressed ? String(entry.etag.dropLast()) + "-gzip\"" : entry.etag
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        headers[.vary] = "Accept, Accept-Encoding"
        let held = requestHeaders[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if held.contains(etag) || held.contains("*") {
            headers[.contentType] = nil
            return (.notModified, headers, nil)
        }
        if compressed, let gzipped = entry.gzipped {
            headers[.contentEncoding] = "gzip"
            return (.ok, headers, gzipped)
        }
        return (.ok, headers, entry.body)
    }
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with `q=0`).
func acceptsGzip(_ headers: HTTPFields) -> Bool {
    for field in headers[values: .acceptEncoding] {
        for item in field.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            return !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }
    return false
}

/// Answers HEAD as GET without the body (OGC API rec /core/head), so every GET route has one.
///
/// A responder around the router rather than a middleware: the router picks the route by
/// method before its middleware runs, so a middleware never sees a HEAD it could turn into GET.
struct HeadAsGetResponder<Base: HTTPResponder>: HTTPResponder {
    let base: Base

    func respond(to request: Request, context: Base.Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        // The length the GET would send, and no bytes: clients such as GDAL's /vsicurl/ size a
        // file by HEAD before reading it.
        response.body = ResponseBody(contentLength: response.body.contentLength) { writer in
            try await writer.finish(nil)
        }
        return response
    }
}
