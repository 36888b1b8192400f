import Foundation
import SuginamiKit

/// A strict, streaming reader of the XML that OpenStreetMap writes (`.osm`): one pass over the
/// mapped file, collecting nodes and the ways a routing profile can use.
///
/// Written by hand because Foundation's `XMLParser` on Linux ends the process on some invalid
/// UTF-8 (27 bytes reproduce it) and builds a dictionary per element, which took 5.5 minutes and
/// 4 GB for a million nodes; no package in the mirror parses XML without it. It reads what OSM
/// XML uses: the declaration, comments, elements with quoted attributes, the five predefined
/// entities and character references. A document type declaration, CDATA sections and
/// mismatched or unclosed elements are refused with the line, so a damaged file is never read in
/// part.
struct OSMXMLScanner {
    /// Why a file was refused, with the byte offset; the reader turns it into a line.
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// Scans the whole document into `osm`.
    static func scan(_ bytes: UnsafeRawBufferPointer, into osm: inout OSMData) throws(Failure) {
        if let invalid = UTF8Validation.firstInvalidOffset(in: bytes) {
            throw Failure(offset: invalid, reason: "invalid UTF-8 (XML files must be UTF-8)")
        }
        var scanner = OSMXMLScanner(bytes: bytes)
        try scanner.document(into: &osm)
    }

    let bytes: UnsafeRawBufferPointer
    var position = 0

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private mutating func document(into osm: inout OSMData) throws(Failure) {
        var open: [Range<Int>] = []
        var way: OSMData.Way?
        var sawRoot = false
        while true {
            // Text between elements (whitespace in OSM files) is skipped.
            while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
            guard position < bytes.count else { break }
            let start = position
            if starts(with: "<?") {
                try skip(past: "?>", what: "a processing instruction")
            } else if starts(with: "<!--") {
                try skip(past: "-->", what: "a comment")
            } else if starts(with: "<!") {
                throw Failure(offset: start, reason: "document type declarations and CDATA are not read in OSM files")
            } else if starts(with: "</") {
                position += 2
                let name = try self.name()
                skipSpace()
                try expect(">")
                guard let last = open.popLast(), equal(last, name) else {
                    throw Failure(offset: start, reason: "</\(text(name))> does not close an open element")
                }
                if equal(name, "way"), let finished = way {
                    if finished.tags["highway"] != nil { osm.ways.append(finished) }
                    way = nil
                }
            } else {
                position += 1
                let name = try self.name()
                if open.isEmpty {
                    guard !sawRoot else { throw Failure(offset: start, reason: "a second root element") }
                    guard equal(name, "osm") else {
                        throw Failure(offset: start, reason: "the root element is <\(text(name))>, not <osm>")
                    }
                    sawRoot = true
                }
                let (attributes, selfClosing) = try self.attributes()
                try element(name, attributes, parents: open, way: &way, into: &osm, at: start)
                if selfClosing {
                    if equal(name, "way"), let finished = way {
                        if finished.tags["highway"] != nil { osm.ways.append(finished) }
                        way = nil
                    }
                } else {
                    open.append(name)
                }
            }
        }
        guard sawRoot else { throw Failure(offset: 0, reason: "no <osm> element: not an OSM XML file") }
        guard open.isEmpty else {
            throw Failure(offset: bytes.count, reason: "the file ends inside <\(text(open.last!))>: it is truncated")
        }
    }

    /// What one start tag contributes.
    private func element(
        _ name: Range<Int>, _ attributes: [(key: Range<Int>, value: Range<Int>)], parents: [Range<Int>],
        way: inout OSMData.Way?, into osm: inout OSMData, at offset: Int
    ) throws(Failure) {
        func value(_ key: StaticString) -> String? {
            guard let range = attributes.first(where: { equal($0.key, key) })?.value else { return nil }
            return try? Self.unescape(UnsafeRawBufferPointer(rebasing: bytes[range]), at: range.lowerBound)
        }
        let inWay = parents.last.map { equal($0, "way") } ?? false
        if equal(name, "node") {
            guard let id = value("id").flatMap({ Int64($0) }) else {
                throw Failure(offset: offset, reason: "node \(value("id") ?? "?") has no numeric id")
            }
            guard let latitude = value("lat").flatMap({ Double($0) }),
                let longitude = value("lon").flatMap({ Double($0) }),
                let point = try? GeoPoint(latitude: latitude, longitude: longitude)
            else {
                throw Failure(
                    offset: offset,
                    reason:
                        "node \(id) has no valid position (lat \(value("lat") ?? "missing"), lon \(value("lon") ?? "missing"))"
                )
            }
            osm.positions[id] = point
        } else if equal(name, "way") {
            guard let id = value("id").flatMap({ Int64($0) }) else {
                throw Failure(offset: offset, reason: "way \(value("id") ?? "?") has no numeric id")
            }
            way = OSMData.Way(id: id)
        } else if inWay, equal(name, "nd") {
            guard let reference = value("ref").flatMap({ Int64($0) }) else {
                throw Failure(offset: offset, reason: "<nd> in way \(way?.id ?? 0) has no numeric ref")
            }
            way?.nodes.append(reference)
        } else if inWay, equal(name, "tag") {
            guard let key = value("k"), let tagValue = value("v") else {
                throw Failure(offset: offset, reason: "<tag> in way \(way?.id ?? 0) needs both k and v")
            }
            if OSMData.routingKeys.contains(key) { way?.tags[key] = tagValue }
        }
        // Relations, bounds and the tags of nodes are not used for routing.
    }

    /// Whether the bytes in `range` spell `literal`.
    private func equal(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        for index in 0..<range.count where bytes[range.lowerBound + index] != literal.utf8Start[index] { return false }
        return true
    }

    private func equal(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, a.count) == 0
    }

    // MARK: - Lexing

    private func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for index in 0..<count where bytes[position + index] != prefix.utf8Start[index] { return false }
        return true
    }

    private mutating func skip(past terminator: StaticString, what: String) throws(Failure) {
        let start = position
        while position < bytes.count {
            if starts(with: terminator) {
                position += terminator.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw Failure(offset: start, reason: "\(what) that never ends: the file is truncated")
    }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ byte: Unicode.Scalar) throws(Failure) {
        guard position < bytes.count else { throw Failure(offset: position, reason: "the file ends inside a tag") }
        guard bytes[position] == UInt8(ascii: byte) else {
            throw Failure(offset: position, reason: "expected \"\(byte)\" but found \(describe(bytes[position]))")
        }
        position += 1
    }

    /// An element or attribute name: bytes up to space, `=`, `/` or `>`.
    private mutating func name() throws(Failure) -> Range<Int> {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "/"), UInt8(ascii: ">")].contains(byte) {
                break
            }
            guard byte != UInt8(ascii: "<"), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "'") else {
                throw Failure(offset: position, reason: "\(describe(byte)) cannot stand in a name")
            }
            position += 1
        }
        guard position > start else {
            throw Failure(
                offset: start,
                reason: position < bytes.count
                    ? "expected a name, found \(describe(bytes[position]))"
                    : "the file ends inside a tag")
        }
        return start..<position
    }

    /// The attributes of a start tag and whether it closed itself (`/>`).
    private mutating func attributes() throws(Failure) -> ([(key: Range<Int>, value: Range<Int>)], Bool) {
        var result: [(key: Range<Int>, value: Range<Int>)] = []
        while true {
            skipSpace()
            guard position < bytes.count else { throw Failure(offset: position, reason: "the file ends inside a tag") }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                return (result, false)
            }
            if starts(with: "/>") {
                position += 2
                return (result, true)
            }
            let key = try name()
            skipSpace()
            try expect("=")
            skipSpace()
            guard position < bytes.count, bytes[position] == 0x22 || bytes[position] == 0x27 else {
                throw Failure(offset: position, reason: "the value of \(text(key)) is not quoted")
            }
            let quote = bytes[position]
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != quote {
                guard bytes[position] != UInt8(ascii: "<") else {
                    throw Failure(offset: position, reason: "\"<\" inside the value of \(text(key))")
                }
                position += 1
            }
            guard position < bytes.count else {
                throw Failure(offset: start, reason: "the value of \(text(key)) never ends: the file is truncated")
            }
            let value = start..<position
            // Checked here, so that a bad reference is refused wherever it stands.
            if bytes[value].contains(UInt8(ascii: "&")) {
                _ = try Self.unescape(UnsafeRawBufferPointer(rebasing: bytes[value]), at: start)
            }
            position += 1
            guard !result.contains(where: { equal($0.key, key) }) else {
                throw Failure(offset: start, reason: "attribute \(text(key)) appears twice")
            }
            result.append((key, value))
        }
    }

    /// An attribute value with its entity and character references replaced.
    static func unescape(_ raw: UnsafeRawBufferPointer, at offset: Int) throws(Failure) -> String {
        do {
            return try XMLElementReader.unescape(raw)
        } catch {
            throw Failure(offset: offset + error.offset, reason: error.reason)
        }
    }

    private func text(_ name: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[name]), as: UTF8.self)
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "\"\(Unicode.Scalar(byte))\"" : "byte 0x\(String(byte, radix: 16))"
    }
}

/// Finds the first byte that breaks UTF-8 (overlong forms, surrogates and values above
/// U+10FFFF included), with an eight-byte fast path over ASCII.
enum UTF8Validation {
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            if index + 8 <= count,
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            guard (lower...upper).contains(bytes[index + 1]) else { return index }
            for next in 2..<length where !(0x80...0xBF).contains(bytes[index + next]) { return index }
            index += length
        }
        return nil
    }
}
