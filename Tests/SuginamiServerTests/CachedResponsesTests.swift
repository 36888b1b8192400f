import Foundation
import SuginamiTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Answers served straight from the response cache on the event loop: the same as the router's,
/// counted, and never out of order on a connection.
@Suite("Cached responses")
struct CachedResponsesTests {
    static let items = "/collections/relief_centres/items?limit=7"

    @Test("A repeated request gets the router's bytes and headers, its 304 and gzip, and is counted")
    func sameAnswer() async throws {
        let base = try await ServerFixture.shared.base()
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

    @Test("Pipelined requests are answered in order, the cached one waiting for the router's")
    func order() async throws {
        let base = try await ServerFixture.shared.base()
        let port = try #require(URL(string: base)?.port)
        _ = try await HTTP.get(base + Self.items)  // now cached
        let requests =
            "GET /routes?from=139.6359,35.7048&lang=en HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET \(Self.items) HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET \(Self.items) HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let text = try Self.exchange(port: port, requests)
        let route = try #require(text.range(of: "\"instructions\""))
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

    /// Sends `text` on one connection to 127.0.0.1 and reads until the server closes it (10 s at most).
    static func exchange(port: Int, _ text: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ProgramFailure(description: "socket: \(errno)") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ProgramFailure(description: "connect: \(errno)") }
        let bytes = Array(text.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw ProgramFailure(description: "send") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < 10_000_000 {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
