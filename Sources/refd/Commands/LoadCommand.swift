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

    @Flag(help: "Replace the database file if it exists.")
    var replace = false

    @Option(help: "How many synthetic buildings to generate (0 for none).")
    var buildings = SyntheticBuildingGenerator.defaultBuildingCount

    @Option(help: "Seed of the building generator; equal seeds give equal stocks.")
    var seed: UInt64 = 20_260_127

    @Option(help: "Buildings per transaction.")
    var batchSize = 5_000

    @Option(help: "Progress display: auto (a bar on a terminal), lines, none.")
    var progress: ProgressStyle = .auto

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard buildings >= 0 else { throw ValidationError("--buildings must be 0 or more, got \(buildings)") }
        guard (1...100_000).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 100000, got \(batchSize)")
        }
    }

    func run() async throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: store.database) {
            guard replace else {
                throw ValidationError("\(store.database) already exists; pass --replace to start afresh")
            }
            for suffix in ["", "-wal", "-shm"] where fileManager.fileExists(atPath: store.database + suffix) {
                try fileManager.removeItem(atPath: store.database + suffix)
            }
        }
        let dataset = try SuginamiDataset.bundled()
        let database = try SuginamiStore(path: store.database)
        try await dataset.load(into: database)
        if progress == .lines {
            FileHandle.standardError.write(Data("facilities and towns committed\n".utf8))
        }
        if buildings > 0 {
            let reporter = ProgressReporter(label: "buildings", style: progress)
            try await SyntheticBuildingGenerator(seed: seed, totalBuildings: buildings).load(
                towns: dataset.towns, stock: dataset.buildingStock, into: database, batchSize: batchSize,
                progress: { reporter.report($0, of: $1) })
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
            lines.append("  \(pad(kind.japaneseName + " " + kind.rawValue, 46)) \(leftPad(grouped(count), 7))")
        }
        lines += [
            "",
            "Towns (町丁目)                                   \(leftPad(grouped(summary.towns), 7))",
            "Households                                       \(leftPad(grouped(summary.households), 7))",
            "Population                                       \(leftPad(grouped(summary.population), 7))",
            "  aged 65 and over                               \(leftPad(grouped(summary.elderly), 7))",
            "  under 15                                       \(leftPad(grouped(summary.children), 7))",
            "",
            "Buildings                                        \(leftPad(grouped(summary.buildings), 7))"
                + (summary.syntheticBuildings > 0 ? "  (\(grouped(summary.syntheticBuildings)) SYNTHETIC)" : ""),
        ]
        for (structure, count) in summary.buildingsByStructure.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(pad(structure, 46)) \(leftPad(grouped(count), 7))")
        }
        let percent = String(format: "%.1f", summary.reliefCentreCapacityPerResident * 100)
        lines += [
            "",
            "Capacity vs population",
            "  震災救援所 capacity                            \(leftPad(grouped(summary.reliefCentreCapacity), 7))"
                + (summary.reliefCentresWithoutCapacity > 0
                    ? "  (\(summary.reliefCentresWithoutCapacity) centres without a published capacity)" : ""),
            "  指定緊急避難場所 capacity                      \(leftPad(grouped(summary.emergencySiteCapacity), 7))",
            "  relief-centre places per 100 residents         \(leftPad(percent, 7))",
            "",
            "出典: 国土地理院「指定緊急避難場所データ」「指定避難所データ」; 杉並区オープンデータ (CC BY 4.0);",
            "      e-Stat 令和2年国勢調査 町丁・字等別境界データを加工; 杉並区 町丁別世帯数及び人口; 東京都防災会議 (2022).",
        ]
        if summary.syntheticBuildings > 0 {
            lines.append("Buildings are synthetic (generated from Tokyo-wide stock statistics), not real records.")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let visible = text.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
        return text + String(repeating: " ", count: max(0, width - visible))
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
