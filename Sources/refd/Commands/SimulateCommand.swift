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
            inputs/ (copies of the input files and run.json, to replay the run).
            Bundled scenarios: \(ScenarioFile.bundledNames.joined(separator: ", ")).
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "A bundled scenario's name or a scenario JSON file.")
    var scenario: String

    @Option(help: "Number of events.")
    var events = ScenarioRunConfiguration.defaultEvents

    @Option(help: "Random seed; equal seeds give equal results.")
    var seed = ScenarioRunConfiguration.defaultSeed

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

    @Option(
        help:
            "Site data: CSV of mesh_code,avs30 or mesh_code,amplification (default: the bundled DERIVED per-cell factors)."
    )
    var site: String?

    @Option(help: "AVS30 convention for --site: fujimoto-midorikawa-2006 or midorikawa-1994.")
    var siteConvention = ScenarioRunConfiguration.defaultSiteConvention

    @Option(
        help: ArgumentHelp(
            "Night-time (5 a.m.) population in wooden buildings, for non-wooden deaths (TMG 2022).",
            discussion: "Give both night populations or neither; without them non-wooden deaths are not computed."))
    var nightPopulationWooden: Double?

    @Option(help: "Night-time (5 a.m.) population in non-wooden buildings (with --night-population-wooden).")
    var nightPopulationNonWooden: Double?

    @Option(
        help: ArgumentHelp(
            "Hour of the event, 0–23: the occupancy of the collapse deaths and, with --fire, ignition.",
            discussion: """
                Occupancy (建物内滞留率, relative to 5 a.m.): 1 at 5 h; \(String(format: "%.3f", Occupancy.Derivation.midday)) \
                at 10–15 h and \(String(format: "%.3f", Occupancy.Derivation.evening)) at 18 h, DERIVED from TMG's \
                published table; at other hours none was found and the 5 a.m. \
                occupancy stands in (the summary says so) unless --occupancy-wooden/--occupancy-non-wooden are given.
                """))
    var hour = 5

    @Option(help: "People in wooden buildings at --hour relative to 5 a.m. (with --occupancy-non-wooden).")
    var occupancyWooden: Double?

    @Option(help: "People in non-wooden buildings at --hour relative to 5 a.m. (with --occupancy-wooden).")
    var occupancyNonWooden: Double?

    @Option(
        help: ArgumentHelp(
            "Share of residents not displaced by damage who evacuate for lack of water or lifts, 0–1.",
            discussion: """
                The lifeline term of TMG's evacuee formula (断水・エレベーター停止): TMG's rates by time after \
                the event were not found, so there is no default, and without it evacuees and shelter demand \
                are a floor.
                """))
    var lifelineEvacuation: Double?

    @OptionGroup(title: "Fire") var fireOptions: FireOptions

    @Option(
        help: ArgumentHelp(
            "Survey teams (住家被害認定調査) for the workload estimate (with --survey-rate).",
            discussion:
                "The run always writes survey-workload.csv; with both options it also says how many days the teams need."
        ))
    var surveyTeams: Int?

    @Option(
        help: ArgumentHelp(
            "Dwellings one survey team judges in a day (with --survey-teams).",
            discussion: "No published figure is built in: give your own, e.g. from a drill."))
    var surveyRate: Double?

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
        if let report, URL(fileURLWithPath: report).standardizedFileURL == URL(fileURLWithPath: out).standardizedFileURL
        {
            throw ValidationError("--report and --out name the same directory; give each its own")
        }
        if (surveyTeams == nil) != (surveyRate == nil) {
            throw ValidationError("--survey-teams and --survey-rate go together: give both or neither")
        }
        if let surveyTeams, let surveyRate {
            // The same check the workload makes, before minutes of simulation rather than after.
            do {
                _ = try SurveyWorkload.checkPlan(teams: surveyTeams, buildingsPerTeamDay: surveyRate)
            } catch {
                throw ValidationError("--survey-teams/--survey-rate: \(error)")
            }
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("\(Self.option(for: error.field)): \(error.reason)")
        }
    }

    /// The option that sets a configuration field, for messages.
    static func option(for field: String?) -> String {
        let options = [
            "events": "--events", "nightPopulation": "--night-population-wooden/--night-population-non-wooden",
            "spreadEvent": "--spread-event", "windSpeed": "--wind", "windFrom": "--wind-from", "hour": "--hour",
            "occupancy": "--occupancy-wooden/--occupancy-non-wooden",
            "hourCoefficient": "--hour-coefficient", "season": "--season", "seasonCoefficient": "--season-coefficient",
            "breakerInstallation": "--breakers", "initialExtinguishment": "--initial-extinguishment",
            "suppression": "--suppression", "nonCollapseIgnitionPerCollapse": "--non-collapse-ignition",
            "windReachFactor": "--wind-reach", "waterSources": "--water-sources",
            "responseMinutes": "--response-minutes", "lifelineEvacuationShare": "--lifeline-evacuation",
        ]
        return field.flatMap { options[$0] } ?? field ?? "the options"
    }

    /// The run as the library takes it.
    var configuration: ScenarioRunConfiguration {
        ScenarioRunConfiguration(
            scenario: scenario, events: events, seed: seed, fragility: fragility, site: site,
            siteConvention: siteConvention, nightPopulationWooden: nightPopulationWooden,
            nightPopulationNonWooden: nightPopulationNonWooden, hour: hour, occupancyWooden: occupancyWooden,
            occupancyNonWooden: occupancyNonWooden, lifelineEvacuationShare: lifelineEvacuation,
            fire: fireOptions.configuration(hour: hour), mitigation: mitigation)
    }

    func run() async throws {
        // Refuse an output that may not be replaced before minutes of work, not after.
        try checkOutput(OutputDirectory(URL(fileURLWithPath: out), kind: ScenarioRunOutcome.outputKind), "--out")
        if let report {
            try checkOutput(OutputDirectory(URL(fileURLWithPath: report), kind: ScenarioReport.outputKind), "--report")
        }
        let run = try ScenarioRun(configuration)
        let phases = ProgressReporter(label: "", style: progress)
        phases.phase("reading the buildings of \(store.database)")
        let database = try await store.openExisting()
        let buildings = try await database.buildings()
        guard !buildings.isEmpty else {
            throw InputError("\(store.database) holds no buildings; run `refd load` first")
        }
        let towns = try await database.towns()
        let centres = try await database.facilities(kinds: [.reliefCentre])
        let events = ProgressReporter(label: "events", style: progress)
        let outcome = try await run.run(
            buildings: buildings, towns: towns, reliefCentres: centres, buildingSource: store.database
        ) { step in
            switch step {
            case .phase(let text): phases.phase(text)
            case .events(let done, let total): events.report(done, of: total)
            }
        }
        phases.phase("writing the run to \(out)")
        try outcome.write(to: URL(fileURLWithPath: out)) { phases.phase("writing \(out)/\($0)") }
        if let report {
            phases.phase("drawing the maps and writing the report to \(report)")
            try outcome.report(towns: towns).write(to: URL(fileURLWithPath: report))
        }
        printSummary(outcome)
    }

    /// What suppression the run modelled, for the summary.
    static func suppressionLabel(_ parameters: FireParameters) -> String {
        let share = String(format: "%.1f %%", parameters.effectiveSuppression * 100)
        if parameters.serviceSuppression != nil {
            return "fire services and corps stop \(share) of flaming fires, TMG's formula on the given inputs"
        }
        return parameters.suppression == 0
            ? "no fire-service suppression: its inputs are not bundled (--water-sources, --response-minutes)"
            : "fire services stop \(share) of flaming fires, as given"
    }

    /// The expected totals, the comparison and the deaths, one line each.
    func printSummary(_ outcome: ScenarioRunOutcome) {
        let result = outcome.baseline
        let count = outcome.buildings.count
        for state in result.states {
            let total = result.expectedTotal(state) ?? 0
            let error = result.standardError(state) ?? 0
            print(
                "\(state.japaneseName) (\(state.rawValue)): \(String(format: "%.1f", total)) ± \(String(format: "%.1f", error)) "
                    + "(standard error) buildings expected of \(count)")
        }
        if let fire = result.fire, let parameters = fireOptions.configuration(hour: hour)?.parameters {
            let ignition =
                fireOptions.ignitionRates != nil
                ? "non-collapse ignition from the given table"
                : parameters.modelsNonCollapseIgnition
                    ? (parameters.nonCollapseIgnitionPerCollapse == nil
                        ? "non-collapse ignition DERIVED from TMG 2022's totals" : "non-collapse ignition as given")
                    : "a FLOOR: only collapse-driven ignition"
            print(
                "焼失 (burnt): \(String(format: "%.1f", fire.expectedBurnt)) ± \(String(format: "%.1f", fire.standardError)) "
                    + "(standard error) buildings expected; fire deaths \(String(format: "%.1f", fire.townDeaths.reduce(0, +)))"
                    + " (\(ignition); wind \(parameters.windSpeed) m/s stretching spread ×"
                    + "\(String(format: "%.2f", parameters.effectiveWindReachFactor)) downwind, "
                    + (parameters.windReachFactor == nil ? "ASSUMED; " : "as given; ")
                    + Self.suppressionLabel(outcome.baselineFire?.parameters ?? parameters) + ")")
        }
        print(
            "± is Monte Carlo noise only: the assumptions (fragility, site, ignition, spread distances, wind) move the "
                + "figures far more; provenance.txt lists each")
        if let comparison = outcome.mitigated?.comparison {
            for measure in comparison.measures {
                guard let d = comparison.ward.differences[measure] else { continue }
                print(
                    "mitigation \(comparison.scenario), \(measure.rawValue): \(String(format: "%.1f", d.baseline)) → "
                        + "\(String(format: "%.1f", d.mitigated)), fewer by \(String(format: "%.1f", d.reduction)) "
                        + "(95 % CI \(String(format: "%.1f", d.lower))–\(String(format: "%.1f", d.upper)))")
            }
        }
        if let workload = try? SurveyWorkload(result: result) {
            var line =
                "住家被害認定調査 (first pass): \(workload.isLowerBound ? "at least " : "")"
                + "\(String(format: "%.0f", workload.toSurvey.mean)) dwellings to survey "
                + "(95th percentile \(String(format: "%.0f", workload.toSurvey.p95)))"
                + (workload.isLowerBound
                    ? " (the fragility set gives no 半壊: those \(workload.surveyedState.japaneseName) only)" : "")
                + ", by town in survey-workload.csv"
            if let surveyTeams, let surveyRate,
                let days = try? workload.days(teams: surveyTeams, buildingsPerTeamDay: surveyRate)
            {
                line +=
                    "; \(surveyTeams) teams at \(surveyRate) a day: \(days.expected) days (\(days.p95) at the 95th percentile)"
            }
            print(line)
        }
        let occupancy = outcome.occupancy
        let at = "\(occupancy.hour) h, occupancy \(occupancy.summary)"
        let deaths = result.towns.compactMap(\.woodenDeaths).reduce(0, +)
        print("deaths in wooden collapses (\(at)): \(String(format: "%.1f", deaths))")
        let nonWooden = result.towns.compactMap(\.nonWoodenDeaths)
        print(
            "deaths in non-wooden collapses (\(at)): "
                + (nonWooden.isEmpty
                    ? "not computed (give --night-population-wooden and --night-population-non-wooden)"
                    : String(format: "%.1f", nonWooden.reduce(0, +))))
        if occupancy.basis == .fiveAMStandIn {
            // The deaths must not read as the hour's: no ratio is known for it.
            print(
                "note: no occupancy was found for \(occupancy.hour) h, so the deaths above are those of a 5 a.m. "
                    + "event (give --occupancy-wooden and --occupancy-non-wooden)"
                    + (fireOptions.fire ? "; fire deaths use an indoor ratio of 1" : ""))
        }
        print(
            "\(result.cells.count) cells, \(result.towns.count) towns, \(events) events, seed \(seed); results in \(out)"
        )
    }
}

extension SiteAmplification.Convention: ExpressibleByArgument {}
