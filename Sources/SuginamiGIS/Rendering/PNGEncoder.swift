import CZlib
import Foundation

/// PNG files from RGBA pixels (8 bits a channel, no interlace), compressed with the system
/// zlib. Written here because no package in reach encodes PNG without a graphics stack; the
/// format needs only the chunk framing, CRC-32 and deflate, which zlib provides.
public enum PNGEncoder {
    /// Why an image could not be encoded.
    public enum Failure: Error, Sendable, Equatable {
        /// Width × height × 4 does not match the pixel count, or a side is zero.
        case badSize
        /// zlib refused (its return code).
        case zlib(Int32)
    }

    /// Encodes `rgba` (row-major, 4 bytes a pixel) of `width` × `height`.
    public static func encode(width: Int, height: Int, rgba: [UInt8]) throws(Failure) -> Data {
        guard width > 0, height > 0, rgba.count == width * height * 4 else { throw .badSize }
        // Each row is prefixed with filter type 0 (none).
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * 4 + 1))
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgba[(row * width * 4)..<((row + 1) * width * 4)])
        }
        var bound = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        let status = compress2(&compressed, &bound, raw, uLong(raw.count), 9)
        guard status == Z_OK else { throw .zlib(status) }
        compressed.removeSubrange(Int(bound)...)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(bigEndian: UInt32(width))
        header.append(bigEndian: UInt32(height))
        header.append(contentsOf: [8, 6, 0, 0, 0])  // 8-bit RGBA, deflate, adaptive filter, no interlace
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", Data(compressed))
        png.appendChunk("IEND", Data())
        return png
    }
}

extension Data {
    fileprivate mutating func append(bigEndian value: UInt32) {
        append(contentsOf: [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF),
        ])
    }

    fileprivate mutating func appendChunk(_ type: String, _ body: Data) {
        append(bigEndian: UInt32(body.count))
        let typed = Data(type.utf8) + body
        append(typed)
        let crc = typed.withUnsafeBytes { bytes in
            crc32(0, bytes.bindMemory(to: Bytef.self).baseAddress, uInt(bytes.count))
        }
        append(bigEndian: UInt32(crc))
    }
}
