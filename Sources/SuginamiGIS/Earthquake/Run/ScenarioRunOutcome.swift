import Foundation
import SuginamiKit

/// What a ``ScenarioRun`` found, and the one way to write it.
public struct ScenarioRunOutcome: Sendable {
    /// How many sampled events `fire-footprints.geojson` shows: on the ward's real stock one
    /// event burns thousands of buildings, so five already make a file of tens of megabytes.
    public static let footprintEvents = 5

    /// The run's inputs, as read.
    public let run: ScenarioRun
    /// The buildings, in id order (the order of every per-building output).
    public let buildings: [Building]
    /// The baseline result.
    public let baseline: DamageSimulationResult
    /// The baseline's fire model (clusters, classes), when fire was simulated.
    public let baselineFire: FireModel?
    /// The mitigated run, when a mitigation scenario was given.
    public let mitigated: Mitigated?
    /// The time-stepped spread of one event, when asked for.
    public let spread: TimeSteppedSpread?
    /// How the burnt count moves with the fire assumptions, when fire was simulated.
    public let fireSensitivity: FireSensitivity?
    /// What each relief centre must take in against its capacity, when centres were given.
    public let shelterDemand: ShelterDemand?
    /// What `inputs/run.json` records.
    public let record: ScenarioRunRecord
    /// The occupancy (建物内滞留率) the collapse deaths were counted at.
    public let occupancy: Occupancy

    /// The mitigated run, paired with the baseline.
    public struct Mitigated: Sendable {
        /// Its result.
        public let result: DamageSimulationResult
        /// The differences from the baseline, with their ranges.
        public let comparison: MitigationComparison
        /// What the scenario changed (the changed buildings themselves are not kept: the scenario
        /// applied to the same buildings makes them again, as it is deterministic).
        public let notes: [String]
    }

    /// The kind of output directory a run writes (see `OutputDirectory`).
    public static let outputKind = "simulation-run"

    /// Writes the run into `directory`, all or nothing: staged beside it and switched into place
    /// when complete. The directory must be new, empty, or an earlier run written here.
    ///
    /// Files: `cells.csv` and `cells.geojson` (250 m mesh), `towns.csv` (町丁目, with deaths),
    /// `events.csv`, `survey-workload.csv` (the dwellings to survey by town and grade, when the
    /// fragility set gives all three states: ``SurveyWorkload``), `buildings.csv` and
    /// `buildings.geojson` (P per damage state), `damage.gpkg`
    /// (both layers), `provenance.txt` (every assumption and source), `fire-footprints.geojson`
    /// (the burnt buildings of the first ``footprintEvents`` sampled events),
    /// `fire-sensitivity.csv` (``FireSensitivity``) and `spread.csv` with fire,
    /// `shelter-demand.csv` (``ShelterDemand``) with relief centres, `comparison.csv` and `mitigation-NAME/` with a mitigation,
    /// and `inputs/` (copies of the input files and `run.json`, to replay the run).
    /// - Throws: `OutputDirectoryError` when the directory may not be replaced or the write
    ///   fails (or the error of the file that could not be written); nothing is changed then.
    /// - Parameters:
    ///   - directory: the output directory.
    ///   - progress: called with each file's name before it is written (the large ones take tens
    ///     of seconds at a million buildings).
    public func write(to directory: URL, progress: ((String) -> Void)? = nil) throws {
        try OutputDirectory(directory, kind: Self.outputKind).write { staging in
            func write(_ text: String, _ name: String) throws {
                progress?(name)
                try Data(text.utf8).write(to: staging.appendingPathComponent(name))
            }
            try FileManager.default.createDirectory(
                at: staging.appendingPathComponent("inputs"), withIntermediateDirectories: true)
            try write(baseline.cellsCSV(), "cells.csv")
            try baseline.cellsGeoJSON().write(to: staging.appendingPathComponent("cells.geojson"))
            try write(baseline.townsCSV(), "towns.csv")
            try write(baseline.eventsCSV(), "events.csv")
            if let workload = try? SurveyWorkload(result: baseline) {
                try write(workload.csv(), "survey-workload.csv")
            }
            // Per-building files are written a row at a time: a million buildings never sit in
            // memory as one string.
            progress?("buildings.csv")
            try baseline.writeBuildingsCSV(buildings, to: staging.appendingPathComponent("buildings.csv"))
            progress?("buildings.geojson")
            try baseline.writeBuildingsGeoJSON(buildings, to: staging.appendingPathComponent("buildings.geojson"))
            progress?("damage.gpkg")
            try GeoPackageWriter.write(
                baseline.geoPackageLayers(buildings), to: staging.appendingPathComponent("damage.gpkg"))
            try write(
                (baseline.provenance + (fireSensitivity?.provenance ?? []) + (shelterDemand?.provenance ?? []))
                    .joined(separator: "\n") + "\n",
                "provenance.txt")
            if let fire = baseline.fire, let baselineFire {
                progress?("fire-footprints.geojson")
                try fire.writeFootprintsGeoJSON(
                    buildings: buildings, model: baselineFire, events: Self.footprintEvents,
                    to: staging.appendingPathComponent("fire-footprints.geojson"))
            }
            if let spread {
                try write(spread.csv(), "spread.csv")
            }
            if let fireSensitivity {
                try write(fireSensitivity.csv(), "fire-sensitivity.csv")
            }
            if let shelterDemand {
                try write(shelterDemand.csv(), "shelter-demand.csv")
            }
            if let mitigated {
                // The name was checked when the scenario was read: one path component.
                let folder = "mitigation-\(mitigated.comparison.scenario)"
                try FileManager.default.createDirectory(
                    at: staging.appendingPathComponent(folder), withIntermediateDirectories: false)
                try write(mitigated.result.cellsCSV(), "\(folder)/cells.csv")
                try write(mitigated.result.townsCSV(), "\(folder)/towns.csv")
                try write(mitigated.result.eventsCSV(), "\(folder)/events.csv")
                // A mitigation changes classes, never ids or positions: the file takes the baseline's.
                try mitigated.result.writeBuildingsCSV(
                    buildings, to: staging.appendingPathComponent("\(folder)/buildings.csv"))
                try write(
                    (mitigated.notes + mitigated.result.provenance).joined(separator: "\n") + "\n",
                    "\(folder)/provenance.txt")
                try write(mitigated.comparison.csv(), "comparison.csv")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(run.scenario).write(to: staging.appendingPathComponent("inputs/scenario.json"))
            for (name, data) in run.copies { try data.write(to: staging.appendingPathComponent("inputs/\(name)")) }
            try encoder.encode(record).write(to: staging.appendingPathComponent("inputs/run.json"))
        }
    }

    /// The report (maps and HTML in Japanese and English) for this run over `towns`.
    public func report(towns: [Town]) -> ScenarioReport {
        ScenarioReport(
            baseline: baseline, mitigation: mitigated.map { ($0.result, $0.comparison, $0.notes) }, towns: towns,
            description: run.scenario.description,
            attribution: [
                "町丁目：「令和2年国勢調査町丁・字等別境界データ」（総務省統計局）を加工して作成",
                "建物：\(Self.buildingsCredit(buildings))　想定：\(run.scenario.name)（断層は仮定）　SuginamiKit",
            ], buildings: ScenarioReport.BuildingsKind(buildings), fireSensitivity: fireSensitivity,
            shelterDemand: shelterDemand, occupancy: occupancy, fireParameters: baselineFire?.parameters)
    }
}

extension ScenarioRunOutcome {
    /// What the maps say of the buildings: synthetic, PLATEAU's footprints with assumed
    /// attributes (its CC BY 4.0 credit), or a database's records.
    static func buildingsCredit(_ buildings: [Building]) -> String {
        switch ScenarioReport.BuildingsKind(buildings) {
        case .synthetic: "合成データ（実在しない建物） synthetic, not real buildings"
        case .realFootprintsAssumedAttributes:
            "「3D都市モデル（Project PLATEAU）東京都23区（2020年度）」（国土交通省）を加工して作成（CC BY 4.0）、構造・建築年は仮定"
        case .register: "データベースの建物台帳"
        }
    }
}

/// What a run records in `inputs/run.json`: its configuration, with the input files pointing at
/// their copies beside the record, and the buildings it ran over. ``replayConfiguration(in:)``
/// turns it back into a configuration that runs again to the same results (given the same
/// buildings).
public struct ScenarioRunRecord: Sendable, Hashable, Codable {
    /// The configuration, paths relative to the run's directory (or absolute).
    public var configuration: ScenarioRunConfiguration
    /// The number of buildings.
    public var buildings: Int
    /// Where the buildings came from (a database path).
    public var buildingSource: String

    /// Creates a record.
    public init(configuration: ScenarioRunConfiguration, buildings: Int, buildingSource: String) {
        self.configuration = configuration
        self.buildings = buildings
        self.buildingSource = buildingSource
    }

    /// Reads `inputs/run.json` of the run in `directory`.
    /// - Throws: `InputFileError` for a missing or unreadable record.
    public static func read(runDirectory directory: URL) throws(InputFileError) -> ScenarioRunRecord {
        let url = directory.appendingPathComponent("inputs/run.json")
        let data = try InputFile.data(url, limit: 1 << 20)
        do {
            return try JSONDecoder().decode(ScenarioRunRecord.self, from: data)
        } catch {
            throw InputFileError(file: url.path, location: .file, reason: "not a run record: \(error)")
        }
    }

    /// The configuration with its relative paths resolved against the run's `directory`.
    public func replayConfiguration(in directory: URL) -> ScenarioRunConfiguration {
        func resolve(_ path: String?) -> String? {
            guard let path else { return nil }
            return path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
        }
        var configuration = configuration
        configuration.scenario = resolve(configuration.scenario)!
        configuration.fragility = resolve(configuration.fragility)
        configuration.site = resolve(configuration.site)
        configuration.mitigation = resolve(configuration.mitigation)
        if var fire = configuration.fire {
            fire.ignitionRates = resolve(fire.ignitionRates)
            fire.spreadDistances = resolve(fire.spreadDistances)
            fire.spreadCoefficients = resolve(fire.spreadCoefficients)
            configuration.fire = fire
        }
        return configuration
    }
}
