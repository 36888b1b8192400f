import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a port of 127.0.0.1, for tests that must control the bytes on the
/// wire (pipelining, half-sent requests, many connections) where URLSession cannot.
///
/// Unchecked Sendable so that a test can hand one connection to ``blockingWork(_:)`` several
/// times (a live stream read in steps); a test uses it from one task at a time.
public final class LoopbackSocket: @unchecked Sendable {
    private let descriptor: Int32

    /// Connects, waiting at most `timeout` seconds for the connection and for each read.
    public init(port: Int, timeout: Int = 10) throws {
        // Close-on-exec: a program a test starts meanwhile (a database server) must not inherit
        // the connections, nor spend its descriptors on them.
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ProgramFailure(description: "socket: errno \(errno)") }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ProgramFailure(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// A loopback TCP port nothing listens on now: bound, read and released (another program
    /// could take it meanwhile, which on a test machine does not happen in practice).
    public static func unusedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Sends all of `text`.
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw ProgramFailure(description: "send: errno \(errno)") }
            sent += count
        }
    }

    /// Everything the server sends until it closes the connection (or a read times out), at
    /// most `limit` bytes.
    public func receiveAll(limit: Int = 10_000_000) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < limit {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                lastError = count < 0 ? errno : 0
                break
            }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// What the server sends until `marker` has arrived (or the connection closes, or a read
    /// times out): for streams that stay open, such as server-sent events.
    public func receive(until marker: String, limit: Int = 10_000_000) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < limit, !String(decoding: received, as: UTF8.self).contains(marker) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// The errno of the read that ended ``receiveAll(limit:)`` (0 when the server closed).
    public private(set) var lastError: Int32 = 0
}

/// Runs blocking work (socket calls) on a thread of its own, not on Swift concurrency's small
/// pool: on a 2-core machine two blocked pool threads would stop an in-process server's
/// handlers, and the test would wait for an answer that cannot come.
public func blockingWork<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
    }
}
