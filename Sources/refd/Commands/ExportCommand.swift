import ArgumentParser
import Foundation
import SuginamiKit

/// `refd export`: facilities from the store as open data.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export facilities as GeoJSON, GSI or 自治体標準 CSV, or GeoPackage.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The output file (.geojson, .csv or .gpkg).")
    var file: String

    @Option(help: "The file format (default: from the extension).")
    var format: FacilityFormat?

    @Option(help: "The column layout: \(FacilityLayout.allCases.map(\.rawValue).joined(separator: ", ")).")
    var layout: FacilityLayout = .suginamiKit

    @Option(
        name: .customLong("kind"),
        help: """
            Only facilities of this kind (repeatable). Default: the kind the layout publishes \
            (emergency_evacuation_site for gsi-emergency and standard-emergency, designated_shelter \
            for gsi-shelter), or all for suginamikit.
            """)
    var kinds: [FacilityKind] = []

    @Option(help: "Text encoding of CSV output: utf8 or shift_jis.")
    var encoding: TextEncoding = .utf8

    @Flag(help: "Replace a file already at the output's name (in one step); without it, one there is kept.")
    var replace = false

    func validate() throws {
        let resolved = format ?? FacilityFormat(fileName: file)
        guard let resolved else { throw ValidationError("cannot tell the format of \(file); pass --format") }
        if resolved == .csv, layout == .suginamiKit {
            throw ValidationError(
                "CSV needs a published layout: --layout gsi-emergency, gsi-shelter or standard-emergency")
        }
    }

    /// The kind a published layout is for; exporting hospitals as 指定緊急避難場所 would mislead.
    var defaultKinds: [FacilityKind] {
        switch layout {
        case .suginamiKit: []
        case .gsiEmergencySites, .standardEmergencySites: [.emergencyEvacuationSite]
        case .gsiShelters: [.designatedShelter]
        }
    }

    func run() async throws {
        try checkOutputFile(file, replace: replace)
        let database = try await store.openExisting()
        let facilities = try await database.facilities(kinds: Set(kinds.isEmpty ? defaultKinds : kinds))
        try FacilityExporter.write(
            facilities, to: URL(fileURLWithPath: file), format: format, layout: layout, encoding: encoding,
            replacing: replace)
        print("exported \(facilities.count) facilities to \(file)")
    }
}
