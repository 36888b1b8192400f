import Foundation
import SuginamiKit

/// A whole earthquake scenario run, as one call: the baseline damage (and fire), the mitigated
/// run paired with it on the same random numbers with the comparison, the time-stepped spread
/// of one event, and the run's files written all or nothing.
///
/// ```swift
/// var configuration = ScenarioRunConfiguration(scenario: "tokyo-bay-north-m7.3", events: 500)
/// configuration.fire = .init()
/// configuration.mitigation = "retrofit.json"
/// let run = try ScenarioRun(configuration)             // reads every file, or throws InputFileError
/// let outcome = try await run.run(buildings: buildings, towns: towns) { print($0) }
/// try outcome.write(to: URL(fileURLWithPath: "quake-out"))
/// ```
///
/// ``run(buildings:towns:buildingSource:progress:)`` is async and cancellable: the work runs on
/// its own thread (and on all cores through Dispatch), never on Swift's cooperative pool, so the
/// caller's other tasks keep running; cancelling the task stops the events within a chunk.
public struct ScenarioRun: Sendable {
    /// What decided the run.
    public let configuration: ScenarioRunConfiguration
    /// The scenario read.
    public let scenario: ScenarioFile
    /// The damage functions.
    public let fragility: FragilitySet
    /// The site model.
    public let site: SiteModel
    /// The fire inputs read, if fire is simulated.
    public let fire: FireInputs?
    /// The mitigation scenario read, if any.
    public let mitigation: MitigationScenario?
    /// The text of each input file read, by the name it gets under `inputs/` of the output.
    let copies: [String: Data]

    /// The fire inputs, read from their files.
    public struct FireInputs: Sendable {
        /// The parameters, with the non-collapse rates read.
        public let parameters: FireParameters
        /// Spread-limit distances.
        public let distances: SpreadDistances
        /// Fire-resistance classes for buildings without one.
        public let rule: FireClassRule
        /// The time-stepped spread asked for.
        public let spread: (event: Int, coefficients: SpreadTimeCoefficients)?
    }

    /// Reads every file the configuration names and checks every value.
    /// - Throws: `InputFileError` naming the file (or `configuration`), the place, the field
    ///   and the reason; nothing has been run.
    public init(_ configuration: ScenarioRunConfiguration) throws(InputFileError) {
        try configuration.validate()
        self.configuration = configuration
        var copies: [String: Data] = [:]
        scenario = try EarthquakeInputs.scenario(configuration.scenario)
        if let path = configuration.fragility {
            let read = try EarthquakeInputs.fragility(URL(fileURLWithPath: path))
            fragility = read.set
            copies["fragility.csv"] = Data(read.text.utf8)
        } else {
            do {
                fragility = try FragilitySet.bundledDefault()
            } catch {
                throw error.inputFileError
            }
        }
        if let path = configuration.site {
            let read = try EarthquakeInputs.site(URL(fileURLWithPath: path), convention: configuration.siteConvention)
            site = read.model
            copies["site.csv"] = Data(read.text.utf8)
        } else {
            do {
                site = try SiteModel.bundledSuginami()
            } catch {
                throw error.inputFileError
            }
        }
        if let settings = configuration.fireAtTheHour {
            var parameters = settings.parameters
            if let path = settings.ignitionRates {
                let url = URL(fileURLWithPath: path)
                parameters.nonCollapseRates = try EarthquakeInputs.ignitionRates(url)
                copies["ignition-rates.csv"] = try InputFile.data(url)
            }
            let distances: SpreadDistances
            do {
                if let path = settings.spreadDistances {
                    let url = URL(fileURLWithPath: path)
                    distances = try EarthquakeInputs.spreadDistances(url)
                    copies["spread-distances.csv"] = try InputFile.data(url)
                } else {
                    distances = try SpreadDistances.bundledDefault()
                }
                let rule = try settings.fireClasses.map { text throws(FireInputError) in
                    try FireClassRule(parsing: text)
                }
                var spread: (Int, SpreadTimeCoefficients)?
                if let event = settings.spreadEvent, let path = settings.spreadCoefficients {
                    let url = URL(fileURLWithPath: path)
                    spread = (event, try EarthquakeInputs.spreadCoefficients(url))
                    copies["spread-coefficients.json"] = try InputFile.data(url)
                }
                fire = FireInputs(
                    parameters: try parameters.validated(), distances: distances, rule: rule ?? FireClassRule(),
                    spread: spread)
            } catch let error as FireInputError {
                throw error.inputFileError
            } catch let error as InputFileError {
                throw error
            } catch {
                throw InputFileError(file: "configuration", location: .file, field: "fire", reason: "\(error)")
            }
        } else {
            fire = nil
        }
        if let path = configuration.mitigation {
            let url = URL(fileURLWithPath: path)
            let scenario = try EarthquakeInputs.mitigation(url)
            let changesFire =
                scenario.fireproofing != nil || scenario.firebreaks != nil || scenario.breakerInstallation != nil
                || scenario.initialExtinguishment != nil
            guard fire != nil || !changesFire else {
                throw InputFileError(
                    file: path, location: .file,
                    reason: "the scenario changes fire measures, so the run needs fire (refd: --fire)")
            }
            mitigation = scenario
            copies["mitigation.json"] = try InputFile.data(url)
        } else {
            mitigation = nil
        }
        self.copies = copies
    }

    /// What a run reports while it works.
    public enum Progress: Sendable, Hashable {
        /// A long step without a count began (reading, linking fire clusters, writing).
        case phase(String)
        /// Events done of the total (the mitigated run's events count after the baseline's).
        case events(done: Int, total: Int)
    }

    /// Runs the scenario over `buildings` (any order: they are taken in id order, so equal seeds
    /// give equal results) with `towns` for populations and town names.
    /// - Parameters:
    ///   - buildings: the buildings (a ward's, from a store or a register).
    ///   - towns: the towns (町丁目) the buildings lie in.
    ///   - buildingSource: where the buildings came from, for the run record (a database path).
    ///   - progress: called from any thread.
    /// - Throws: `CancellationError` when the task is cancelled, `InputFileError` for a
    ///   mitigation scenario that names a town `towns` lacks, ``SimulationError`` for
    ///   buildings the engine cannot class, ``FireInputError`` for buildings without a fire class.
    public func run(
        buildings: [Building], towns: [Town], reliefCentres: [Facility] = [], buildingSource: String = "",
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> ScenarioRunOutcome {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // Its own thread: minutes of CPU-bound work must not hold a cooperative thread.
                let thread = Thread {
                    continuation.resume(
                        with: Result {
                            try self.runHere(
                                buildings: buildings, towns: towns, reliefCentres: reliefCentres,
                                buildingSource: buildingSource, progress: progress, stop: stop)
                        })
                }
                thread.stackSize = 16 << 20
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
    }

    /// Events each variant of the fire sensitivity runs (fewer when the run has fewer): the
    /// variants share the run's random numbers, so 200 events rank the assumptions clearly.
    public static let sensitivityEvents = 200

    /// The run on the calling thread.
    func runHere(
        buildings unordered: [Building], towns: [Town], reliefCentres: [Facility] = [], buildingSource: String,
        progress: (@Sendable (Progress) -> Void)?, stop: StopFlag
    ) throws -> ScenarioRunOutcome {
        guard !unordered.isEmpty else { throw SimulationError.parameter("no buildings to simulate") }
        // A store gives them ordered already: keep that array rather than hold a sorted copy too.
        let isOrdered = zip(unordered, unordered.dropFirst()).allSatisfy { $0.id < $1.id }
        let buildings = isOrdered ? unordered : unordered.sorted { $0.id < $1.id }
        let events = configuration.events
        let seed = configuration.seed
        let nightPopulation = try configuration.nightPopulation()
        let occupancy = try configuration.occupancy()
        let evacuees = try configuration.evacueeFormula()
        let shouldStop: @Sendable () -> Bool = { stop.isSet }
        func check() throws { if stop.isSet { throw CancellationError() } }
        func prepare(_ buildings: [Building], fire: FireModel?) throws -> DamageSimulation {
            try DamageSimulation(
                scenario: try scenario.scenario(), buildings: buildings, fragility: fragility, site: site,
                nightPopulation: nightPopulation, occupancy: occupancy, fire: fire)
        }
        func fireModel(_ buildings: [Building], _ parameters: FireParameters, firebreaks: [[GeoPoint]] = [])
            throws -> FireModel?
        {
            guard let fire else { return nil }
            return try FireModel(
                buildings: buildings, parameters: parameters, distances: fire.distances, rule: fire.rule,
                firebreakLines: firebreaks,
                firebreakDescription: "\(firebreaks.count) lines from the mitigation scenario")
        }
        func simulate(_ simulation: DamageSimulation, offset: Int, total: Int) throws -> DamageSimulationResult {
            var counter: (@Sendable (Int) -> Void)?
            if let progress {
                counter = { done in progress(.events(done: offset + done, total: total)) }
            }
            do {
                return try simulation.run(events: events, seed: seed, progress: counter, shouldStop: shouldStop)
            } catch SimulationError.cancelled {
                throw CancellationError()
            }
        }

        // The suppression formula's area, when not given: the towns the run covers.
        var fireParameters = fire?.parameters ?? FireParameters()
        if var inputs = fireParameters.serviceSuppression, inputs.area == nil {
            let area = towns.reduce(0) { $0 + $1.boundary.approximateArea }
            guard area > 0 else {
                throw InputFileError(
                    file: "configuration", location: .file, field: "area",
                    reason: "the suppression formula needs the area, and no town with an outline was given")
            }
            inputs.area = area
            inputs.areaIsTheTowns = true
            fireParameters.serviceSuppression = inputs
        }
        if fire != nil { progress?(.phase("linking \(buildings.count) buildings into fire-spread clusters")) }
        let baselineFire = try fireModel(buildings, fireParameters)
        try check()
        let total = events * (mitigation == nil ? 1 : 2)
        let baseline = try simulate(try prepare(buildings, fire: baselineFire), offset: 0, total: total)

        var mitigated: ScenarioRunOutcome.Mitigated?
        if let mitigation, let path = configuration.mitigation {
            // The changed buildings live only while the mitigated run is prepared: the prepared run
            // keeps what it needs, and the copy (15 MB at ward scale) would otherwise sit through
            // the run, this command's peak.
            func prepareMitigated() throws -> (DamageSimulation, notes: [String]) {
                let applied: MitigationScenario.Applied
                do {
                    applied = try mitigation.apply(
                        to: buildings,
                        classes: baselineFire?.classes ?? buildings.map { $0.fireResistance ?? .bareWooden },
                        fire: fireParameters, knownTowns: Set(towns.map(\.code)),
                        directory: URL(fileURLWithPath: path).deletingLastPathComponent())
                } catch {
                    var problem = error.inputFileError
                    problem.file = path
                    throw problem
                }
                progress?(.phase("preparing the mitigated run (\(mitigation.name))"))
                let simulation = try prepare(
                    applied.buildings,
                    fire: try fireModel(applied.buildings, applied.fire, firebreaks: applied.firebreakLines))
                return (simulation, applied.notes)
            }
            let (simulation, notes) = try prepareMitigated()
            try check()
            // Same seed, events and building order: every random number is shared with the baseline.
            let result = try simulate(simulation, offset: events, total: total)
            let comparison = try MitigationComparison(
                scenario: mitigation.name, baseline: baseline, mitigated: result,
                peoplePerBuilding: Self.peoplePerBuilding(buildings, towns: towns), formula: evacuees)
            mitigated = .init(result: result, comparison: comparison, notes: notes)
        }

        var spread: TimeSteppedSpread?
        if let request = fire?.spread, let baselineFire, let burnt = baseline.fire {
            progress?(.phase("following the spread of event \(request.event) minute by minute"))
            spread = try TimeSteppedSpread(
                model: baselineFire, ignitions: burnt.ignitions[request.event], coefficients: request.coefficients)
        }
        var sensitivity: FireSensitivity?
        if let fire, let baselineFire, let burnt = baseline.fire {
            let sample = min(events, Self.sensitivityEvents)
            progress?(.phase("measuring how the burnt count moves with the fire assumptions (\(sample) events each)"))
            sensitivity = try FireSensitivity.measure(
                parameters: baselineFire.parameters, distances: fire.distances,
                baseline: burnt.eventBurnt.prefix(sample).reduce(0, +) / Double(sample), events: sample,
                model: { parameters, distances in
                    try check()
                    return try FireModel(
                        buildings: buildings, parameters: parameters, distances: distances, rule: fire.rule)
                },
                simulate: { model in
                    do {
                        let result = try prepare(buildings, fire: model).run(
                            events: sample, seed: seed, shouldStop: shouldStop)
                        return result.fire?.expectedBurnt ?? 0
                    } catch SimulationError.cancelled {
                        throw CancellationError()
                    }
                })
        }
        let demand = ShelterDemand(
            result: baseline, buildings: buildings, peoplePerBuilding: Self.peoplePerBuilding(buildings, towns: towns),
            centres: reliefCentres, formula: evacuees)
        return ScenarioRunOutcome(
            run: self, buildings: buildings, baseline: baseline, baselineFire: baselineFire, mitigated: mitigated,
            spread: spread, fireSensitivity: sensitivity, shelterDemand: demand,
            record: ScenarioRunRecord(
                configuration: recordedConfiguration(), buildings: buildings.count, buildingSource: buildingSource),
            occupancy: occupancy)
    }

    /// People per building in each town: the town's census population over its buildings (the
    /// comparison's deaths and people affected use it).
    public static func peoplePerBuilding(_ buildings: [Building], towns: [Town]) -> [String: Double] {
        var counts: [String: Int] = [:]
        for building in buildings { counts[building.townCode ?? "", default: 0] += 1 }
        var people: [String: Double] = [:]
        for town in towns where people[town.code] == nil {
            guard let count = counts[town.code] else { continue }
            people[town.code] = Double(town.population.total) / Double(count)
        }
        return people
    }

    /// The configuration as the output records it: input files point at their copies under
    /// `inputs/`, except the mitigation scenario, whose firebreak files are found beside it.
    func recordedConfiguration() -> ScenarioRunConfiguration {
        var recorded = configuration
        recorded.scenario = "inputs/scenario.json"
        // The hour as the run took it, however it was given: a replay must not depend on defaults.
        recorded.hour = configuration.effectiveHour
        recorded.fire = configuration.fireAtTheHour
        if copies["fragility.csv"] != nil { recorded.fragility = "inputs/fragility.csv" }
        if copies["site.csv"] != nil { recorded.site = "inputs/site.csv" }
        if copies["ignition-rates.csv"] != nil { recorded.fire?.ignitionRates = "inputs/ignition-rates.csv" }
        if copies["spread-distances.csv"] != nil { recorded.fire?.spreadDistances = "inputs/spread-distances.csv" }
        if copies["spread-coefficients.json"] != nil {
            recorded.fire?.spreadCoefficients = "inputs/spread-coefficients.json"
        }
        if let path = configuration.mitigation {
            recorded.mitigation = URL(fileURLWithPath: path).standardizedFileURL.path
        }
        return recorded
    }
}

/// A flag set once from any thread (a task's cancellation), read by the workers.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
