import CZlib
import Foundation

/// A report's photo: the original as sent (kept for headquarters, location and all) and the
/// copy anyone may see once the report is published, with every piece of metadata that could
/// hold a place, a time or a device removed.
public struct ReportPhoto: Sendable, Hashable {
    /// `image/jpeg` or `image/png`.
    public let mediaType: String
    /// The bytes as sent.
    public let original: [UInt8]
    /// The bytes safe to publish.
    public let publicCopy: [UInt8]
    /// Width × height in pixels, as the image's header gives them.
    public let pixels: (width: Int, height: Int)

    /// The largest photo taken (a phone's full-size JPEG is 2–8 MB).
    public static let maximumBytes = 10 * 1024 * 1024
    /// The most pixels a photo may declare (a 48-megapixel phone camera and some room):
    /// anything larger is refused before any viewer tries to decode it.
    public static let maximumPixels = 60_000_000

    /// Equal when the bytes and type are (the pixel size follows from them).
    public static func == (left: Self, right: Self) -> Bool {
        left.mediaType == right.mediaType && left.original == right.original && left.publicCopy == right.publicCopy
    }

    /// Hashes the original's bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(original) }

    /// Reads a JPEG or PNG (told by its signature, never by a name or a header the client
    /// chose) and makes its public copy by keeping only what the picture needs: an allow-list,
    /// so metadata nobody thought of is dropped too.
    ///
    /// - JPEG: the tables, frame, scans and restart markers are kept, and an ICC colour profile;
    ///   Exif, XMP, MPF and every other APP segment, comments and bytes after the end are
    ///   dropped. The Exif orientation, if any, is written back alone (a minimal Exif segment
    ///   with that one tag), so the picture is not shown on its side.
    /// - PNG: IHDR, PLTE, tRNS, gAMA, cHRM, sRGB, iCCP, sBIT, pHYs, bKGD, IDAT, IEND are kept,
    ///   each CRC checked; text (tEXt, zTXt, iTXt), eXIf, tIME, other chunks and bytes after
    ///   IEND are dropped.
    /// - Throws: ``OperationsError/invalid(field:reason:)`` for anything else, a damaged or
    ///   truncated file, or too many pixels.
    public init(_ bytes: [UInt8]) throws(OperationsError) {
        guard bytes.count <= Self.maximumBytes else {
            throw .invalid(field: "photo", reason: "is \(bytes.count) bytes; at most \(Self.maximumBytes)")
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            (publicCopy, pixels) = try JPEGReader(bytes).publicCopy()
            mediaType = "image/jpeg"
        } else if bytes.starts(with: PNGReader.signature) {
            (publicCopy, pixels) = try PNGReader(bytes).publicCopy()
            mediaType = "image/png"
        } else {
            throw .invalid(field: "photo", reason: "is neither a JPEG nor a PNG (by its first bytes)")
        }
        guard pixels.width > 0, pixels.height > 0, pixels.width * pixels.height <= Self.maximumPixels else {
            throw .invalid(
                field: "photo",
                reason: "declares \(pixels.width) × \(pixels.height) pixels; at most \(Self.maximumPixels)")
        }
        original = bytes
    }
}

/// JPEG segments (ITU T.81), read only as far as the allow-list needs.
private struct JPEGReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func damaged(_ why: String) -> OperationsError {
        .invalid(field: "photo", reason: "is a damaged JPEG (\(why))")
    }

    func publicCopy() throws(OperationsError) -> ([UInt8], (width: Int, height: Int)) {
        var output: [UInt8] = [0xFF, 0xD8]
        var kept: [[UInt8]] = []
        var orientation: UInt16?
        var size: (width: Int, height: Int)?
        var position = 2
        var scans = 0
        while true {
            guard position < bytes.count, bytes[position] == 0xFF else {
                throw Self.damaged("no marker where one must be")
            }
            while position < bytes.count, bytes[position] == 0xFF { position += 1 }
            guard position < bytes.count else { throw Self.damaged("it ends inside a marker") }
            let marker = bytes[position]
            position += 1
            if marker == 0xD9 { break }  // EOI: anything after it is dropped
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { continue }
            guard position + 2 <= bytes.count else { throw Self.damaged("it ends inside a segment") }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2, position + length <= bytes.count else {
                throw Self.damaged("a segment runs past the end")
            }
            let segment = Array(bytes[(position - 2)..<(position + length)])
            let body = bytes[(position + 2)..<(position + length)]
            position += length
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard body.count >= 5 else { throw Self.damaged("a frame header is too short") }
                let start = body.startIndex
                size = (
                    Int(body[start + 3]) << 8 | Int(body[start + 4]), Int(body[start + 1]) << 8 | Int(body[start + 2])
                )
                kept.append(segment)
            case 0xC4, 0xCC, 0xDB, 0xDD:  // DHT, DAC, DQT, DRI
                kept.append(segment)
            case 0xE2 where body.starts(with: Array("ICC_PROFILE\0".utf8)):
                kept.append(segment)
            case 0xE1 where body.starts(with: Array("Exif\0\0".utf8)):
                orientation = Self.orientation(inExif: Array(body.dropFirst(6))) ?? orientation
            case 0xDA:  // SOS: the header, then entropy-coded data up to the next real marker
                guard size != nil else { throw Self.damaged("a scan before the frame header") }
                kept.append(segment)
                let start = position
                while position + 1 < bytes.count {
                    if bytes[position] == 0xFF, bytes[position + 1] != 0, !(0xD0...0xD7).contains(bytes[position + 1]),
                        bytes[position + 1] != 0xFF
                    {
                        break
                    }
                    position += 1
                }
                guard position + 1 < bytes.count else { throw Self.damaged("a scan runs past the end") }
                kept.append(Array(bytes[start..<position]))
                scans += 1
            default:
                continue  // APP0–APP15 (Exif, XMP, MPF, maker notes, thumbnails), COM, anything else
            }
        }
        guard let size, scans > 0 else { throw Self.damaged("no frame or no scan") }
        if let orientation, (2...8).contains(orientation) { output += Self.exifSegment(orientation: orientation) }
        for piece in kept { output += piece }
        output += [0xFF, 0xD9]
        return (output, size)
    }

    /// The Orientation tag (0x0112) of Exif IFD0, or nil if it cannot be read.
    static func orientation(inExif tiff: [UInt8]) -> UInt16? {
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x4D, 0x4D): bigEndian = true
        case (0x49, 0x49): bigEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return bigEndian
                ? UInt16(tiff[at]) << 8 | UInt16(tiff[at + 1]) : UInt16(tiff[at + 1]) << 8 | UInt16(tiff[at])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(bigEndian ? at : at + 2), let low = u16(bigEndian ? at + 2 : at) else { return nil }
            return Int(high) << 16 | Int(low)
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<Int(min(count, 500)) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112 { return u16(at + 8) }
        }
        return nil
    }

    /// An APP1 Exif segment holding only the orientation.
    static func exifSegment(orientation: UInt16) -> [UInt8] {
        let tiff: [UInt8] = [
            0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // big-endian TIFF, IFD0 at 8
            0x00, 0x01,  // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,  // Orientation, SHORT, 1 value
            UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,  // no next IFD
        ]
        let body = Array("Exif\0\0".utf8) + tiff
        let length = body.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }
}

/// PNG chunks (ISO/IEC 15948).
private struct PNGReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let kept: Set<String> = [
        "IHDR", "PLTE", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "IDAT", "IEND",
    ]
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func damaged(_ why: String) -> OperationsError {
        .invalid(field: "photo", reason: "is a damaged PNG (\(why))")
    }

    func publicCopy() throws(OperationsError) -> ([UInt8], (width: Int, height: Int)) {
        var output = Self.signature
        var position = 8
        var size: (width: Int, height: Int)?
        var sawData = false
        while true {
            guard position + 12 <= bytes.count else { throw Self.damaged("it ends before IEND") }
            let length =
                Int(bytes[position]) << 24 | Int(bytes[position + 1]) << 16 | Int(bytes[position + 2]) << 8
                | Int(bytes[position + 3])
            guard length <= 0x7FFF_FFFF, position + 12 + length <= bytes.count else {
                throw Self.damaged("a chunk runs past the end")
            }
            let chunk = Array(bytes[position..<(position + 12 + length)])
            let type = String(decoding: chunk[4..<8], as: UTF8.self)
            let stored =
                UInt32(chunk[8 + length]) << 24 | UInt32(chunk[9 + length]) << 16
                | UInt32(chunk[10 + length]) << 8 | UInt32(chunk[11 + length])
            let computed = chunk[4..<(8 + length)].withUnsafeBufferPointer {
                UInt32(crc32(0, $0.baseAddress, uInt($0.count)))
            }
            guard stored == computed else { throw Self.damaged("the \(type.prefix(4)) chunk's CRC is wrong") }
            position += 12 + length
            if size == nil {
                guard type == "IHDR", length == 13 else { throw Self.damaged("it does not start with IHDR") }
                size = (
                    Int(chunk[8]) << 24 | Int(chunk[9]) << 16 | Int(chunk[10]) << 8 | Int(chunk[11]),
                    Int(chunk[12]) << 24 | Int(chunk[13]) << 16 | Int(chunk[14]) << 8 | Int(chunk[15])
                )
            }
            if Self.kept.contains(type) {
                output += chunk
            } else if let first = type.unicodeScalars.first, ("A"..."Z").contains(first) {
                throw Self.damaged("an unknown critical chunk \(type.prefix(4))")
            }
            if type == "IDAT" { sawData = true }
            if type == "IEND" { break }  // anything after it is dropped
        }
        guard let size, sawData else { throw Self.damaged("no image data") }
        return (output, size)
    }
}
