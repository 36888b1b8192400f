import ArgumentParser
import Foundation
import SuginamiKit

/// `refd load`: the bundled Suginami data into a fresh database, then a summary.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load the bundled Suginami data (and a synthetic building stock) into a new database.",
        discussion: """
            Facilities, towns and population are real public data (出典 in the summary). The buildings \
            are SYNTHETIC, generated from Tokyo's stock statistics, and flagged as such in every record.
            """)

    @OptionGroup var store: StoreOptions

    @Flag(
        help: ArgumentHelp(
            "Replace the records of an existing SuginamiKit database.",
            discussion: """
                In one transaction: killed at any moment, the database holds the old records or the new ones. \
                A file that is not a SuginamiKit database is never replaced.
                """))
    var replace = false

    @Option(help: "How many synthetic buildings to generate (0 to \(SyntheticBuildingGenerator.maximumBuildingCount)).")
    var buildings = SyntheticBuildingGenerator.defaultBuildingCount

    @Option(help: "Seed of the building generator; equal seeds give equal stocks.")
    var seed: UInt64 = 20_260_127

    @Option(help: "Progress display: auto (a bar on a terminal), lines, none.")
    var progress: ProgressStyle = .auto

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard (0...SyntheticBuildingGenerator.maximumBuildingCount).contains(buildings) else {
            throw ValidationError(
                "--buildings must be 0 to \(SyntheticBuildingGenerator.maximumBuildingCount), got \(buildings)")
        }
    }

    func run() async throws {
        let dataset = try SuginamiDataset.bundled()
        let generator = SyntheticBuildingGenerator(seed: seed, totalBuildings: buildings)
        let reporter = ProgressReporter(label: "buildings", style: progress)
        reporter.phase(
            "loading the bundled facilities and towns, then \(buildings) synthetic buildings, in one transaction")
        let database: SuginamiStore
        do {
            // All or nothing: a new database appears only when complete, an existing one is
            // replaced in one transaction.
            database = try await SuginamiStore.build(at: store.database, replacingExisting: replace) { transaction in
                try transaction.save(dataset.towns)
                try transaction.save(dataset.facilities)
                try generator.insert(
                    towns: dataset.towns, stock: dataset.buildingStock, into: transaction,
                    progress: { reporter.report($0, of: $1) })
            }
        } catch StoreError.alreadyExists {
            throw InputError("\(store.database) already exists; pass --replace to replace its records")
        }
        let summary = try await database.summary()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(SummaryText(summary: summary, database: store.database).text)
        }
    }
}

/// The human-readable summary.
struct SummaryText {
    let summary: StoreSummary
    let database: String

    var text: String {
        var lines = ["Suginami ward (東京都杉並区, 131156) — \(database)", "", "Facilities"]
        for kind in FacilityKind.allCases {
            guard let count = summary.facilitiesByKind[kind.rawValue] else { continue }
            lines.append(row("  \(kind.japaneseName) \(kind.rawValue)", grouped(count)))
        }
        lines += [
            "",
            row("Towns (町丁目)", grouped(summary.towns)),
            row("Households", grouped(summary.households)),
            row("Population", grouped(summary.population)),
            row("  aged 65 and over", grouped(summary.elderly)),
            row("  under 15", grouped(summary.children)),
            "",
            row("Buildings", grouped(summary.buildings))
                + (summary.syntheticBuildings > 0 ? "  (\(grouped(summary.syntheticBuildings)) SYNTHETIC)" : ""),
        ]
        for (structure, count) in summary.buildingsByStructure.sorted(by: { $0.key < $1.key }) {
            lines.append(row("  \(structure)", grouped(count)))
        }
        let missing = summary.reliefCentresWithoutCapacity
        lines += [
            "",
            "Capacity vs population",
            row("  震災救援所 capacity", grouped(summary.reliefCentreCapacity))
                + (missing > 0 ? "  (\(missing) without a published capacity)" : ""),
            row("  指定緊急避難場所 capacity", grouped(summary.emergencySiteCapacity)),
            row(
                "  relief-centre places per 100 residents",
                String(format: "%.1f", summary.reliefCentreCapacityPerResident * 100)),
            "",
            "出典: 国土地理院「指定緊急避難場所データ」「指定避難所データ」; 杉並区オープンデータ (CC BY 4.0);",
            "      e-Stat 令和2年国勢調査 町丁・字等別境界データを加工; 杉並区 町丁別世帯数及び人口; 東京都防災会議 (2022).",
        ]
        if summary.syntheticBuildings > 0 {
            lines.append("Buildings are synthetic (generated from Tokyo-wide stock statistics), not real records.")
        }
        return lines.joined(separator: "\n")
    }

    /// A label padded to a fixed width on a terminal (CJK characters take two columns) and a
    /// right-aligned value.
    private func row(_ label: String, _ value: String) -> String {
        let labelWidth = label.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
        return label + String(repeating: " ", count: max(1, 48 - labelWidth))
            + String(repeating: " ", count: max(0, 9 - value.count)) + value
    }
}
