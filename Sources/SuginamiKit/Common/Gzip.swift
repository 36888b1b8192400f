import CZlib
import Foundation

/// gzip and zlib decompression through the system zlib.
///
/// Written over zlib directly because the package that wraps it here (compress-nio) would bring
/// SwiftNIO into the SDK's core library for one function. It reads gzip road networks and the
/// bundled building footprints.
public enum Gzip {
    /// How much a stream may inflate to unless told otherwise: 50 times its compressed size, at
    /// least 64 MiB and at most 1 GiB. Text and tables compress 3–10 times; zlib can reach
    /// about 1,000 times, which only a crafted stream (a "decompression bomb") does.
    public static func defaultLimit(forCompressedSize size: Int) -> Int {
        min(1 << 30, max(64 << 20, size.multipliedReportingOverflow(by: 50).partialValue))
    }

    /// The decompressed bytes of a gzip (or zlib) stream.
    /// - Parameters:
    ///   - data: the compressed stream.
    ///   - limit: the most bytes the output may hold (default: ``defaultLimit(forCompressedSize:)``);
    ///     decompression stops as soon as it is passed, so memory stays bounded.
    /// - Throws: ``GzipError`` for a corrupt or truncated stream, or one larger than `limit`.
    public static func decompress(_ data: Data, limit: Int? = nil) throws(GzipError) -> Data {
        guard !data.isEmpty else { throw .corrupt("empty input") }
        let limit = limit ?? defaultLimit(forCompressedSize: data.count)
        var stream = z_stream()
        // 15 + 32: detect a gzip or zlib header automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var input = data
        let result: Result<Void, GzipError> = input.withUnsafeMutableBytes { raw -> Result<Void, GzipError> in
            stream.next_in = raw.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(raw.count)
            repeat {
                let produced = buffer.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt(message))
                }
                output.append(contentsOf: buffer[0..<produced])
                guard output.count <= limit else { return .failure(.tooLarge(limit)) }
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    return .failure(.corrupt("truncated stream"))
                }
            } while status != Z_STREAM_END
            return .success(())
        }
        try result.get()
        return output
    }
}

/// Why decompression failed.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Corrupt or truncated data.
    case corrupt(String)
    /// More output than allowed.
    case tooLarge(Int)

    /// A sentence.
    public var description: String {
        switch self {
        case .corrupt(let reason): "corrupt compressed data: \(reason)"
        case .tooLarge(let limit):
            "decompresses to more than \(limit) bytes, far more than such a file holds (a decompression bomb?)"
        }
    }
}
