import CZlib
import Foundation
import SuginamiKit

/// A road network with everything a router needs as one compact binary file, so that a cold
/// start reads instead of computing: the graph, its hierarchy, its snapping index and the
/// hierarchy customized for plain lengths.
///
/// Layout (little-endian): the 8-byte magic `SGKNET04`, a UInt64 payload length, a UInt32
/// CRC-32 of the payload and 4 bytes of padding; then the payload: a sequence of arrays, each
/// a UInt64 element count followed by its elements, padded to 8 bytes — the graph's CSR arrays,
/// its edge attributes and names, the hierarchy's arrays, the snapping grid, the customization,
/// and a note saying where the data came from (its licence travels with it). Reading maps the
/// file into memory (`mmap`) and uses every array where it lies (``FlatArray``): nothing is
/// copied but the street names. Every array is checked against the others first (counts,
/// ranges, monotone offsets, a permutation for the order, a chordal hierarchy, every customized
/// arc's triangle below it), side by side with the checksum, so a damaged or foreign file is an
/// error naming the part, never a crash or a search that does not end.
public enum RoadNetworkFile {
    // 02: the hierarchy's arc tails are no longer stored (they follow from its offsets).
    // 03: the snapping index and the plain customization are stored, and which edges are steps.
    // 04: shape points and snapping segments are stored as the records they are read as, so
    //     that they are used in place.
    static let magic = Array("SGKNET04".utf8)

    /// Writes `graph`, its `hierarchy` and `note` to `url`, with the snapping index and plain
    /// customization made for them (atomically: a partial file is never left under the name).
    public static func write(
        graph: RoadGraph, hierarchy: RoadHierarchy, note: String, to url: URL
    ) throws(RoadNetworkFileError) {
        try write(RoadNetwork(graph: graph, hierarchy: hierarchy, note: note), to: url)
    }

    /// Writes `network` to `url` (atomically: a partial file is never left under the name). An
    /// existing network file is replaced; anything else already there is not.
    /// - Throws: ``RoadNetworkFileError/unreadable(_:_:)`` when `url` is a folder or a file that
    ///   is not a network file, or cannot be written.
    public static func write(_ network: RoadNetwork, to url: URL) throws(RoadNetworkFileError) {
        try checkReplaceable(url)
        let (graph, hierarchy, note) = (network.graph, network.hierarchy, network.note)
        var writer = Writer()
        writer.append(graph.nodeIDs)
        writer.append(graph.latitudes)
        writer.append(graph.longitudes)
        writer.append(graph.offsets)
        writer.append(graph.heads)
        writer.append(graph.lengths)
        writer.append(graph.arcEdges)
        writer.append(graph.reverseOffsets)
        writer.append(graph.reverseTails)
        writer.append(graph.reverseLengths)
        writer.append(graph.reverseEdges)
        writer.append(graph.edgeWays)
        writer.append(graph.edgeNames)
        writer.append(graph.edgeFrom)
        writer.append(graph.edgeTo)
        writer.append(graph.edgeLengths)
        writer.append(graph.edgeTwoWay)
        writer.append(graph.edgeSteps)
        writer.append(graph.shapeOffsets)
        writer.append(graph.shapePoints)
        var nameOffsets: [Int32] = [0]
        var nameBytes: [UInt8] = []
        for name in graph.names {
            nameBytes += Array(name.utf8)
            nameOffsets.append(Int32(nameBytes.count))
        }
        writer.append(nameOffsets)
        writer.append(nameBytes)
        writer.append(hierarchy.rankOf)
        writer.append(hierarchy.nodeAt)
        writer.append(hierarchy.upOffsets)
        writer.append(hierarchy.upHeads)
        writer.append(hierarchy.downOffsets)
        writer.append(hierarchy.downTails)
        writer.append(hierarchy.downArcs)
        writer.append(hierarchy.parent)
        writer.append(hierarchy.arcSlots)
        let locator = network.locator
        writer.append([locator.cellSize, locator.minEast, locator.minNorth, locator.maximumDistance])
        writer.append([Int64(locator.columns), Int64(locator.rows)])
        writer.append(locator.cellStart)
        writer.append(locator.cellSegments)
        writer.append(locator.cellPlane)
        writer.append(locator.segments)
        writer.append(locator.edgePlaneLength)
        let customized = network.customized
        writer.append(customized.upward.offsets)
        writer.append(customized.upward.arcs)
        writer.append(customized.downward.offsets)
        writer.append(customized.downward.arcs)
        writer.append(customized.nextUp)
        writer.append(customized.nextDown)
        writer.append(customized.viaUp)
        writer.append(customized.viaDown)
        writer.append(Array(note.utf8))
        do {
            try Staging.writeFile(writer.finish(), to: url, replacing: true)
        } catch {
            throw .unreadable(url.path, "cannot write: \(error.reason)")
        }
    }

    /// Refuses to write over a folder, or over a file that is not a network file (any version):
    /// a mistyped `--save-network notes.txt` must not cost the user their notes.
    static func checkReplaceable(_ url: URL) throws(RoadNetworkFileError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            throw .unreadable(url.path, "is a folder: give the name of the network file to write")
        }
        let prefix = (try? FileHandle(forReadingFrom: url)).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 6)
        }
        guard let prefix, Array(prefix) == Array(magic.prefix(6)) else {
            throw .unreadable(
                url.path, "exists and is not a SuginamiKit network file: not overwritten (choose another name)")
        }
    }

    /// Reads a file written by ``write(_:to:)``, using its arrays where they lie in the mapped
    /// file.
    /// - Throws: ``RoadNetworkFileError`` naming the file and what is wrong with it.
    public static func read(_ url: URL) throws(RoadNetworkFileError) -> RoadNetwork {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path, "is not a regular file") }
        let size = Int(status.st_size)
        guard size >= 24 else { throw .damaged(path, "\(size) bytes: shorter than the 24-byte header") }
        guard let file = MappedFile(descriptor: descriptor, size: size) else {
            throw .unreadable(path, "cannot map: \(String(cString: strerror(errno)))")
        }
        let bytes = file.bytes
        guard Array(bytes[0..<8]) == magic else {
            if Array(bytes[0..<6]) == Array(magic[0..<6]) {
                let version = String(decoding: bytes[0..<8], as: UTF8.self)
                throw .damaged(
                    path, "written in an older format (\(version)); write it again with --save-network")
            }
            throw .damaged(path, "not a SuginamiKit network file (magic)")
        }
        // Compared as UInt64: a damaged header may announce more than Int can hold.
        let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard length == UInt64(size - 24) else {
            throw .damaged(
                path, "the header announces \(length) payload bytes, the file holds \(size - 24): truncated?")
        }
        let checksum = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let parts = try Parts(file: file, path: path)
        // The checksum, in two halves (the longest tasks, so first), side by side with the
        // checks; a failure is told in the order of the checks, the checksum first.
        let halves = [24..<(24 + (size - 24) / 2), (24 + (size - 24) / 2)..<size]
        let checks = parts.checks
        let outcomes = concurrentMap(halves.count + checks.count) { task -> Result<UInt32, RoadNetworkFileError> in
            guard task >= halves.count else {
                return .success(crc32(UnsafeRawBufferPointer(rebasing: bytes[halves[task]])))
            }
            return Result { () throws(RoadNetworkFileError) in try checks[task - halves.count]() }.map { 0 }
        }
        let crcs = outcomes.prefix(halves.count).map { (try? $0.get()) ?? 0 }
        let computed = UInt32(crc32_combine(uLong(crcs[0]), uLong(crcs[1]), .init(halves[1].count)))
        guard checksum == computed else { throw .damaged(path, "checksum mismatch: the file is corrupt") }
        for outcome in outcomes.dropFirst(halves.count) { _ = try outcome.get() }
        return parts.network()
    }

    /// The CRC-32 of `bytes` (zlib's).
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(CZlib.crc32(0, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
    }

    /// Appends arrays as count + raw little-endian elements, padded to 8 bytes, after room for
    /// the header, so that the file is made in one buffer (a city's network is 150 MB: copying
    /// it byte by byte, or once more to put the header in front, took a quarter of a save).
    struct Writer {
        private var bytes = Data(count: 24)

        mutating func append<Element: BitwiseCopyable>(_ array: [Element]) {
            array.withUnsafeBufferPointer { append($0) }
        }

        mutating func append<Element>(_ array: FlatArray<Element>) {
            array.withUnsafeBufferPointer { append($0) }
        }

        private mutating func append<Element: BitwiseCopyable>(_ buffer: UnsafeBufferPointer<Element>) {
            withUnsafeBytes(of: UInt64(buffer.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
            bytes.append(contentsOf: [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8))
        }

        /// The file: magic, payload length, CRC-32 of the payload, padding, payload.
        consuming func finish() -> Data {
            let payloadCount = bytes.count - 24
            let checksum = bytes.withUnsafeBytes { raw in
                RoadNetworkFile.crc32(UnsafeRawBufferPointer(rebasing: raw[24...]))
            }
            var header = Data(RoadNetworkFile.magic)
            withUnsafeBytes(of: UInt64(payloadCount).littleEndian) { header.append(contentsOf: $0) }
            withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
            header.append(contentsOf: [0, 0, 0, 0])
            bytes.replaceSubrange(0..<24, with: header)
            return bytes
        }
    }

    /// Cuts the payload into its arrays, in place, checking each count against what is left
    /// and what is expected.
    struct Reader {
        let file: MappedFile
        let path: String
        var offset = 24

        mutating func array<Element: BitwiseCopyable & Sendable>(
            _ name: String, count expected: Int? = nil
        ) throws(RoadNetworkFileError) -> FlatArray<Element> {
            let start = try elements(name, of: MemoryLayout<Element>.stride, count: expected)
            return FlatArray(file: file, byteOffset: start.offset, count: start.count)
        }

        /// An array of flags, each byte checked to be 0 or 1 before it is read as a `Bool`.
        mutating func flags(_ name: String, count expected: Int) throws(RoadNetworkFileError) -> FlatArray<Bool> {
            let start = try elements(name, of: 1, count: expected)
            let raw = UnsafeRawBufferPointer(rebasing: file.bytes[start.offset..<(start.offset + start.count)])
            if let bad = raw.firstIndex(where: { $0 > 1 }) {
                throw .damaged(path, "\(name) entry \(bad) is \(raw[bad]), not 0 or 1")
            }
            return FlatArray(file: file, byteOffset: start.offset, count: start.count)
        }

        /// Where the next array's elements start, and how many there are.
        private mutating func elements(
            _ name: String, of size: Int, count expected: Int?
        ) throws(RoadNetworkFileError) -> (offset: Int, count: Int) {
            let bytes = file.bytes
            guard offset + 8 <= bytes.count else { throw .damaged(path, "ends before the \(name)") }
            let count = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            guard count <= UInt64((bytes.count - offset) / size) else {
                throw .damaged(path, "the \(name) claim \(count) entries, more than the file holds")
            }
            if let expected, Int(count) != expected {
                throw .damaged(path, "\(count) \(name), expected \(expected)")
            }
            let start = offset
            offset += Int(count) * size
            offset += (8 - offset % 8) % 8
            return (start, Int(count))
        }
    }
}

/// Why a network file could not be written or read.
public enum RoadNetworkFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, mapped or written.
    case unreadable(String, String)
    /// The file is not one of ours, or is damaged.
    case damaged(String, String)

    /// A sentence naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .damaged(let path, let reason): "\(path): not a usable network file: \(reason)"
        }
    }
}
