import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiKit

/// `refd import`: facilities from an open-data file into the store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import facilities (GeoJSON, GSI or 自治体標準 CSV, GeoPackage) or a building register.",
        discussion: """
            All or nothing: a single bad row fails the import and the store is left as it was, unless \
            --skip-bad-rows is given; then the skipped rows are listed on standard error.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The file to import (.geojson, .json, .csv or .gpkg).")
    var file: String

    @Option(help: "The file format (default: from the extension).")
    var format: FacilityFormat?

    @Option(
        help:
            "The column layout: \(FacilityLayout.allCases.map(\.rawValue).joined(separator: ", ")) (default: detected)."
    )
    var layout: FacilityLayout?

    @Option(help: "Text encoding: automatic, utf8 or shift_jis.")
    var encoding: TextEncoding = .automatic

    @Flag(help: "Leave out bad rows instead of failing, and list them.")
    var skipBadRows = false

    @Option(help: "Progress display for building registers: auto (a bar on a terminal), lines, none.")
    var progress: ProgressStyle = .auto

    @Option(
        help: ArgumentHelp(
            "Facilities already stored under the same id: merge, replace or refuse.",
            discussion: """
                merge (the default) keeps a stored value where the file has none (a GSI list has no \
                capacities); replace takes the file's record whole; refuse imports nothing if any id is stored.
                """))
    var existing: ExistingFacilityPolicy = .merge

    @Flag(help: "The file is a building register (.csv or .gpkg; see the vendor integration guide).")
    var buildings = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) does not exist")
        }
        let options = ImportOptions(encoding: encoding, skipBadRows: skipBadRows)
        if buildings {
            let database = try await store.openOrCreate()
            // Streamed in one transaction: stored whole or not at all, in bounded memory.
            let reporter = ProgressReporter(label: "reading", style: progress, unit: .bytes)
            let summary = try await database.importBuildingRegister(
                contentsOf: URL(fileURLWithPath: file), options: options, progress: { reporter.report($0, of: $1) })
            report(summary.skipped)
            let skipped = summary.skipped.count + summary.skippedBeyondList
            if summary.skippedBeyondList > 0 {
                FileHandle.standardError.write(
                    Data("skipped: \(summary.skippedBeyondList) more bad rows not listed\n".utf8))
            }
            print(
                "imported \(summary.imported) buildings from \(file) into \(database.location)"
                    + (skipped == 0 ? "" : "; skipped \(skipped) bad rows"))
            return
        }
        let result = try FacilityImporter.read(
            contentsOf: URL(fileURLWithPath: file), format: format, layout: layout,
            options: options)
        let database = try await store.openOrCreate()
        let summary = try await database.importFacilities(result.records, existing: existing)
        report(result.skipped)
        print(
            "imported \(result.records.count) facilities from \(file) into \(database.location) "
                + "(\(summary.added) new, \(summary.updated) updated)"
                + (result.skipped.isEmpty ? "" : "; skipped \(result.skipped.count) bad rows"))
        if !summary.keptValues.isEmpty {
            print(
                "kept stored values the file lacks: " + Self.counts(summary.keptValues)
                    + (summary.keptCapacity > 0
                        ? " (\(DigitGrouping.grouped(summary.keptCapacity)) places of capacity)" : ""))
        }
        if !summary.droppedValues.isEmpty {
            FileHandle.standardError.write(
                Data(
                    ("warning: --existing replace dropped stored values the file lacks: "
                        + Self.counts(summary.droppedValues)
                        + (summary.droppedCapacity > 0
                            ? " (\(DigitGrouping.grouped(summary.droppedCapacity)) places of capacity)" : "") + "\n")
                        .utf8))
        }
    }

    /// `capacity 104, nameKana 3`.
    static func counts(_ fields: [String: Int]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func report(_ skipped: [InputFileError]) {
        for error in skipped { FileHandle.standardError.write(Data("skipped: \(error)\n".utf8)) }
    }
}

extension ExistingFacilityPolicy: ExpressibleByArgument {}
