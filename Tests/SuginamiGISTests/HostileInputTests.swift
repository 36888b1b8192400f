import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// Inputs that crashed the readers in the fuzzing campaign (integer traps, a crash inside
/// FoundationXML, decompression bombs, absurd numbers): each is now a named error.
@Suite("Hostile inputs: GIS readers")
struct HostileInputTests {
    // MARK: OSM PBF

    /// Protobuf writing, enough to build small PBF files by hand.
    enum Proto {
        static func varint(_ value: UInt64) -> [UInt8] {
            var value = value
            var bytes: [UInt8] = []
            repeat {
                bytes.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
                value >>= 7
            } while value > 0
            return bytes
        }
        static func number(_ field: UInt64, _ value: UInt64) -> [UInt8] { varint(field << 3) + varint(value) }
        static func bytes(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] {
            varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload
        }
        static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
        static func packed(_ field: UInt64, _ values: [Int64]) -> [UInt8] {
            bytes(field, values.flatMap { varint(zigzag($0)) })
        }

        /// A frame: header length, BlobHeader, Blob.
        static func frame(type: String, blob: [UInt8], datasize: UInt64? = nil) -> [UInt8] {
            let header = bytes(1, Array(type.utf8)) + number(3, datasize ?? UInt64(blob.count))
            let length = UInt32(header.count)
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + header + blob
        }

        static let osmHeader = frame(type: "OSMHeader", blob: bytes(1, bytes(4, Array("OsmSchema-V0.6".utf8))))

        /// An OSMData frame with one dense node, and block-level settings.
        static func dataFrame(granularity: UInt64? = nil, latitudeOffset: Int64 = 0, latitude: Int64 = 357_000_000)
            -> [UInt8]
        {
            let dense = packed(1, [1]) + packed(8, [latitude]) + packed(9, [1_396_000_000])
            var block = bytes(1, bytes(1, [])) + bytes(2, bytes(2, dense))
            if let granularity { block += number(17, granularity) }
            block += number(19, UInt64(bitPattern: latitudeOffset))
            return frame(type: "OSMData", blob: bytes(1, block))
        }
    }

    func pbfError(_ bytes: [UInt8]) -> String? {
        do {
            _ = try OSMPBFReader.decode(Data(bytes), file: "hostile.osm.pbf")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func pbfSizesAndOffsetsThatTrappedAreErrors() {
        // The frame's stated Blob size near and at 2^64.
        for size in [UInt64(1) << 63, UInt64.max, UInt64(33) << 20] {
            let error = pbfError(Proto.frame(type: "OSMHeader", blob: [], datasize: size))
            #expect(error?.contains("datasize") == true, "\(size): \(error ?? "accepted")")
        }
        // raw_size of a zlib Blob.
        let raw = Proto.number(2, 1 << 63) + Proto.bytes(3, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        #expect(pbfError(Proto.frame(type: "OSMHeader", blob: raw))?.contains("raw_size") == true)
        // Granularity 10^12 and 2^63.
        for granularity in [UInt64(1_000_000_000_000), 1 << 63] {
            let error = pbfError(Proto.osmHeader + Proto.dataFrame(granularity: granularity))
            #expect(error?.contains("granularity") == true, "\(granularity): \(error ?? "accepted")")
        }
        // Offsets and deltas whose sum overflows Int64.
        let error = pbfError(
            Proto.osmHeader + Proto.dataFrame(latitudeOffset: .max - 10, latitude: 1_000_000_000_000))
        #expect(error?.contains("no valid position") == true, "\(error ?? "accepted")")
        // The well-formed file reads.
        #expect(pbfError(Proto.osmHeader + Proto.dataFrame()) == nil)
    }

    // MARK: OSM XML

    func xmlError(_ bytes: [UInt8]) throws -> RoadNetworkError? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).osm")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try OSMXMLReader.read(url)
            return nil
        } catch {
            return error
        }
    }

    @Test func invalidUTF8InNamesIsAnErrorWithItsLine() throws {
        // 27 bytes that ended the process inside FoundationXML: a byte 0xFF in an element name.
        let element = Array("<osm>\n<n".utf8) + [0xFF] + Array("de id=\"1\"/></osm>".utf8)
        let elementError = try xmlError(element)
        #expect(elementError?.line == 2 && elementError?.reason.contains("invalid UTF-8") == true)
        let attribute = Array("<osm><node i".utf8) + [0xC0, 0x80] + Array("d=\"1\"/></osm>".utf8)
        #expect(try xmlError(attribute)?.reason.contains("invalid UTF-8") == true)
    }

    @Test(arguments: [
        ("<osm><way id=\"1\"></node></osm>", "does not close"),
        ("<!DOCTYPE osm [<!ENTITY a \"b\">]><osm/>", "document type"),
        ("<osm><node id=\"1\" lat=\"35.7\" lon=\"139.6\"/>", "truncated"),
        ("<osm><way id=\"1\"><tag k=\"name\" v=\"&bogus;\"/></way></osm>", "not an entity"),
        ("<osm><node id=\"1\" id=\"2\" lat=\"35.7\" lon=\"139.6\"/></osm>", "appears twice"),
        ("<osm><node id=\"x\" lat=\"35.7\" lon=\"139.6\"/></osm>", "no numeric id"),
        ("<html></html>", "not <osm>"),
        ("", "no <osm> element"),
    ])
    func malformedXMLIsRefusedWithAReason(_ text: String, _ reason: String) throws {
        let error = try xmlError(Array(text.utf8))
        #expect(error?.reason.contains(reason) == true, "\(error?.description ?? "accepted")")
    }

    @Test func entitiesAndCharacterReferencesAreRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("entities-\(UUID().uuidString).osm")
        try Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <osm version='0.6'>
              <node id="1" lat="35.70" lon="139.60"><tag k="amenity" v="bench"/></node>
              <node id="2" lat="35.70" lon="139.601"/>
              <way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/>
                <tag k="name" v="A &amp; B &#x901A;&#12426;"/></way>
              <relation id="4"><member type="way" ref="3" role=""/></relation>
            </osm>
            """.utf8
        ).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let (graph, _) = try OSMXMLReader.read(url)
        #expect(graph.names.contains("A & B 通り"))
    }

    // MARK: Compressed input

    @Test func aDecompressionBombStopsAtItsLimit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bomb = directory.appendingPathComponent("edges.csv.gz")
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/bin/sh")
        make.arguments = ["-c", "head -c 400000000 /dev/zero | gzip -9 > '\(bomb.path)'"]
        try make.run()
        make.waitUntilExit()
        let compressed = try Data(contentsOf: bomb)
        #expect(compressed.count < 1_300_000)
        #expect(throws: GzipError.tooLarge(Gzip.defaultLimit(forCompressedSize: compressed.count))) {
            try Gzip.decompress(compressed)
        }
        #expect(Gzip.defaultLimit(forCompressedSize: compressed.count) == 64 << 20)
    }

    // MARK: Mesh codes

    @Test(arguments: ["6099", "6080", "609912"])
    func meshCodesEastOf180AreRefused(_ code: String) {
        #expect(throws: MeshCodeError.self) { try RegionalMeshCode(code) }
    }

    @Test func theEasternmostMeshReadsItsBounds() throws {
        #expect(try RegionalMeshCode("6079").bounds.maxLongitude == 180)
        #expect(throws: MeshCodeError.self) {
            try RegionalMeshCode(containing: try GeoPoint(latitude: 35, longitude: 180), level: .first)
        }
    }

    // MARK: Simulation inputs

    static let fragilityHeader = "era,ground,damage_state,form,mu,sigma,points,status,source\n"

    @Test(arguments: [
        ("wooden_-1962,any,collapse,normal,6.2\n", "5 fields, but the header has 9"),
        ("wooden_-1962,any,collapse,normal,-4,0.3,,derived,x\n", "mu"),
        ("wooden_-1962,any,collapse,normal,1e300,0.3,,derived,x\n", "mu"),
        ("wooden_-1962,any,collapse,normal,6.2,0,,derived,x\n", "sigma"),
        ("wooden_-1962,any,collapse,normal,6.2,1e9,,derived,x\n", "sigma"),
        ("wooden_-1962,any,collapse,table,,,1e300:0.1;1e301:0.2,derived,x\n", "points"),
    ])
    func absurdFragilityRowsAreRefusedWithTheirField(_ row: String, _ field: String) {
        do {
            _ = try FragilitySet(csv: Self.fragilityHeader + row, name: "f.csv")
            Issue.record("accepted \(row)")
        } catch {
            #expect(error.description.contains("f.csv") && error.description.contains(field), "\(error)")
        }
    }

    @Test(arguments: ["1e9", "10", "0.000001"])
    func absurdSiteValuesAreRefused(_ value: String) {
        #expect(throws: SiteModelError.self) {
            try SiteModel(
                csv: "mesh_code,avs30\n5339453011,\(value)\n", name: "s.csv", convention: .fujimotoMidorikawa2006)
        }
    }

    @Test func aSubnormalNightPopulationIsRefused() {
        for value in [Double.leastNonzeroMagnitude * 2_000, 0.5, .nan, .infinity, 1e12] {
            #expect(throws: SimulationError.self) {
                try DamageSimulation.NightPopulation(wooden: value, nonWooden: 10_000)
            }
        }
        #expect(throws: Never.self) { try DamageSimulation.NightPopulation(wooden: 200_000, nonWooden: 300_000) }
    }
}
