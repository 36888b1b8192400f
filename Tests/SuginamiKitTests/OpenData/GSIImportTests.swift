import Foundation
import Testing

@testable import SuginamiKit

/// The GSI layouts on the real Suginami files, and on broken copies of them.
@Suite("GSI 指定緊急避難場所 / 指定避難所 import and export")
struct GSIImportTests {
    static let emergencyFile = "emergency_131156.geojson"
    static let shelterFile = "evacuation_131156.geojson"

    func emergencySites() throws -> [Facility] {
        try FacilityImporter.read(contentsOf: TestSupport.bundledFile(Self.emergencyFile)).records
    }

    @Test func readsTheRealEmergencySites() throws {
        let sites = try emergencySites()
        #expect(sites.count == 76)
        #expect(Set(sites.map(\.id)).count == 76)
        #expect(sites.allSatisfy { $0.kind == .emergencyEvacuationSite && $0.source == .gsiEmergencyEvacuationSites })
        let first = try #require(sites.first)
        #expect(first.id == "E1311500001201")
        #expect(first.name == "阿佐ヶ谷中学校")
        #expect(first.address.full == "東京都杉並区阿佐谷南1-17-3")
        #expect(first.publication.serialNumber == 33365)
        #expect(first.hazardSuitability == [.flood, .landslide, .earthquake, .largeFire, .inlandFlood])
        #expect(first.alsoDesignatedOtherKind == true)
        #expect(first.position == (try GeoPoint(latitude: 35.700322, longitude: 139.636277)))
        // Tokyo's inland ward: no site is designated for tsunami, storm surge or volcano.
        #expect(sites.allSatisfy { ($0.hazardSuitability ?? []).isDisjoint(with: [.tsunami, .stormSurge, .volcano]) })
    }

    @Test func readsTheRealShelters() throws {
        let shelters = try FacilityImporter.read(contentsOf: TestSupport.bundledFile(Self.shelterFile)).records
        #expect(shelters.count == 78)
        #expect(shelters.allSatisfy { $0.kind == .designatedShelter && ($0.acceptedGroups ?? "").isEmpty })
        // The file publishes an empty 受入対象者 both as null and as "": both are kept as they are.
        #expect(shelters.contains { $0.acceptedGroups == nil } && shelters.contains { $0.acceptedGroups == "" })
        #expect(shelters.first?.name == "杉並区立阿佐ヶ谷中学校")
    }

    /// The original GeoJSON and our GeoJSON export of what we read are the same JSON, feature
    /// by feature (key order aside): nothing is lost or altered, nulls stay null.
    @Test(arguments: [(emergencyFile, FacilityLayout.gsiEmergencySites), (shelterFile, FacilityLayout.gsiShelters)])
    func geoJSONExportReproducesTheFile(file: String, layout: FacilityLayout) throws {
        let original = try TestSupport.data(file)
        let facilities = try FacilityImporter.read(original, file: file, format: .geoJSON).records
        let exported = try FacilityExporter.data(facilities, format: .geoJSON, layout: layout)
        let before = try JSONValue.parse(original, file: file)["features"]
        let after = try JSONValue.parse(exported, file: "export")["features"]
        #expect(before == after)
        // And export ∘ import ∘ export is byte-stable.
        let again = try FacilityImporter.read(exported, file: "export", format: .geoJSON).records
        #expect(again == facilities)
        #expect(try FacilityExporter.data(again, format: .geoJSON, layout: layout) == exported)
    }

    @Test(
        arguments: [
            (emergencyFile, FacilityLayout.gsiEmergencySites, TextEncoding.utf8),
            (emergencyFile, .gsiEmergencySites, .shiftJIS),
            (shelterFile, .gsiShelters, .utf8),
            (shelterFile, .gsiShelters, .shiftJIS),
        ])
    func csvRoundTrip(file: String, layout: FacilityLayout, encoding: TextEncoding) throws {
        let facilities = try FacilityImporter.read(contentsOf: TestSupport.bundledFile(file)).records
        let csv = try FacilityExporter.data(facilities, format: .csv, layout: layout, encoding: encoding)
        // Read back with automatic detection of the encoding and the layout.
        let read = try FacilityImporter.read(csv, file: "export.csv", format: .csv).records
        // CSV has no null: GSI's "" and null in the two free-text shelter columns both read as absent.
        #expect(
            read
                == facilities.map { facility in
                    var facility = facility
                    if facility.acceptedGroups == "" { facility.acceptedGroups = nil }
                    if facility.publication.otherNotes == "" { facility.publication.otherNotes = nil }
                    return facility
                })
        #expect(try FacilityExporter.data(read, format: .csv, layout: layout, encoding: encoding) == csv)
        let header = try CSVTable(parsing: try encoding.decode(csv, file: "export.csv"), file: "export.csv").header
        #expect(header.count == (layout == .gsiEmergencySites ? 17 : 11))
    }

    @Test func csvWithByteOrderMarkIsRead() throws {
        let facilities = try emergencySites()
        let csv = try FacilityExporter.data(facilities, format: .csv, layout: .gsiEmergencySites)
        let withBOM = TextEncoding.utf8BOM + csv
        #expect(try FacilityImporter.read(withBOM, file: "bom.csv", format: .csv).records == facilities)
    }

    // MARK: Broken input

    func csvLines(_ facilities: [Facility]) throws -> [String] {
        let data = try FacilityExporter.data(facilities, format: .csv, layout: .gsiEmergencySites)
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
    }

    func replacing(_ line: Int, in lines: [String], _ transform: (inout [String]) -> Void) -> Data {
        var lines = lines
        var fields = lines[line].components(separatedBy: ",")
        transform(&fields)
        lines[line] = fields.joined(separator: ",")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    @Test func latitudeOutOfRangeNamesRowAndColumn() throws {
        let lines = try csvLines(emergencySites())
        let data = replacing(3, in: lines) { $0[14] = "135.7" }
        let error = try #require(TestSupport.importError(data, file: "sites.csv", format: .csv))
        #expect(error.file == "sites.csv")
        #expect(error.location == .row(3, line: 4))
        #expect(error.field == "緯度")
        #expect(error.reason.contains("out of range"))
        #expect(error.description.hasPrefix("sites.csv: row 3 (line 4), column 緯度: latitude 135.7 is out of range"))
    }

    @Test func unknownFlagValue() throws {
        let data = replacing(2, in: try csvLines(emergencySites())) { $0[8] = "○" }
        let error = try #require(TestSupport.importError(data, file: "sites.csv", format: .csv))
        #expect(error.location == .row(2, line: 3))
        #expect(error.field == "地震")
        #expect(error.reason == "unknown flag value \"○\" (expected 1 or empty)")
    }

    @Test func wrongColumnCount() throws {
        let data = replacing(5, in: try csvLines(emergencySites())) { $0.removeLast() }
        let error = try #require(TestSupport.importError(data, file: "sites.csv", format: .csv))
        #expect(error.location == .row(5, line: 6))
        #expect(error.reason == "wrong column count: 16 fields where the header has 17")
    }

    @Test func duplicateID() throws {
        let lines = try csvLines(emergencySites())
        let firstID = lines[1].components(separatedBy: ",")[1]
        let data = replacing(7, in: lines) { $0[1] = firstID }
        let error = try #require(TestSupport.importError(data, file: "sites.csv", format: .csv))
        #expect(error.location == .row(7, line: 8))
        #expect(error.field == "id")
        #expect(error.reason == "duplicate id \(firstID) (first used at row 1 (line 2))")
    }

    @Test func unknownAndMissingColumns() throws {
        var lines = try csvLines(emergencySites())
        lines[0] = lines[0].replacingOccurrences(of: "備考", with: "メモ")
        let unknown = try #require(
            TestSupport.importError(Data(lines.joined(separator: "\r\n").utf8), file: "s.csv", format: .csv))
        #expect(unknown.field == "メモ")
        #expect(unknown.reason.contains("unknown column"))

        let header = "NO,共通ID,施設・場所名,地震,緯度\r\n1,E1,x,1,35.7\r\n"
        let missing = try #require(TestSupport.importError(Data(header.utf8), file: "s.csv", format: .csv))
        #expect(missing.field == "経度")
        #expect(missing.reason == "required column is missing")
    }

    @Test func allOrNothingUnlessSkippingIsAsked() throws {
        let lines = try csvLines(emergencySites())
        var broken = lines
        broken[4] = broken[4].replacingOccurrences(of: ",35.", with: ",95.")
        broken[9] = broken[9] + ",extra"
        let data = Data(broken.joined(separator: "\r\n").utf8)
        #expect(TestSupport.importError(data, file: "s.csv", format: .csv)?.location == .row(4, line: 5))

        let result = try FacilityImporter.read(
            data, file: "s.csv", format: .csv, options: ImportOptions(skipBadRows: true))
        #expect(result.records.count == 74)
        #expect(result.skipped.map(\.location) == [.row(4, line: 5), .row(9, line: 10)])
        #expect(result.skipped.allSatisfy { $0.file == "s.csv" })
    }

    @Test func invalidEncodingNamesTheLine() throws {
        var bytes = Array(try FacilityExporter.data(try emergencySites(), format: .csv, layout: .gsiEmergencySites))
        // A lone Shift_JIS lead byte followed by a line feed is valid in neither encoding.
        let thirdLineStart = bytes.indices.filter { bytes[$0] == 0x0A }[1] + 1
        bytes.insert(contentsOf: [0x81, 0x0A], at: thirdLineStart + 3)
        let error = try #require(TestSupport.importError(Data(bytes), file: "s.csv", format: .csv))
        #expect(error.location == .line(3))
        #expect(error.reason.contains("neither UTF-8"))

        let declared = try #require(TestSupport.importError(Data(bytes), file: "s.csv", format: .csv, encoding: .utf8))
        #expect(declared.location == .line(3))
        #expect(declared.reason == "invalid UTF-8 on this line")
    }

    @Test func brokenGeoJSON() throws {
        let original = String(decoding: try TestSupport.data(Self.emergencyFile), as: UTF8.self)
        let notJSON = TestSupport.importError(Data(original.dropLast(20).utf8), file: "e.geojson", format: .geoJSON)
        #expect(notJSON?.location == .file)
        #expect(notJSON?.reason.hasPrefix("not valid JSON") == true)

        let badPoint = original.replacingOccurrences(of: "35.700322", with: "-135.700322")
        let pointError = try #require(TestSupport.importError(Data(badPoint.utf8), file: "e.geojson", format: .geoJSON))
        #expect(pointError.location == .feature(1))
        #expect(pointError.field == "geometry")

        let unknownProperty = original.replacingOccurrences(of: "\"備考\": \"\"", with: "\"備考\": \"\", \"収容\": 5")
        let propertyError = try #require(
            TestSupport.importError(Data(unknownProperty.utf8), file: "e.geojson", format: .geoJSON))
        #expect(propertyError.field == "収容")
    }
}
