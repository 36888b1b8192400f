import Foundation
import GRDB
import Testing

@testable import SuginamiKit

/// Files a user (or an attacker) could hand the importers and exporters.
@Suite("Hostile inputs: open data")
struct OpenDataHostileInputTests {
    /// A GeoPackage of facilities, with one cell changed to a value of the wrong type.
    func facilitiesGeoPackage(changing sql: String) throws -> URL {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("facilities.gpkg")
        let facilities = Array(try SuginamiDataset.bundled().facilities.prefix(3))
        try FacilityExporter.write(facilities, to: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
        return url
    }

    @Test(arguments: [
        ("UPDATE facilities SET geom = 42 WHERE fid = 2", "geom", "an integer"),
        ("UPDATE facilities SET capacity = 'lots' WHERE fid = 2", "capacity", "text"),
        ("UPDATE facilities SET name = x'00ff' WHERE fid = 2", "name", "a blob"),
        ("UPDATE facilities SET capacity = 2.5 WHERE fid = 2", "capacity", "a real number"),
    ])
    func aCellOfTheWrongTypeIsAnErrorNotACrash(_ sql: String, _ column: String, _ found: String) throws {
        let url = try facilitiesGeoPackage(changing: sql)
        do {
            _ = try FacilityImporter.read(contentsOf: url)
            Issue.record("accepted")
        } catch {
            #expect(error.location == .feature(2) && error.field == column, "\(error)")
            #expect(error.reason.contains(found), "\(error)")
        }
    }

    @Test func formulaCellsAreNeutralisedAndRoundTrip() throws {
        let cells = [
            "=HYPERLINK(\"http://evil\",\"click\")", "+81 3 3312 2111", "-cmd", "@SUM(A1)", "\tx", "'=already",
            "''+twice", "'plain", "-12.5", "+3", "plain", "", "a,b", "=\"quoted\"",
        ]
        let text = CSVTable.write(header: ["value"], records: cells.map { [$0] })
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[1].hasPrefix("'=HYPERLINK") || lines[1].hasPrefix("\"'=HYPERLINK"))
        #expect(lines[2] == "'+81 3 3312 2111" && lines[3] == "'-cmd" && lines[4] == "'@SUM(A1)")
        #expect(lines[9] == "-12.5" && lines[10] == "+3", "numbers stay numbers")
        // No written cell starts with a formula character any more, unless it is a number.
        for line in lines.dropFirst() where !line.isEmpty {
            let cell = line.hasPrefix("\"") ? String(line.dropFirst()) : line
            if let first = cell.unicodeScalars.first, CSVTable.formulaStarts.contains(first) {
                #expect(Double(cell) != nil, "\(line)")
            }
        }
        let read = try CSVTable(parsing: text, file: "x.csv")
        #expect(read.records.map { $0[0] } == cells.filter { !$0.isEmpty } || read.records.map { $0[0] } == cells)
    }

    @Test func aFacilityNamedLikeAFormulaRoundTripsThroughTheStandardCSV() throws {
        var facilities = try SuginamiDataset.bundled().facilities.filter { $0.kind == .emergencyEvacuationSite }
        facilities[0].name = "=1+1"
        facilities[1].name = "@杉並区"
        let data = try FacilityExporter.data(
            facilities, format: .csv, layout: .standardEmergencySites, encoding: .utf8, file: "sites.csv")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(",'=1+1,") && text.contains(",'@杉並区,"))
        let read = try FacilityImporter.read(data, file: "sites.csv", format: .csv, layout: .standardEmergencySites)
        #expect(read.records.map(\.name).prefix(2) == ["=1+1", "@杉並区"])
    }
}
