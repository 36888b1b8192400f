import ArgumentParser
import Foundation
import SuginamiGIS
import SuginamiKit

/// `refd project`: transform coordinates between CRSs.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Transform coordinates between CRSs (pure-Swift Gauss-Krüger where it applies, PROJ otherwise).",
        discussion: """
            Input is "x y" per line (longitude latitude, or easting northing), or CSV with --csv. \
            Output has the same form. Nothing is written unless every line converts.
              echo "139.6366 35.6995" | refd project --from EPSG:6668 --to EPSG:6677
              refd project --csv --x-column lon --y-column lat --from EPSG:6668 --to EPSG:3857 points.csv
            """)

    @Option(help: "Source CRS, e.g. EPSG:6668 (JGD2011), EPSG:4301 (Tokyo Datum), EPSG:4326.")
    var from: String

    @Option(help: "Target CRS, e.g. EPSG:6677 (plane rectangular IX), EPSG:3857 (Web Mercator).")
    var to: String

    @Argument(help: "Input file (default: standard input).")
    var file: String?

    @Flag(help: "The input is CSV with a header row.")
    var csv = false

    @Option(help: "CSV column holding x (longitude or easting).")
    var xColumn = "x"

    @Option(help: "CSV column holding y (latitude or northing).")
    var yColumn = "y"

    func run() throws {
        let name = file ?? "stdin"
        let data: Data
        if let file {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) does not exist") }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let text = try TextEncoding.automatic.decode(data, file: name)
        let conversion = try CoordinateConversion(from: from, to: to)
        let output = try csv ? convertCSV(text, name: name, conversion) : convertLines(text, name: name, conversion)
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private func convert(_ xText: String, _ yText: String, _ conversion: CoordinateConversion, at place: String) throws
        -> (String, String)
    {
        guard let x = Double(xText) else { throw InputError("\(place): \"\(xText)\" is not a number") }
        guard let y = Double(yText) else { throw InputError("\(place): \"\(yText)\" is not a number") }
        do {
            let result = try conversion.convert(x, y)
            return (String(format: "%.9f", result.x), String(format: "%.9f", result.y))
        } catch { throw InputError("\(place): \(error)") }
    }

    private func convertLines(_ text: String, name: String, _ conversion: CoordinateConversion) throws -> String {
        var output = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count >= 2 else { throw InputError("\(name): line \(index + 1): expected \"x y\"") }
            let (x, y) = try convert(String(fields[0]), String(fields[1]), conversion, at: "\(name): line \(index + 1)")
            output += ([x, y] + fields.dropFirst(2).map(String.init)).joined(separator: " ") + "\n"
        }
        return output
    }

    private func convertCSV(_ text: String, name: String, _ conversion: CoordinateConversion) throws -> String {
        let table = try CSVTable(parsing: text, file: name)
        guard let xIndex = table.header.firstIndex(of: xColumn) else {
            throw InputError("\(name): no column \(xColumn) (header: \(table.header.joined(separator: ",")))")
        }
        guard let yIndex = table.header.firstIndex(of: yColumn) else {
            throw InputError("\(name): no column \(yColumn) (header: \(table.header.joined(separator: ",")))")
        }
        var records: [[String]] = []
        for (offset, var record) in table.records.enumerated() {
            let place = "\(name): row \(offset + 1) (line \(table.lines[offset]))"
            guard record.count == table.header.count else {
                throw InputError("\(place): \(record.count) fields where the header has \(table.header.count)")
            }
            (record[xIndex], record[yIndex]) = try convert(record[xIndex], record[yIndex], conversion, at: place)
            records.append(record)
        }
        return CSVTable.write(header: table.header, records: records)
    }
}
