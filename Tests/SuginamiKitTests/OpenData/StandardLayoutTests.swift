import Foundation
import Testing

@testable import SuginamiKit

@Suite("自治体標準オープンデータセット 指定緊急避難場所一覧 (39 columns)")
struct StandardLayoutTests {
    /// The real sites with the standard's extra fields filled, as a municipality would publish them.
    func publishedSites() throws -> [Facility] {
        try SuginamiDataset.bundled().facilities.filter { $0.kind == .emergencyEvacuationSite }.map { site in
            var site = site
            site.publication.publisherCode = .suginami
            site.publication.designatorCode = .suginami
            site.publication.designatorName = "東京都杉並区"
            site.address.municipalityCode = .suginami
            site.address.prefecture = "東京都"
            site.address.municipality = "杉並区"
            site.contact.phone = "03-3312-2111"
            site.coveredDistricts = ["町会A", "町会B"]
            site.source = StandardEmergencySiteLayout().defaultSource
            return site
        }
    }

    @Test(arguments: [TextEncoding.utf8, .shiftJIS])
    func roundTrip(encoding: TextEncoding) throws {
        let sites = try publishedSites()
        let csv = try FacilityExporter.data(sites, format: .csv, layout: .standardEmergencySites, encoding: encoding)
        let table = try CSVTable(parsing: try encoding.decode(csv, file: "s.csv"), file: "s.csv")
        #expect(table.header.count == 39)
        #expect(table.header.first == "全国地方公共団体コード" && table.header.last == "備考")
        let read = try FacilityImporter.read(csv, file: "s.csv", format: .csv).records
        // The standard layout has no column for GSI's serial number.
        #expect(
            read
                == sites.map { site in
                    var site = site
                    site.publication.serialNumber = nil
                    return site
                })
        #expect(
            try FacilityExporter.data(read, format: .csv, layout: .standardEmergencySites, encoding: encoding) == csv)
    }

    func rows() throws -> [String] {
        String(
            decoding: try FacilityExporter.data(try publishedSites(), format: .csv, layout: .standardEmergencySites),
            as: UTF8.self
        ).components(separatedBy: "\r\n")
    }

    @Test func badCheckDigit() throws {
        var lines = try rows()
        lines[2] = "131157" + lines[2].dropFirst(6)
        let error = try #require(
            TestSupport.importError(Data(lines.joined(separator: "\r\n").utf8), file: "odp.csv", format: .csv))
        #expect(error.location == .row(2, line: 3))
        #expect(error.field == "全国地方公共団体コード")
        #expect(error.reason.contains("bad check digit"))
    }

    @Test func droppedLeadingZeroIsRestored() throws {
        var lines = try rows()
        lines[1] = "92011" + lines[1].dropFirst(6)
        let read = try FacilityImporter.read(Data(lines.joined(separator: "\r\n").utf8), file: "odp.csv", format: .csv)
        #expect(read.records[0].publication.publisherCode?.rawValue == "092011")
    }

    @Test func capacityMustBeAWholeNumber() throws {
        var lines = try rows()
        var fields = lines[1].components(separatedBy: ",")
        let capacityIndex = StandardEmergencySiteLayout().columns.firstIndex(of: "想定収容人数")!
        fields[capacityIndex] = "約800"
        lines[1] = fields.joined(separator: ",")
        let error = try #require(
            TestSupport.importError(Data(lines.joined(separator: "\r\n").utf8), file: "odp.csv", format: .csv))
        #expect(error.field == "想定収容人数")
        #expect(error.reason == "\"約800\" is not a whole number")
    }

    @Test func headerOfNoKnownLayout() {
        let error = TestSupport.importError(Data("a,b\n1,2\n".utf8), file: "x.csv", format: .csv)
        #expect(error?.reason.hasPrefix("the header matches no known layout") == true)
    }
}
