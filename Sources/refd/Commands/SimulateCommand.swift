import ArgumentParser
import Foundation
import SuginamiGIS
import SuginamiKit

/// `refd simulate`: the earthquake building-damage simulation over the stored buildings.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate building damage for an earthquake scenario (Monte Carlo over events).",
        discussion: """
            Reads the buildings of --database (create it with `refd load`), runs --events events and \
            writes into --out: cells.csv and cells.geojson (250 m mesh), towns.csv (町丁目, with deaths), events.csv, \
            buildings.csv and buildings.geojson (P per damage state), damage.gpkg (both layers), provenance.txt (every assumption and source) and \
            inputs/ (scenario, fragility and site files and run.json, to replay the run).
            Bundled scenarios: \(ScenarioFile.bundledNames.joined(separator: ", ")).
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "A bundled scenario's name or a scenario JSON file.")
    var scenario: String

    @Option(help: "Number of events.")
    var events = 1_000

    @Option(help: "Random seed; equal seeds give equal results.")
    var seed: UInt64 = 42

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "A fragility CSV (default: the bundled derived set).")
    var fragility: String?

    @Option(help: "Site data: CSV of mesh_code,avs30 or mesh_code,amplification (default: uniform AVS30 400 m/s).")
    var site: String?

    @Option(help: "AVS30 convention for --site: fujimoto-midorikawa-2006 or midorikawa-1994.")
    var siteConvention: SiteAmplification.Convention = .fujimotoMidorikawa2006

    @Option(
        help: ArgumentHelp(
            "Night-time (5 a.m.) population in wooden buildings, for non-wooden deaths (TMG 2022).",
            discussion: "Give both night populations or neither; without them non-wooden deaths are not computed."))
    var nightPopulationWooden: Double?

    @Option(help: "Night-time (5 a.m.) population in non-wooden buildings (with --night-population-wooden).")
    var nightPopulationNonWooden: Double?

    @Option(help: "Progress display: auto (a bar on a terminal), lines, none.")
    var progress: ProgressStyle = .auto

    func validate() throws {
        guard (1...1_000_000).contains(events) else {
            throw ValidationError("--events must be 1 to 1,000,000, got \(events)")
        }
        guard (nightPopulationWooden == nil) == (nightPopulationNonWooden == nil) else {
            throw ValidationError("give both --night-population-wooden and --night-population-non-wooden, or neither")
        }
        _ = try nightPopulation()
    }

    /// The night populations, checked.
    func nightPopulation() throws -> DamageSimulation.NightPopulation? {
        guard let nightPopulationWooden, let nightPopulationNonWooden else { return nil }
        do {
            return try DamageSimulation.NightPopulation(
                wooden: nightPopulationWooden, nonWooden: nightPopulationNonWooden)
        } catch {
            throw ValidationError("--night-population-*: \(error)")
        }
    }

    func run() async throws {
        let scenarioFile: ScenarioFile
        let scenarioURL = URL(fileURLWithPath: scenario)
        do {
            scenarioFile =
                FileManager.default.fileExists(atPath: scenario)
                ? try ScenarioFile.load(scenarioURL) : try ScenarioFile.bundled(named: scenario)
        } catch {
            throw InputError(error.description)
        }
        let fragilityText: String
        let fragilitySet: FragilitySet
        do {
            if let fragility {
                guard let text = try? String(contentsOfFile: fragility, encoding: .utf8) else {
                    throw InputError("\(fragility): cannot read the file")
                }
                fragilityText = text
                fragilitySet = try FragilitySet(csv: text, name: fragility)
            } else {
                fragilitySet = try FragilitySet.bundledDefault()
                fragilityText = ""
            }
        } catch let error as FragilityError {
            throw InputError(error.description)
        }
        var siteText: String?
        let siteModel: SiteModel
        if let site {
            guard let text = try? String(contentsOfFile: site, encoding: .utf8) else {
                throw InputError("\(site): cannot read the file")
            }
            do {
                siteModel = try SiteModel(csv: text, name: site, convention: siteConvention)
            } catch {
                throw InputError(error.description)
            }
            siteText = text
        } else {
            siteModel = .wardDefault
        }
        let database = try store.openExisting()
        let everywhere = try BoundingBox(minLatitude: -90, minLongitude: -180, maxLatitude: 90, maxLongitude: 180)
        let buildings = try await database.buildings(in: everywhere).sorted { $0.id < $1.id }
        guard !buildings.isEmpty else {
            throw InputError("\(store.database) holds no buildings; run `refd load` first")
        }
        let simulation: DamageSimulation
        do {
            simulation = try DamageSimulation(
                scenario: try scenarioFile.scenario(), buildings: buildings, fragility: fragilitySet, site: siteModel,
                nightPopulation: try nightPopulation())
        } catch let error as SimulationError {
            throw InputError(error.description)
        } catch {
            throw InputError("\(error)")
        }
        let reporter = ProgressReporter(label: "events", style: progress)
        let total = events
        let result = try simulation.run(events: events, seed: seed) { done in reporter.report(done, of: total) }

        // Everything into a staging directory first, then moved into place: no half-written run.
        let manager = FileManager.default
        let target = URL(fileURLWithPath: out)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging.appendingPathComponent("inputs"), withIntermediateDirectories: true)
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: staging.appendingPathComponent(name))
        }
        try write(result.cellsCSV(), "cells.csv")
        try result.cellsGeoJSON().write(to: staging.appendingPathComponent("cells.geojson"))
        try write(result.townsCSV(), "towns.csv")
        try write(result.eventsCSV(), "events.csv")
        try write(result.buildingsCSV(buildings), "buildings.csv")
        try result.buildingsGeoJSON(buildings).write(to: staging.appendingPathComponent("buildings.geojson"))
        try GeoPackageWriter.write(
            result.geoPackageLayers(buildings), to: staging.appendingPathComponent("damage.gpkg"))
        try write(result.provenance.joined(separator: "\n") + "\n", "provenance.txt")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(scenarioFile).write(to: staging.appendingPathComponent("inputs/scenario.json"))
        if !fragilityText.isEmpty { try write(fragilityText, "inputs/fragility.csv") }
        if let siteText { try write(siteText, "inputs/site.csv") }
        let run = RunRecord(
            events: events, seed: seed, buildings: buildings.count, database: store.database,
            fragility: fragility ?? "bundled fragility-derived.csv", site: site ?? "ward default",
            siteConvention: siteConvention.rawValue, nightPopulationWooden: nightPopulationWooden,
            nightPopulationNonWooden: nightPopulationNonWooden)
        try encoder.encode(run).write(to: staging.appendingPathComponent("inputs/run.json"))
        if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
        try manager.moveItem(at: staging, to: target)

        for state in result.states {
            let total = result.expectedTotal(state) ?? 0
            let error = result.standardError(state) ?? 0
            print(
                "\(state.japaneseName) (\(state.rawValue)): \(String(format: "%.1f", total)) ± \(String(format: "%.1f", error)) "
                    + "(standard error) buildings expected of \(buildings.count)")
        }
        let deaths = result.towns.compactMap(\.woodenDeaths).reduce(0, +)
        print("deaths in wooden collapses (5 a.m.): \(String(format: "%.1f", deaths))")
        let nonWooden = result.towns.compactMap(\.nonWoodenDeaths)
        print(
            "deaths in non-wooden collapses (5 a.m.): "
                + (nonWooden.isEmpty
                    ? "not computed (give --night-population-wooden and --night-population-non-wooden)"
                    : String(format: "%.1f", nonWooden.reduce(0, +))))
        print(
            "\(result.cells.count) cells, \(result.towns.count) towns, \(events) events, seed \(seed); results in \(out)"
        )
    }
}

/// What `inputs/run.json` records, so that a run can be replayed.
struct RunRecord: Codable {
    let events: Int
    let seed: UInt64
    let buildings: Int
    let database: String
    let fragility: String
    let site: String
    let siteConvention: String
    let nightPopulationWooden: Double?
    let nightPopulationNonWooden: Double?
}

extension SiteAmplification.Convention: ExpressibleByArgument {}
