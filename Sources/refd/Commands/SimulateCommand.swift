import ArgumentParser
import Foundation
import SuginamiCore
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

    @Option(
        help: ArgumentHelp(
            "Output directory.",
            discussion: """
                A new directory, an empty one, or one that holds only an earlier run written by refd; \
                anything else is refused. The run is written beside it and switched into place when complete.
                """))
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

    @OptionGroup(title: "Fire") var fireOptions: FireOptions

    @Option(help: "A mitigation scenario JSON: runs it paired with the baseline and writes the comparison.")
    var mitigation: String?

    @Option(
        help: ArgumentHelp(
            "Write maps (PNG), the report (HTML, Japanese and English) and the town layer into this directory.",
            discussion: "The same rule as --out: a new or empty directory, or an earlier report written by refd."))
    var report: String?

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
        if let report, URL(fileURLWithPath: report).standardizedFileURL == URL(fileURLWithPath: out).standardizedFileURL
        {
            throw ValidationError("--report and --out name the same directory; give each its own")
        }
    }

    /// Where the run goes.
    var outputDirectory: OutputDirectory { OutputDirectory(URL(fileURLWithPath: out), kind: "simulation-run") }

    /// Where the report goes, if anywhere.
    var reportDirectory: OutputDirectory? {
        report.map { OutputDirectory(URL(fileURLWithPath: $0), kind: ScenarioReport.outputKind) }
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
        // Refuse an output that may not be replaced before minutes of work, not after.
        do {
            try outputDirectory.check()
        } catch {
            throw InputError("--out \(out): \(error.reason)")
        }
        if let report {
            do { try reportDirectory?.check() } catch { throw InputError("--report \(report): \(error.reason)") }
        }
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
        let mitigationScenario: MitigationScenario?
        do {
            mitigationScenario = try mitigation.map { try MitigationScenario.load(URL(fileURLWithPath: $0)) }
        } catch {
            throw InputError("\(error)")
        }
        let database = try store.openExisting()
        let everywhere = try BoundingBox(minLatitude: -90, minLongitude: -180, maxLatitude: 90, maxLongitude: 180)
        let phases = ProgressReporter(label: "", style: progress)
        phases.phase("reading the buildings of \(store.database)")
        let buildings = try await database.buildings(in: everywhere).sorted { $0.id < $1.id }
        guard !buildings.isEmpty else {
            throw InputError("\(store.database) holds no buildings; run `refd load` first")
        }
        let towns = try await database.towns()
        let fireInputs = try fireOptions.load()
        func prepare(_ buildings: [Building], fire: FireModel?) throws -> DamageSimulation {
            do {
                return try DamageSimulation(
                    scenario: try scenarioFile.scenario(), buildings: buildings, fragility: fragilitySet,
                    site: siteModel, nightPopulation: try nightPopulation(), fire: fire)
            } catch let error as SimulationError {
                throw InputError(error.description)
            } catch {
                throw InputError("\(error)")
            }
        }
        func fireModel(_ buildings: [Building], _ parameters: FireParameters, firebreaks: [[GeoPoint]] = [])
            throws -> FireModel?
        {
            guard let fireInputs else { return nil }
            do {
                return try FireModel(
                    buildings: buildings, parameters: parameters, distances: fireInputs.distances,
                    rule: fireInputs.rule, firebreakLines: firebreaks,
                    firebreakDescription: "\(firebreaks.count) lines from the mitigation scenario")
            } catch {
                throw InputError("\(error)")
            }
        }
        if fireInputs != nil { phases.phase("linking \(buildings.count) buildings into fire-spread clusters") }
        let baselineFire = try fireModel(buildings, fireInputs?.parameters ?? FireParameters())
        let simulation = try prepare(buildings, fire: baselineFire)
        let runs = mitigationScenario == nil ? 1 : 2
        let reporter = ProgressReporter(label: "events", style: progress)
        let total = events * runs
        let result = try simulation.run(events: events, seed: seed) { done in reporter.report(done, of: total) }
        // The mitigated run: same seed, events and building order, so every random number is shared.
        var paired: (result: DamageSimulationResult, comparison: MitigationComparison, notes: [String])?
        var mitigatedBuildings: [Building] = []
        if let mitigationScenario {
            let changesFire =
                mitigationScenario.fireproofing != nil || mitigationScenario.firebreaks != nil
                || mitigationScenario.breakerInstallation != nil || mitigationScenario.initialExtinguishment != nil
            guard baselineFire != nil || !changesFire else {
                throw InputError("\(mitigation!): the scenario changes fire measures, so run it with --fire")
            }
            let applied: MitigationScenario.Applied
            do {
                applied = try mitigationScenario.apply(
                    to: buildings, classes: baselineFire?.classes ?? buildings.map { $0.fireResistance ?? .bareWooden },
                    fire: fireInputs?.parameters ?? FireParameters(), knownTowns: Set(towns.map(\.code)),
                    directory: URL(fileURLWithPath: mitigation!).deletingLastPathComponent())
            } catch {
                throw InputError("\(error)")
            }
            mitigatedBuildings = applied.buildings
            phases.phase("preparing the mitigated run (\(mitigationScenario.name))")
            let mitigatedSimulation = try prepare(
                applied.buildings,
                fire: try fireModel(applied.buildings, applied.fire, firebreaks: applied.firebreakLines))
            let mitigated = try mitigatedSimulation.run(events: events, seed: seed) { done in
                reporter.report(events + done, of: total)
            }
            var counts: [String: Int] = [:]
            for building in buildings { counts[building.townCode ?? "", default: 0] += 1 }
            let people = Dictionary(
                towns.compactMap { town in
                    counts[town.code].map { (town.code, Double(town.population.total) / Double($0)) }
                },
                uniquingKeysWith: { a, _ in a })
            do {
                paired = (
                    mitigated,
                    try MitigationComparison(
                        scenario: mitigationScenario.name, baseline: result, mitigated: mitigated,
                        peoplePerBuilding: people),
                    applied.notes
                )
            } catch {
                throw InputError("\(error)")
            }
        }
        var spread: TimeSteppedSpread?
        if let event = fireOptions.spreadEvent, let coefficientsPath = fireOptions.spreadCoefficients,
            let baselineFire, let fire = result.fire
        {
            guard (0..<events).contains(event) else {
                throw InputError("--spread-event \(event) is not one of 0..<\(events)")
            }
            do {
                let coefficients = try SpreadTimeCoefficients.load(URL(fileURLWithPath: coefficientsPath))
                spread = try TimeSteppedSpread(
                    model: baselineFire, ignitions: fire.ignitions[event], coefficients: coefficients)
            } catch {
                throw InputError("\(error)")
            }
        }

        // Everything into a staging directory first, then switched into place: no half-written run,
        // and nothing deleted that refd did not write.
        phases.phase("writing the run to \(out)")
        try outputDirectory.write { staging in
            func write(_ text: String, _ name: String) throws {
                try Data(text.utf8).write(to: staging.appendingPathComponent(name))
            }
            try FileManager.default.createDirectory(
                at: staging.appendingPathComponent("inputs"), withIntermediateDirectories: true)
            try write(result.cellsCSV(), "cells.csv")
            try result.cellsGeoJSON().write(to: staging.appendingPathComponent("cells.geojson"))
            try write(result.townsCSV(), "towns.csv")
            try write(result.eventsCSV(), "events.csv")
            try write(result.buildingsCSV(buildings), "buildings.csv")
            try result.buildingsGeoJSON(buildings).write(to: staging.appendingPathComponent("buildings.geojson"))
            try GeoPackageWriter.write(
                result.geoPackageLayers(buildings), to: staging.appendingPathComponent("damage.gpkg"))
            try write(result.provenance.joined(separator: "\n") + "\n", "provenance.txt")
            if let fire = result.fire {
                try fire.footprintsGeoJSON(buildings: buildings, model: baselineFire!, events: 20)
                    .write(to: staging.appendingPathComponent("fire-footprints.geojson"))
            }
            if let spread {
                try write(
                    CSVTable.write(
                        header: ["minute", "buildings_burning_or_burnt", "footprint_area_m2"],
                        records: spread.steps.map {
                            [String(format: "%.0f", $0.minutes), String($0.buildings), String(format: "%.1f", $0.area)]
                        }),
                    "spread.csv")
            }
            if let paired, let mitigationScenario {
                // The name was checked when the scenario was read: one path component.
                let directory = "mitigation-\(mitigationScenario.name)"
                try FileManager.default.createDirectory(
                    at: staging.appendingPathComponent(directory), withIntermediateDirectories: false)
                try write(paired.result.cellsCSV(), "\(directory)/cells.csv")
                try write(paired.result.townsCSV(), "\(directory)/towns.csv")
                try write(paired.result.eventsCSV(), "\(directory)/events.csv")
                try write(paired.result.buildingsCSV(mitigatedBuildings), "\(directory)/buildings.csv")
                try write(
                    (paired.notes + paired.result.provenance).joined(separator: "\n") + "\n",
                    "\(directory)/provenance.txt")
                try write(paired.comparison.csv(), "comparison.csv")
                try Data(contentsOf: URL(fileURLWithPath: mitigation!)).write(
                    to: staging.appendingPathComponent("inputs/mitigation.json"))
            }
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
        }
        if let report {
            phases.phase("drawing the maps and writing the report to \(report)")
            try ScenarioReport(
                baseline: result, mitigation: paired, towns: towns, description: scenarioFile.description,
                attribution: [
                    "TOWN BOUNDARIES: E-STAT, 2020 CENSUS (STATISTICS BUREAU, MIC), PROCESSED",
                    "BUILDINGS: \(buildings.allSatisfy(\.isSynthetic) ? "SYNTHETIC, NOT REAL BUILDINGS" : "FROM THE DATABASE")"
                        + " | SCENARIO: \(scenarioFile.name.uppercased()) | SUGINAMIKIT",
                ]
            ).write(to: URL(fileURLWithPath: report))
        }

        for state in result.states {
            let total = result.expectedTotal(state) ?? 0
            let error = result.standardError(state) ?? 0
            print(
                "\(state.japaneseName) (\(state.rawValue)): \(String(format: "%.1f", total)) ± \(String(format: "%.1f", error)) "
                    + "(standard error) buildings expected of \(buildings.count)")
        }
        if let fire = result.fire {
            print(
                "焼失 (burnt): \(String(format: "%.1f", fire.expectedBurnt)) ± \(String(format: "%.1f", fire.standardError)) "
                    + "(standard error) buildings expected; fire deaths \(String(format: "%.1f", fire.townDeaths.reduce(0, +)))"
            )
        }
        if let paired {
            for measure in paired.comparison.measures {
                guard let d = paired.comparison.ward.differences[measure] else { continue }
                print(
                    "mitigation \(paired.comparison.scenario), \(measure.rawValue): \(String(format: "%.1f", d.baseline)) → "
                        + "\(String(format: "%.1f", d.mitigated)), fewer by \(String(format: "%.1f", d.reduction)) "
                        + "(95 % CI \(String(format: "%.1f", d.lower))–\(String(format: "%.1f", d.upper)))")
            }
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
