import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiKit
import SuginamiPostgreSQL

/// `refd load`: the bundled Suginami data into a fresh database, then a summary.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load the bundled Suginami data and building stock into a new database.",
        discussion: """
            Facilities, towns and population are real public data (出典 in the summary). The buildings are \
            the ward's real footprints and heights (PLATEAU 2020) with structure, era, storeys and fire \
            resistance ASSUMED from documented priors; every record says which fields are assumed. \
            --stock synthetic generates the older all-synthetic stock instead.
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

    @Option(
        help: ArgumentHelp(
            "Which building stock: plateau (real footprints, assumed attributes; the default) or synthetic.",
            valueName: "stock"))
    var stock: BuildingStockChoice?

    @Option(
        help: ArgumentHelp(
            "How many synthetic buildings to generate (0 to \(SyntheticBuildingGenerator.maximumBuildingCount)).",
            discussion: "Selects the synthetic stock (for tests and trials); the plateau stock is the ward's own."))
    var buildings: Int?

    /// The stock to load: as given, or synthetic when only a count is given.
    var chosenStock: BuildingStockChoice { stock ?? (buildings == nil ? .plateau : .synthetic) }

    @Option(
        help: "Seed of the assumed attributes (plateau) or of the generator (synthetic); equal seeds, equal stocks.")
    var seed: UInt64 = 20_260_127

    @Option(help: "Progress display: auto (a bar on a terminal), lines, none.")
    var progress: ProgressStyle = .auto

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let buildings {
            guard chosenStock == .synthetic else {
                throw ValidationError("--buildings applies to --stock synthetic; the plateau stock is the ward's own")
            }
            guard (0...SyntheticBuildingGenerator.maximumBuildingCount).contains(buildings) else {
                throw ValidationError(
                    "--buildings must be 0 to \(SyntheticBuildingGenerator.maximumBuildingCount), got \(buildings)")
            }
        }
    }

    func run() async throws {
        let dataset = try SuginamiDataset.bundled()
        let reporter = ProgressReporter(label: "buildings", style: progress)
        let buildings: any BuildingBatches
        switch chosenStock {
        case .plateau:
            reporter.phase("reading the ward's 118,522 real footprints (PLATEAU 2020) and assuming their attributes")
            let plateau = try PlateauBuildingStock.bundled(
                towns: dataset.towns, table: dataset.buildingStock, seed: seed)
            reporter.phase(
                "loading the bundled facilities, towns and \(plateau.footprints.count) buildings in one transaction")
            buildings = plateau
        case .synthetic:
            let count = self.buildings ?? SyntheticBuildingGenerator.defaultBuildingCount
            let generator = SyntheticBuildingGenerator(seed: seed, totalBuildings: count)
            reporter.phase(
                "loading the bundled facilities and towns, then \(count) synthetic buildings, in one transaction")
            buildings = try generator.batches(towns: dataset.towns, stock: dataset.buildingStock)
        }
        let contents = StoreContents(towns: dataset.towns, facilities: dataset.facilities, buildings: buildings)
        let progress: @Sendable (Int, Int) -> Void = { reporter.report($0, of: $1) }
        let database: any BuildingStore
        switch try store.location() {
        case .file(let path):
            for removed in SuginamiStore.removeAbandonedBuilds(besideDatabaseAt: path) {
                FileHandle.standardError.write(Data("removed \(removed), left by a load that did not finish\n".utf8))
            }
            do {
                // All or nothing: a new database appears only when complete, an existing one is
                // replaced in one transaction.
                database = try await SuginamiStore.build(
                    at: path, replacingExisting: replace, contents: contents, progress: progress)
            } catch StoreError.alreadyExists {
                throw InputError("\(path) already exists; pass --replace to replace its records")
            }
        case .postgres(let location):
            let postgres = try await PostgresStore(location)
            // A database that already holds the ward is replaced only when asked: in one
            // transaction, so that the daemons reading it see the old records or the new ones.
            let towns = try await postgres.towns().count
            let facilities = try await postgres.facilities().count
            if !replace, towns + facilities > 0 {
                await postgres.close()
                throw InputError("\(location) already holds records; pass --replace to replace them")
            }
            try await postgres.replaceContents(with: contents, progress: progress)
            database = postgres
        }
        let summary = try await database.summary()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(SummaryText(summary: summary, database: try store.location().description).text)
        }
    }
}

/// The building stocks `refd load` can load.
enum BuildingStockChoice: String, CaseIterable, ExpressibleByArgument {
    /// The ward's real footprints with assumed attributes.
    case plateau
    /// The all-synthetic generator (tests, other municipalities' trials).
    case synthetic
}

/// The human-readable summary.
struct SummaryText {
    let summary: StoreSummary
    let database: String

    var text: String {
        var lines = ["Suginami ward (東京都杉並区, 131156) — \(database)", "", "Facilities"]
        for kind in FacilityKind.allCases {
            guard let count = summary.facilitiesByKind[kind.rawValue] else { continue }
            lines.append(row("  \(kind.japaneseName) \(kind.rawValue)", DigitGrouping.grouped(count)))
        }
        lines += [
            "",
            row("Towns (町丁目)", DigitGrouping.grouped(summary.towns)),
            row("Households", DigitGrouping.grouped(summary.households)),
            row("Population", DigitGrouping.grouped(summary.population)),
            row("  aged 65 and over", DigitGrouping.grouped(summary.elderly)),
            row("  under 15", DigitGrouping.grouped(summary.children)),
            "",
            row("Buildings", DigitGrouping.grouped(summary.buildings))
                + (summary.syntheticBuildings > 0
                    ? "  (\(DigitGrouping.grouped(summary.syntheticBuildings)) SYNTHETIC)"
                    : summary.buildingsWithAssumedAttributes > 0
                        ? "  (\(DigitGrouping.grouped(summary.buildingsWithAssumedAttributes)) with ASSUMED attributes)"
                        : ""),
        ]
        for (structure, count) in summary.buildingsByStructure.sorted(by: { $0.key < $1.key }) {
            lines.append(row("  \(structure)", DigitGrouping.grouped(count)))
        }
        let missing = summary.reliefCentresWithoutCapacity
        lines += [
            "",
            "Capacity vs population",
            row("  震災救援所 capacity", DigitGrouping.grouped(summary.reliefCentreCapacity))
                + (missing > 0 ? "  (\(missing) without a published capacity)" : ""),
            row("  指定緊急避難場所 capacity", DigitGrouping.grouped(summary.emergencySiteCapacity)),
            row(
                "  relief-centre places per 100 residents",
                String(format: "%.1f", summary.reliefCentreCapacityPerResident * 100)),
            "",
            "出典: 国土地理院「指定緊急避難場所データ」「指定避難所データ」; 杉並区オープンデータ (CC BY 4.0);",
            "      e-Stat 令和2年国勢調査 町丁・字等別境界データを加工; 杉並区 町丁別世帯数及び人口; 東京都防災会議 (2022).",
        ]
        if summary.syntheticBuildings > 0 {
            lines.append("Buildings are synthetic (generated from Tokyo-wide stock statistics), not real records.")
        } else if summary.buildingsWithAssumedAttributes > 0 {
            lines += [
                "Buildings: real footprints and heights; structure, era, storeys and fire resistance are ASSUMED",
                "      (BuildingAttributePriors). " + PlateauFootprints.attribution,
            ]
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
