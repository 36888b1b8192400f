import Foundation
import SuginamiTestSupport
import Testing

/// Answers served straight from the response cache on the event loop: the same as the router's,
/// counted, and never out of order on a connection.
@Suite("Cached responses")
struct CachedResponsesTests {
    static let items = "/collections/relief_centres/items?limit=7"

    @Test(
        "A repeated request gets the router's bytes and headers, its 304 and gzip, and is counted",
        arguments: StoreBackend.allCases)
    func sameAnswer(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let plain = ["Accept-Encoding": "identity"]
        let first = try await HTTP.get(base + Self.items + "&offset=3", headers: plain)
        let before = try await Self.counted(base)
        let second = try await HTTP.get(base + Self.items + "&offset=3", headers: plain)
        #expect(try await Self.counted(base) > before)
        #expect(first.status == 200 && second.status == 200)
        #expect(second.body == first.body)
        for name in ["Content-Type", "Content-Crs", "ETag", "Cache-Control", "Vary", "Content-Length", "Server"] {
            #expect(second.header(name) == first.header(name), "\(name)")
        }
        #expect(second.header("Date")?.hasSuffix(" GMT") == true)
        let etag = try #require(second.header("ETag"))
        let revalidated = try await HTTP.get(
            base + Self.items + "&offset=3", headers: ["If-None-Match": etag, "Accept-Encoding": "identity"])
        #expect(revalidated.status == 304)
        // With an Origin the router answers, with its CORS headers.
        let browser = try await HTTP.get(base + Self.items + "&offset=3", headers: ["Origin": "http://example.test"])
        #expect(browser.header("Access-Control-Allow-Origin") == "*")
    }

    @Test(
        "Pipelined requests are answered in order, the cached one waiting for the router's",
        arguments: StoreBackend.allCases)
    func order(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let port = try #require(URL(string: base)?.port)
        _ = try await HTTP.get(base + Self.items)  // now cached
        let requests =
            "GET /routes?from=139.6359,35.7048&lang=en HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET \(Self.items) HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET \(Self.items) HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let (text, error) = try await blockingWork {
            let connection = try LoopbackSocket(port: port)
            try connection.send(requests)
            return (connection.receiveAll(), connection.lastError)
        }
        let route = try #require(text.range(of: "\"instructions\""), "read ended with errno \(error)")
        let pages = text.ranges(of: "\"numberReturned\":7")
        #expect(pages.count == 2, "\(text.prefix(300))")
        #expect(pages.allSatisfy { route.lowerBound < $0.lowerBound })
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 5)
    }

    /// `refd_cached_responses_total` from /metrics.
    static func counted(_ base: String) async throws -> Double {
        let metrics = try await HTTP.get(base + "/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("refd_cached_responses_total ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}
