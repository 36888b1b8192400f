import CZlib
import Foundation
import SuginamiKit

/// Reads OpenStreetMap PBF (`.osm.pbf`, the format extracts come in) into the same junction graph
/// as ``OSMXMLReader``: length-prefixed BlobHeader/Blob frames, zlib-compressed (or raw)
/// PrimitiveBlocks with plain and dense nodes and ways, decoded a block at a time.
///
/// The protobuf messages are decoded by hand (varints, zig-zag, packed fields): the format uses
/// six small messages, and no Swift protobuf package is in the mirror. Limits follow the
/// specification: a BlobHeader of at most 64 KiB, a Blob of at most 32 MiB uncompressed.
public enum OSMPBFReader {
    /// The format's limit on a Blob, compressed or not (32 MiB).
    static let maximumBlobSize: UInt64 = 32 * 1024 * 1024

    /// Reads a file.
    /// - Throws: ``RoadNetworkError`` naming the file and the byte offset of the frame: a
    ///   truncated file, a corrupt or unsupported compression, a required feature we do not
    ///   read, malformed protobuf, a node without a valid position, or no usable way.
    public static func read(
        _ url: URL, profile: TravelProfile = .walking, keepLargestComponent: Bool = true
    ) throws(RoadNetworkError) -> (graph: RoadGraph, report: OSMXMLReader.Report) {
        let file = url.lastPathComponent
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            throw RoadNetworkError(file: file, line: 0, reason: "cannot read the file")
        }
        let osm = try decode(data, file: file)
        return try OSMXMLReader.build(osm, profile: profile, keepLargestComponent: keepLargestComponent, file: file)
    }

    /// Decodes every frame of a PBF file.
    static func decode(_ data: Data, file: String) throws(RoadNetworkError) -> OSMData {
        let bytes = [UInt8](data)
        var osm = OSMData()
        var offset = 0
        var sawHeader = false
        func fail(_ at: Int, _ reason: String) -> RoadNetworkError {
            RoadNetworkError(file: file, line: 0, reason: "byte \(at): \(reason)")
        }
        while offset < bytes.count {
            let frame = offset
            guard offset + 4 <= bytes.count else { throw fail(frame, "truncated: a frame length is cut off") }
            let headerLength =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            offset += 4
            guard headerLength <= 64 * 1024 else {
                throw fail(frame, "BlobHeader of \(headerLength) bytes (at most 64 KiB)")
            }
            guard offset + headerLength <= bytes.count else {
                throw fail(frame, "truncated: the BlobHeader is cut off")
            }
            var type = ""
            var blobLength = -1
            do {
                var reader = ProtobufReader(bytes, offset..<(offset + headerLength))
                while let (field, wire) = try reader.next() {
                    switch (field, wire) {
                    case (1, 2): type = String(decoding: try reader.bytes(), as: UTF8.self)
                    case (3, 0):
                        let size = try reader.varint()
                        guard size <= maximumBlobSize else {
                            throw ProtobufError("datasize \(size) is above the format's 32 MiB")
                        }
                        blobLength = Int(size)
                    default: try reader.skip(wire)
                    }
                }
            } catch {
                throw fail(frame, "malformed BlobHeader: \(error)")
            }
            offset += headerLength
            guard blobLength >= 0 else { throw fail(frame, "BlobHeader without datasize") }
            guard offset + blobLength <= bytes.count else { throw fail(frame, "truncated: the Blob is cut off") }
            let block: [UInt8]
            do {
                block = try inflate(bytes, offset..<(offset + blobLength))
            } catch {
                throw fail(frame, "\(error)")
            }
            offset += blobLength
            switch type {
            case "OSMHeader":
                sawHeader = true
                do {
                    var reader = ProtobufReader(block, 0..<block.count)
                    while let (field, wire) = try reader.next() {
                        if field == 4, wire == 2 {
                            let feature = String(decoding: try reader.bytes(), as: UTF8.self)
                            guard ["OsmSchema-V0.6", "DenseNodes"].contains(feature) else {
                                throw ProtobufError("the file requires \(feature), which this reader does not support")
                            }
                        } else {
                            try reader.skip(wire)
                        }
                    }
                } catch {
                    throw fail(frame, "\(error)")
                }
            case "OSMData":
                guard sawHeader else { throw fail(frame, "an OSMData block before the OSMHeader") }
                do {
                    try decodeBlock(block, into: &osm)
                } catch {
                    throw fail(frame, "\(error)")
                }
            default:
                break  // Unknown blob types are skipped, as the specification asks.
            }
        }
        guard sawHeader else { throw fail(0, "no OSMHeader: not an OSM PBF file") }
        return osm
    }

    /// The Blob's content: raw, or inflated from zlib with its stated size.
    static func inflate(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtobufError) -> [UInt8] {
        var reader = ProtobufReader(bytes, range)
        var raw: [UInt8]?
        var rawSize = -1
        var compressed: [UInt8]?
        var unsupported: String?
        while let (field, wire) = try reader.next() {
            switch (field, wire) {
            case (1, 2): raw = try reader.bytes()
            case (2, 0):
                let size = try reader.varint()
                guard size <= maximumBlobSize else { throw ProtobufError("raw_size \(size) is above 32 MiB") }
                rawSize = Int(size)
            case (3, 2): compressed = try reader.bytes()
            case (4, 2), (5, 2), (6, 2), (7, 2):
                unsupported = ["lzma", "bzip2", "lz4", "zstd"][field - 4]
                try reader.skip(wire)
            default: try reader.skip(wire)
            }
        }
        if let raw { return raw }
        guard let compressed else {
            throw ProtobufError(
                unsupported.map { "\($0) compression is not supported (zlib and raw are)" } ?? "empty Blob")
        }
        guard rawSize >= 0 else { throw ProtobufError("raw_size is missing") }
        var output = [UInt8](repeating: 0, count: rawSize)
        var length = uLong(rawSize)
        let status = uncompress(&output, &length, compressed, uLong(compressed.count))
        guard status == Z_OK, Int(length) == rawSize else {
            throw ProtobufError("corrupt zlib data (zlib status \(status), \(length) of \(rawSize) bytes)")
        }
        return output
    }

    /// A PrimitiveBlock: its string table, granularity and offsets, and its groups.
    static func decodeBlock(_ block: [UInt8], into osm: inout OSMData) throws(ProtobufError) {
        var strings: [String] = []
        var groups: [Range<Int>] = []
        var granularity: Int64 = 100
        var latOffset: Int64 = 0
        var lonOffset: Int64 = 0
        var reader = ProtobufReader(block, 0..<block.count)
        while let (field, wire) = try reader.next() {
            switch (field, wire) {
            case (1, 2):
                var table = try reader.message()
                while let (tableField, tableWire) = try table.next() {
                    if tableField == 1, tableWire == 2 {
                        strings.append(String(decoding: try table.bytes(), as: UTF8.self))
                    } else {
                        try table.skip(tableWire)
                    }
                }
            case (2, 2): groups.append(try reader.range())
            case (17, 0):
                let value = try reader.varint()
                // Positions are whole nanodegrees; a step above one degree cannot place a node.
                guard (1...1_000_000_000).contains(value) else {
                    throw ProtobufError("granularity \(value) is outside 1 to 10^9 nanodegrees")
                }
                granularity = Int64(value)
            case (19, 0): latOffset = Int64(bitPattern: try reader.varint())
            case (20, 0): lonOffset = Int64(bitPattern: try reader.varint())
            default: try reader.skip(wire)
            }
        }
        func string(_ index: UInt64) throws(ProtobufError) -> String {
            guard index < strings.count else { throw ProtobufError("string index \(index) outside the table") }
            return strings[Int(index)]
        }
        func position(_ id: Int64, _ lat: Int64, _ lon: Int64) throws(ProtobufError) -> GeoPoint {
            // In floating point: offsets and deltas come from the file and may overflow Int64.
            let latitude = 1e-9 * (Double(latOffset) + Double(granularity) * Double(lat))
            let longitude = 1e-9 * (Double(lonOffset) + Double(granularity) * Double(lon))
            guard let point = try? GeoPoint(latitude: latitude, longitude: longitude) else {
                throw ProtobufError("node \(id) has no valid position (\(latitude), \(longitude))")
            }
            return point
        }
        for group in groups {
            var reader = ProtobufReader(block, group)
            while let (field, wire) = try reader.next() {
                switch (field, wire) {
                case (1, 2):  // a plain Node
                    var node = try reader.message()
                    var id: Int64 = 0
                    var lat: Int64 = 0
                    var lon: Int64 = 0
                    while let (nodeField, nodeWire) = try node.next() {
                        switch (nodeField, nodeWire) {
                        case (1, 0): id = ProtobufReader.zigzag(try node.varint())
                        case (8, 0): lat = ProtobufReader.zigzag(try node.varint())
                        case (9, 0): lon = ProtobufReader.zigzag(try node.varint())
                        default: try node.skip(nodeWire)
                        }
                    }
                    osm.positions[id] = try position(id, lat, lon)
                case (2, 2):  // DenseNodes: delta-coded ids and coordinates
                    var dense = try reader.message()
                    var ids: [Int64] = []
                    var lats: [Int64] = []
                    var lons: [Int64] = []
                    while let (denseField, denseWire) = try dense.next() {
                        switch (denseField, denseWire) {
                        case (1, 2): ids = try dense.packedSigned()
                        case (8, 2): lats = try dense.packedSigned()
                        case (9, 2): lons = try dense.packedSigned()
                        default: try dense.skip(denseWire)
                        }
                    }
                    guard ids.count == lats.count, ids.count == lons.count else {
                        throw ProtobufError(
                            "dense nodes with \(ids.count) ids but \(lats.count)/\(lons.count) coordinates")
                    }
                    var (id, lat, lon): (Int64, Int64, Int64) = (0, 0, 0)
                    for index in ids.indices {
                        id &+= ids[index]
                        lat &+= lats[index]
                        lon &+= lons[index]
                        osm.positions[id] = try position(id, lat, lon)
                    }
                case (3, 2):  // a Way
                    var message = try reader.message()
                    var way = OSMData.Way(id: 0)
                    var keys: [UInt64] = []
                    var values: [UInt64] = []
                    while let (wayField, wayWire) = try message.next() {
                        switch (wayField, wayWire) {
                        case (1, 0): way.id = Int64(bitPattern: try message.varint())
                        case (2, 2): keys = try message.packed()
                        case (3, 2): values = try message.packed()
                        case (8, 2):
                            var ref: Int64 = 0
                            for delta in try message.packedSigned() {
                                ref &+= delta
                                way.nodes.append(ref)
                            }
                        default: try message.skip(wayWire)
                        }
                    }
                    guard keys.count == values.count else {
                        throw ProtobufError("way \(way.id) has \(keys.count) keys but \(values.count) values")
                    }
                    for (key, value) in zip(keys, values) {
                        let key = try string(key)
                        if OSMData.routingKeys.contains(key) { way.tags[key] = try string(value) }
                    }
                    if way.tags["highway"] != nil { osm.ways.append(way) }
                default:
                    try reader.skip(wire)  // relations and changesets are not used for routing
                }
            }
        }
    }
}

/// A protobuf decoding problem.
struct ProtobufError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A cursor over protobuf wire format: tags, varints, length-delimited fields.
struct ProtobufReader {
    let buffer: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        buffer = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    /// The next field number and wire type, or nil at the end.
    mutating func next() throws(ProtobufError) -> (Int, Int)? {
        guard position < end else { return nil }
        let tag = try varint()
        guard tag >> 3 > 0 else { throw ProtobufError("field number 0 at byte \(position)") }
        return (Int(tag >> 3), Int(tag & 7))
    }

    mutating func varint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufError("a varint runs past its message") }
            let byte = buffer[position]
            position += 1
            guard shift < 64 else { throw ProtobufError("a varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    static func zigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }

    /// The byte range of a length-delimited field.
    mutating func range() throws(ProtobufError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw ProtobufError("a field runs past its message") }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func bytes() throws(ProtobufError) -> [UInt8] { Array(buffer[try range()]) }

    mutating func message() throws(ProtobufError) -> ProtobufReader { ProtobufReader(buffer, try range()) }

    mutating func packed() throws(ProtobufError) -> [UInt64] {
        var inner = try message()
        var values: [UInt64] = []
        while inner.position < inner.end { values.append(try inner.varint()) }
        return values
    }

    mutating func packedSigned() throws(ProtobufError) -> [Int64] { try packed().map(Self.zigzag) }

    mutating func skip(_ wire: Int) throws(ProtobufError) {
        switch wire {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try range()
        case 5: try advance(4)
        default: throw ProtobufError("wire type \(wire) is not supported")
        }
    }

    private mutating func advance(_ count: Int) throws(ProtobufError) {
        guard position + count <= end else { throw ProtobufError("a fixed-size field runs past its message") }
        position += count
    }
}
