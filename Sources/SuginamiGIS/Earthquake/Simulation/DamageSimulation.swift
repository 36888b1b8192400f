#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Foundation
import SuginamiKit

/// An earthquake scenario's building-damage simulation (地震被害想定, ゆれによる建物被害): ground
/// motion on the 250 m mesh by ``SiMidorikawa1999`` with between- and within-event variability
/// (spatially correlated by ``JayaramBaker2009``), JMA intensity, and damage by a
/// ``FragilitySet``, over many events, aggregated as they stream (the event × building matrix is
/// never held).
///
/// Buildings in the same cell and class share their hazard and damage function, so the event
/// loop runs over cells × classes and buildings are a lookup: the same attachment OpenQuake's
/// grid mode makes. Deterministic for a seed, whatever the number of cores: random numbers are
/// keyed by (seed, event, cell) (``CounterRandom``) and events are summed in fixed chunks in
/// order.
public struct DamageSimulation: Sendable {
    /// The scenario.
    public struct Scenario: Sendable {
        /// A name for reports.
        public var name: String
        /// The rupture.
        public var rupture: PlanarRupture
        /// The ground-motion model (its type must match the rupture's): ``SiMidorikawa1999``, or
        /// a municipality's own through ``GroundMotionModel``.
        public var model: any GroundMotionModel
        /// σ_within / σ_between: the model gives only a total σ; τ = σ/√(1+r²), φ = r τ, as
        /// OpenQuake's `add_between_within_stds`. 1.5 by default, an assumption (as OpenQuake's
        /// own scenario test case_32).
        public var withinBetweenRatio: Double
        /// Residuals are truncated at this many standard deviations (3, as the peer job).
        public var truncation: Double
        /// Spatially correlate the within-event residuals (JB2009 for PGV).
        public var correlated: Bool
        /// How, when ``correlated``: ``CholeskyCorrelation`` (the default) or
        /// ``CirculantEmbeddingCorrelation``, or a municipality's own ``CorrelationMethod``.
        public var correlation: any CorrelationMethod = CholeskyCorrelation()
        /// Where the scenario's values come from and what was assumed, for the run's provenance.
        public var notes: [String]

        /// Creates a scenario.
        public init(
            name: String, rupture: PlanarRupture, model: any GroundMotionModel, withinBetweenRatio: Double = 1.5,
            truncation: Double = 3, correlated: Bool = true, notes: [String] = []
        ) {
            self.notes = notes
            self.name = name
            self.rupture = rupture
            self.model = model
            self.withinBetweenRatio = withinBetweenRatio
            self.truncation = truncation
            self.correlated = correlated
        }
    }

    /// Night-time (5 a.m.) populations in wooden and non-wooden buildings (夜間人口 P_w0, P_n0),
    /// which TMG's non-wooden death rate needs; no default, because none is published for a
    /// municipality's own inventory.
    public struct NightPopulation: Sendable, Hashable {
        /// People in wooden buildings.
        public var wooden: Double
        /// People in non-wooden buildings.
        public var nonWooden: Double

        /// The populations accepted: at least one person (a smaller count is a unit mistake, and a
        /// subnormal one made every rate infinite), at most Tokyo's population ten times over.
        public static let acceptedRange = 1.0...140_000_000.0

        /// Creates populations.
        /// - Throws: ``SimulationError/parameter(_:)`` unless both lie in ``acceptedRange``.
        public init(wooden: Double, nonWooden: Double) throws(SimulationError) {
            guard Self.acceptedRange.contains(wooden), Self.acceptedRange.contains(nonWooden) else {
                throw .parameter(
                    "night populations must be 1 to 140,000,000 people each, got \(wooden) and \(nonWooden)")
            }
            self.wooden = wooden
            self.nonWooden = nonWooden
        }
    }

    /// TMG (2022) p. 6-30: deaths per collapsed wooden building at 5 a.m.
    static let woodenDeathRate = 0.0676

    /// The exposure, grouped: one group per (cell, class, town).
    struct Group: Sendable {
        var cell: Int32
        var era: UInt8
        var town: Int32
        var count: Int32
    }

    /// The scenario.
    public let scenario: Scenario
    /// The damage functions.
    public let fragility: FragilitySet
    /// The site model.
    public let site: SiteModel
    /// The 250 m cells that hold buildings, sorted by code.
    public let cells: [RegionalMeshCode]
    /// Town codes, sorted.
    public let towns: [String]
    /// Per building: its group.
    let buildingGroup: [Int32]
    let groups: [Group]
    /// The classes in use, by index.
    let eras: [ConstructionEra]
    /// The states every class in use has a function for.
    public let states: [DamageState]
    let curves: [[[FragilityCurve]]]  // [ground][era][state]; grounds not in use hold placeholders
    /// The classes in the order they are evaluated: by structure, oldest first.
    let eraOrder: [Int]
    /// Per class: the next older class of the same structure in use, or -1. A class's
    /// probabilities are capped by its, so that fitted curves of different spread that cross
    /// never make a newer (or retrofitted) house fail more readily than an older one.
    let olderEra: [Int]
    let cellCurves: [UInt8]  // per cell: its ground's index into `curves`
    let cellMeanLn: [Double]
    let cellTau: [Double]
    let cellPhi: [Double]
    let cellSiteLn: [Double]
    let field: (any CorrelatedField)?
    /// The occupancy at the event's hour, which scales the collapse deaths.
    public let occupancy: Occupancy
    /// Deaths per collapsed non-wooden building at 5 a.m., when the night populations were given:
    /// t_n = 0.00840 × (P_n0 · B_w) / (P_w0 · B_n), B the inventory's building counts.
    let nonWoodenDeathRate: Double?
    /// The fire model laid out for the event loop, when the run includes fire.
    let fire: FireEventLoop?
    /// Every assumption and parameter source the run depends on.
    public let provenance: [String]

    /// Prepares a simulation over `buildings`.
    /// - Throws: ``SimulationError`` naming the building or class: a building without a
    ///   construction year, a class without a damage function, a magnitude outside the model's
    ///   range, a rupture type that does not match the model.
    public init(
        scenario: Scenario, buildings: [Building], fragility: FragilitySet, site: SiteModel,
        nightPopulation: NightPopulation? = nil, occupancy: Occupancy = .fiveAM, fire fireModel: FireModel? = nil
    ) throws(SimulationError) {
        guard scenario.rupture.type == scenario.model.earthquakeType else {
            throw .typeMismatch(rupture: scenario.rupture.type, model: scenario.model.identifier)
        }
        guard scenario.withinBetweenRatio.isFinite, scenario.withinBetweenRatio > 0 else {
            throw .parameter("withinBetweenRatio must be positive")
        }
        guard scenario.truncation.isFinite, scenario.truncation > 0 else {
            throw .parameter("truncation must be positive")
        }
        guard !buildings.isEmpty else { throw .parameter("no buildings") }
        // Classes: retrofit is a reclassification to the newest class of the structure.
        var buildingEra: [ConstructionEra] = []
        buildingEra.reserveCapacity(buildings.count)
        for building in buildings {
            guard var era = building.era else { throw .missingYear(building.id) }
            if building.seismicRetrofit != .none {
                era = building.structure.isWooden ? .woodenFrom2001 : .nonWoodenFrom1981
            }
            buildingEra.append(era)
        }
        let eras = Array(Set(buildingEra)).sorted { $0.rawValue < $1.rawValue }
        let eraIndex = Dictionary(uniqueKeysWithValues: eras.enumerated().map { ($1, UInt8($0)) })
        // Cells and towns.
        var cellCodes: [String] = []
        var meshByCode: [String: RegionalMeshCode] = [:]
        cellCodes.reserveCapacity(buildings.count)
        for building in buildings {
            do {
                let mesh = try RegionalMeshCode(containing: building.position, level: .quarter)
                cellCodes.append(mesh.code)
                meshByCode[mesh.code] = mesh
            } catch {
                throw .parameter("building \(building.id): \(error)")
            }
        }
        let cellList = meshByCode.keys.sorted()
        let cellIndex = Dictionary(uniqueKeysWithValues: cellList.enumerated().map { ($1, Int32($0)) })
        let townList = Array(Set(buildings.map { $0.townCode ?? "" })).sorted()
        let townIndex = Dictionary(uniqueKeysWithValues: townList.enumerated().map { ($1, Int32($0)) })
        var groupIndex: [Int64: Int32] = [:]
        var groups: [Group] = []
        var buildingGroup: [Int32] = []
        buildingGroup.reserveCapacity(buildings.count)
        for (number, building) in buildings.enumerated() {
            let cell = cellIndex[cellCodes[number]]!
            let era = eraIndex[buildingEra[number]]!
            let town = townIndex[building.townCode ?? ""]!
            let key = (Int64(cell) << 32) | (Int64(era) << 24) | Int64(town)
            if let existing = groupIndex[key] {
                groups[Int(existing)].count += 1
                buildingGroup.append(existing)
            } else {
                groupIndex[key] = Int32(groups.count)
                buildingGroup.append(Int32(groups.count))
                groups.append(Group(cell: cell, era: era, town: town, count: 1))
            }
        }
        // Damage functions per ground class in use (a cell's class, else `any`): the states
        // modelled are those every class has a function for on every ground in use.
        let meshes = cellList.map { meshByCode[$0]! }
        let cellGround = meshes.map { site.groundClass(mesh: $0.code) }
        let grounds = GroundClass.allCases.filter(cellGround.contains)
        let states = DamageState.allCases.filter { state in
            grounds.allSatisfy { ground in
                eras.allSatisfy { fragility.curve(era: $0, ground: ground, state: state) != nil }
            }
        }
        guard !states.isEmpty else {
            let missing = eras.first { era in
                grounds.contains { ground in
                    DamageState.allCases.allSatisfy { fragility.curve(era: era, ground: ground, state: $0) == nil }
                }
            }
            throw .missingFragility(missing ?? eras[0])
        }
        curves = GroundClass.allCases.map { ground in
            eras.map { era in states.map { fragility.curve(era: era, ground: ground, state: $0) ?? .table([]) } }
        }
        cellCurves = cellGround.map { UInt8(GroundClass.allCases.firstIndex(of: $0)!) }
        // A newer class never fails more readily than an older one of the same structure.
        func age(_ era: ConstructionEra) -> Int { era.years.from ?? Int.min }
        eraOrder = eras.indices.sorted {
            (eras[$0].isWooden ? 1 : 0, age(eras[$0])) < (eras[$1].isWooden ? 1 : 0, age(eras[$1]))
        }
        olderEra = eras.indices.map { index in
            eras.indices.filter { eras[$0].isWooden == eras[index].isWooden && age(eras[$0]) < age(eras[index]) }
                .max { age(eras[$0]) < age(eras[$1]) } ?? -1
        }
        // Ground motion per cell: median, τ and φ, site term.
        var meanLn: [Double] = []
        var tau: [Double] = []
        var phi: [Double] = []
        var siteLn: [Double] = []
        let r = scenario.withinBetweenRatio
        for mesh in meshes {
            let distance = scenario.rupture.ruptureDistance(to: mesh.centre)
            let region = RegionalDistances(
                site: mesh.centre, hypocentre: scenario.rupture.hypocentre,
                hypocentralDepth: scenario.rupture.hypocentralDepth)
            do {
                let mean = try scenario.model.lnMean(
                    .pgv, magnitude: scenario.rupture.magnitude, hypocentralDepth: scenario.rupture.hypocentralDepth,
                    rupture: distance, region: region)
                let sigma = try scenario.model.sigma(
                    .pgv, magnitude: scenario.rupture.magnitude, hypocentralDepth: scenario.rupture.hypocentralDepth,
                    rupture: distance)
                meanLn.append(mean)
                tau.append(sigma / (1 + r * r).squareRoot())
                phi.append(r * sigma / (1 + r * r).squareRoot())
                siteLn.append(try site.lnFactor(mesh: mesh.code))
            } catch {
                throw .groundMotion(error)
            }
        }
        if scenario.correlated {
            do {
                field = try scenario.correlation.field(points: meshes.map(\.centre), model: JayaramBaker2009(.pgv))
            } catch {
                throw .correlation(error)
            }
        } else {
            field = nil
        }
        self.scenario = scenario
        self.fragility = fragility
        self.site = site
        self.cells = meshes
        self.towns = townList
        self.buildingGroup = buildingGroup
        self.groups = groups
        self.eras = eras
        self.states = states
        cellMeanLn = meanLn
        cellTau = tau
        cellPhi = phi
        cellSiteLn = siteLn
        let rupture = scenario.rupture
        var provenance = [
            "scenario: \(scenario.name); Mw \(rupture.magnitude), strike \(rupture.strike)°, dip \(rupture.dip)°, "
                + "depth \(rupture.topDepth)–\(rupture.bottomDepth) km, length \(rupture.length) km, hypocentre depth "
                + "\(rupture.hypocentralDepth) km, \(rupture.type.rawValue)",
            scenario.model.provenance,
            "variability: σ_within/σ_between = \(r) (assumption, as OpenQuake's add_between_within_stds case_32); "
                + "truncated at ±\(scenario.truncation)σ",
            scenario.correlated
                ? "spatial correlation: Jayaram & Baker (2009), b = \(JayaramBaker2009(.pgv).range) km (PGV as T = 1 s), "
                    + "\(scenario.correlation.provenance) over \(meshes.count) cells"
                : "spatial correlation: none (independent cells)",
            "intensity: Midorikawa, Fujimoto & Muramatsu (1999), I = 2.68 + 1.72 log10 PGV, clamped to 0–7",
            site.assumption,
            "random numbers: counter-based SplitMix64 keyed by (seed, stream, event, cell)",
        ]
        provenance.insert(contentsOf: scenario.notes, at: 1)
        for era in eras {
            for state in DamageState.allCases {
                for entry in fragility.entries
                where entry.era == era && entry.state == state && entry.ground != .any && grounds.contains(entry.ground)
                {
                    provenance.append(
                        "fragility \(era.rawValue) \(state.rawValue) on \(entry.ground.rawValue) ground: \(entry.curve) "
                            + "[\(entry.status)] \(entry.source) (\(fragility.name))")
                }
                if let entry = fragility.entries.first(where: {
                    $0.era == era && $0.state == state && $0.ground == .any
                }) {
                    provenance.append(
                        "fragility \(era.rawValue) \(state.rawValue): \(entry.curve) [\(entry.status)] \(entry.source) (\(fragility.name))"
                    )
                } else {
                    provenance.append(
                        "fragility \(era.rawValue) \(state.rawValue): NOT MODELLED (no function in \(fragility.name))")
                }
            }
        }
        self.occupancy = occupancy
        var crossings: [String] = []
        for (index, era) in eras.enumerated() where olderEra[index] >= 0 {
            let older = eras[olderEra[index]]
            for ground in grounds {
                for state in states {
                    guard let newer = fragility.curve(era: era, ground: ground, state: state),
                        let old = fragility.curve(era: older, ground: ground, state: state)
                    else { continue }
                    // Where on 4–7.5 the newer curve lies above the older one.
                    let above = (0...350).map { 4 + Double($0) / 100 }.filter {
                        newer.probability(atIntensity: $0) > old.probability(atIntensity: $0) + 1e-12
                    }
                    if let top = above.max() {
                        crossings.append(
                            "\(era.rawValue) above \(older.rawValue) (\(state.rawValue)\(ground == .any ? "" : ", \(ground.rawValue) ground")) "
                                + "for I up to \(String(format: "%.2f", top))")
                    }
                }
            }
        }
        provenance.append(
            "fragility ordering (ASSUMED): a newer class, and a retrofitted house, never fails more readily than an "
                + "older class of the same structure at the same intensity; each is capped by the next older class in use"
                + (crossings.isEmpty
                    ? " (no curve crosses here)"
                    : ", which acts where the fitted curves cross: " + crossings.joined(separator: "; ")))
        provenance.append(
            "casualties: wooden deaths = \(Self.woodenDeathRate) × wooden collapses × occupancy ratio (TMG 2022 "
                + "p. 6-30, PRIMARY)")
        provenance.append(occupancy.provenance)
        // Counted, not filtered: a filtered copy of the ward's buildings was this run's peak.
        let woodenCount = buildings.reduce(0) { $0 + ($1.structure.isWooden ? 1 : 0) }
        let nonWoodenCount = buildings.count - woodenCount
        if let nightPopulation, nonWoodenCount > 0 {
            let rate =
                0.00840 * (nightPopulation.nonWooden * Double(woodenCount))
                / (nightPopulation.wooden * Double(nonWoodenCount))
            nonWoodenDeathRate = rate
            provenance.append(
                "casualties: non-wooden deaths = t_n × non-wooden collapses, t_n = 0.00840 × (P_n0·B_w)/(P_w0·B_n) = "
                    + "\(rate) with night populations P_w0 = \(nightPopulation.wooden), P_n0 = \(nightPopulation.nonWooden) "
                    + "(given for this run) and the inventory's B_w = \(woodenCount), B_n = \(nonWoodenCount) (TMG 2022 "
                    + "p. 6-30, PRIMARY; the fraction's layout was read from the text layer, not the page image)")
        } else {
            nonWoodenDeathRate = nil
            provenance.append(
                nightPopulation == nil
                    ? "casualties: non-wooden deaths not computed (TMG's rate needs the night populations in wooden "
                        + "and non-wooden buildings, which were not given)"
                    : "casualties: non-wooden deaths 0 (no non-wooden buildings)")
        }
        provenance.append(
            "casualties: injuries not computed (TMG's rate needs 半壊, which the fragility set does not model)")
        if let fireModel {
            guard fireModel.classes.count == buildings.count else {
                throw .parameter(
                    "the fire model was prepared for \(fireModel.classes.count) buildings, not \(buildings.count)")
            }
            guard states.contains(.collapse) else {
                throw .parameter("fire needs collapse (全壊) functions for every class: ignition follows collapse")
            }
            var slots: [Int32] = []
            var townOf: [Int32] = []
            var cellOf: [Int32] = []
            slots.reserveCapacity(buildings.count)
            for groupNumber in buildingGroup {
                let group = groups[Int(groupNumber)]
                slots.append(group.cell * Int32(eras.count) + Int32(group.era))
                townOf.append(group.town)
                cellOf.append(group.cell)
            }
            fire = FireEventLoop(
                model: fireModel, slotOfBuilding: slots, townOfBuilding: townOf, cellOfBuilding: cellOf)
            provenance += fireModel.provenance
        } else {
            fire = nil
        }
        self.provenance = provenance
    }

    /// Events per chunk: fixed, so that sums do not depend on the number of cores.
    static let chunk = 25

    /// Runs `events` events with `seed`, on all cores; `progress` (if given) is called with the
    /// number of events done, from any thread. `shouldStop` is asked before each chunk of 25
    /// events: once it says yes the run stops within a chunk per core and throws
    /// ``SimulationError/cancelled``.
    public func run(
        events: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(SimulationError) -> DamageSimulationResult {
        guard events > 0 else { throw .parameter("events must be positive") }
        let cellCount = cells.count
        let stateCount = states.count
        let eraCount = eras.count
        let townCount = towns.count
        let chunks = (events + Self.chunk - 1) / Self.chunk
        let random = CounterRandom(seed: seed)
        // Per chunk: Σ over events of P per (cell, era, state) and of intensity per cell.
        let classSize = cellCount * eraCount * stateCount
        let partialP = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks * classSize)
        partialP.initialize(repeating: 0)
        defer { partialP.deallocate() }
        let partialI = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks * cellCount)
        partialI.initialize(repeating: 0)
        defer { partialI.deallocate() }
        // Per event: expected counts per cell and per town and state (small), for the ranges.
        let perEventCell = UnsafeMutableBufferPointer<Double>.allocate(capacity: events * cellCount * stateCount)
        perEventCell.initialize(repeating: 0)
        defer { perEventCell.deallocate() }
        let perEventTown = UnsafeMutableBufferPointer<Double>.allocate(capacity: events * townCount * stateCount)
        perEventTown.initialize(repeating: 0)
        defer { perEventTown.deallocate() }
        // Fire: per chunk Σ P(burn) per cluster; per event expected burnt per town and cell, and
        // the clusters that burned in the sampled realisation.
        let clusterCount = fire?.clusterCount ?? 0
        let fireOn = fire != nil
        let partialBurn = UnsafeMutableBufferPointer<Double>.allocate(capacity: fireOn ? chunks * clusterCount : 0)
        partialBurn.initialize(repeating: 0)
        defer { partialBurn.deallocate() }
        let townBurnt = UnsafeMutableBufferPointer<Double>.allocate(capacity: fireOn ? events * townCount : 0)
        townBurnt.initialize(repeating: 0)
        defer { townBurnt.deallocate() }
        let cellBurnt = UnsafeMutableBufferPointer<Double>.allocate(capacity: fireOn ? events * cellCount : 0)
        cellBurnt.initialize(repeating: 0)
        defer { cellBurnt.deallocate() }
        let burned = UnsafeMutableBufferPointer<[Int32]>.allocate(capacity: fireOn ? events : 0)
        burned.initialize(repeating: [])
        defer { burned.deallocate() }
        let collapseIndex = states.firstIndex(of: .collapse) ?? 0
        let fireParameters = fire?.model.parameters
        let done = ProgressCounter()
        let truncation = scenario.truncation
        nonisolated(unsafe) let shared = (partialP, partialI, perEventCell, perEventTown)
        nonisolated(unsafe) let fireShared = (partialBurn, townBurnt, cellBurnt, burned)
        let stopped = ProgressCounter()
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            if stopped.add(0) > 0 { return }
            if let shouldStop, shouldStop() {
                _ = stopped.add(1)
                return
            }
            let (partialP, partialI, perEventCell, perEventTown) = shared
            let (partialBurn, townBurnt, cellBurnt, burned) = fireShared
            var independent = [Double](repeating: 0, count: cellCount)
            var correlated = [Double](repeating: 0, count: cellCount)
            var probability = [Double](repeating: 0, count: classSize)
            var flaming = [Double](repeating: 0, count: fireOn ? cellCount * eraCount : 0)
            let first = chunk * Self.chunk
            let last = min(events, first + Self.chunk)
            for event in first..<last {
                let eta = random.truncatedNormal(.betweenEvent, event: UInt64(event), index: 0, limit: truncation)
                for cell in 0..<cellCount {
                    independent[cell] = random.truncatedNormal(
                        .withinEvent, event: UInt64(event), index: UInt64(cell), limit: truncation)
                }
                if let field {
                    independent.withUnsafeBufferPointer { input in
                        correlated.withUnsafeMutableBufferPointer { output in
                            field.residuals(
                                event: UInt64(event), random: random, independent: input, truncation: truncation,
                                into: output)
                        }
                    }
                } else {
                    correlated = independent
                }
                for cell in 0..<cellCount {
                    let lnPGV =
                        cellMeanLn[cell] + cellTau[cell] * eta + cellPhi[cell] * correlated[cell] + cellSiteLn[cell]
                    let intensity = JMAIntensity.fromLnPGV(lnPGV)
                    partialI[chunk * cellCount + cell] += intensity
                    let groundCurves = curves[Int(cellCurves[cell])]
                    for era in eraOrder {
                        let older = olderEra[era]
                        for state in 0..<stateCount {
                            var p = groundCurves[era][state].probability(atIntensity: intensity)
                            if older >= 0 { p = min(p, probability[(cell * eraCount + older) * stateCount + state]) }
                            let index = (cell * eraCount + era) * stateCount + state
                            probability[index] = p
                            partialP[chunk * classSize + index] += p
                        }
                        if let fireParameters {
                            flaming[cell * eraCount + era] = fireParameters.flamingProbability(
                                collapse: probability[(cell * eraCount + era) * stateCount + collapseIndex],
                                intensity: intensity)
                        }
                    }
                }
                if let fire {
                    burned[event] = flaming.withUnsafeBufferPointer { flaming in
                        fire.run(
                            event: event, flaming: flaming, random: random,
                            burnSum: UnsafeMutableBufferPointer(
                                rebasing: partialBurn[(chunk * clusterCount)..<((chunk + 1) * clusterCount)]),
                            townBurnt: UnsafeMutableBufferPointer(
                                rebasing: townBurnt[(event * townCount)..<((event + 1) * townCount)]),
                            cellBurnt: UnsafeMutableBufferPointer(
                                rebasing: cellBurnt[(event * cellCount)..<((event + 1) * cellCount)]))
                    }
                }
                for group in groups {
                    let base = (Int(group.cell) * eraCount + Int(group.era)) * stateCount
                    for state in 0..<stateCount {
                        let expected = Double(group.count) * probability[base + state]
                        perEventCell[(event * cellCount + Int(group.cell)) * stateCount + state] += expected
                        perEventTown[(event * townCount + Int(group.town)) * stateCount + state] += expected
                    }
                }
            }
            let total = done.add(last - first)
            progress?(total)
        }
        if stopped.add(0) > 0 { throw .cancelled }
        // Sum chunks in order.
        var meanP = [Double](repeating: 0, count: classSize)
        var meanI = [Double](repeating: 0, count: cellCount)
        for chunk in 0..<chunks {
            for index in 0..<classSize { meanP[index] += partialP[chunk * classSize + index] }
            for cell in 0..<cellCount { meanI[cell] += partialI[chunk * cellCount + cell] }
        }
        let scale = 1 / Double(events)
        for index in 0..<classSize { meanP[index] *= scale }
        for cell in 0..<cellCount { meanI[cell] *= scale }
        func summaries(_ buffer: UnsafeMutableBufferPointer<Double>, units: Int, states stateCount: Int = stateCount)
            -> [[DamageSimulationResult.Range]]
        {
            (0..<units).map { unit in
                (0..<stateCount).map { state in
                    DamageSimulationResult.Range(
                        summarizing: (0..<events).map { buffer[($0 * units + unit) * stateCount + state] })
                }
            }
        }
        var cellBuildings = [Int](repeating: 0, count: cellCount)
        var townBuildings = [Int](repeating: 0, count: townCount)
        var townWoodenCollapse = [Double](repeating: 0, count: townCount)
        var townNonWoodenCollapse = [Double](repeating: 0, count: townCount)
        let collapseState = states.firstIndex(of: .collapse)
        for group in groups {
            cellBuildings[Int(group.cell)] += Int(group.count)
            townBuildings[Int(group.town)] += Int(group.count)
            if let collapseState {
                let index = (Int(group.cell) * eraCount + Int(group.era)) * stateCount + collapseState
                let expected = Double(group.count) * meanP[index]
                if eras[Int(group.era)].isWooden {
                    townWoodenCollapse[Int(group.town)] += expected
                } else {
                    townNonWoodenCollapse[Int(group.town)] += expected
                }
            }
        }
        let medianIntensity = (0..<cellCount).map { cell in
            JMAIntensity.fromLnPGV(cellMeanLn[cell] + cellSiteLn[cell])
        }
        let eventTotals = (0..<events).map { event in
            (0..<stateCount).map { state in
                (0..<townCount).reduce(0.0) { $0 + perEventTown[(event * townCount + $1) * stateCount + state] }
            }
        }
        let cellRanges = summaries(perEventCell, units: cellCount)
        let townRanges = summaries(perEventTown, units: townCount)
        return DamageSimulationResult(
            scenario: scenario.name, events: events, seed: seed, states: states,
            cells: (0..<cellCount).map { cell in
                DamageSimulationResult.CellResult(
                    mesh: cells[cell].code, centre: cells[cell].centre, buildings: cellBuildings[cell],
                    medianIntensity: medianIntensity[cell], meanIntensity: meanI[cell], damage: cellRanges[cell])
            },
            towns: (0..<townCount).map { town in
                DamageSimulationResult.TownResult(
                    town: towns[town], buildings: townBuildings[town], damage: townRanges[town],
                    woodenDeaths: collapseState == nil
                        ? nil : Self.woodenDeathRate * occupancy.wooden * townWoodenCollapse[town],
                    nonWoodenDeaths: collapseState == nil
                        ? nil : nonWoodenDeathRate.map { $0 * occupancy.nonWooden * townNonWoodenCollapse[town] }
                )
            },
            eventTotals: eventTotals,
            buildingProbabilities: buildingGroup.map { groupNumber in
                let group = groups[Int(groupNumber)]
                let base = (Int(group.cell) * eraCount + Int(group.era)) * stateCount
                return (0..<stateCount).map { Float(meanP[base + $0]) }
            },
            townEventCollapse: collapseState.map { state in
                (0..<(events * townCount)).map { perEventTown[$0 * stateCount + state] }
            } ?? [],
            townEventHalfCollapse: collapseState.flatMap { collapse in
                states.firstIndex(of: .halfCollapse).map { half in
                    (0..<(events * townCount)).map {
                        max(0, perEventTown[$0 * stateCount + half] - perEventTown[$0 * stateCount + collapse])
                    }
                }
            } ?? [],
            fire: fireResult(
                events: events, chunks: chunks, partialBurn: partialBurn, townBurnt: townBurnt, cellBurnt: cellBurnt,
                burned: burned, summaries: summaries),
            provenance: provenance)
    }
}

extension DamageSimulation {
    /// Sums the fire accumulators of a run into its result.
    fileprivate func fireResult(
        events: Int, chunks: Int, partialBurn: UnsafeMutableBufferPointer<Double>,
        townBurnt: UnsafeMutableBufferPointer<Double>, cellBurnt: UnsafeMutableBufferPointer<Double>,
        burned: UnsafeMutableBufferPointer<[Int32]>,
        summaries: (UnsafeMutableBufferPointer<Double>, Int, Int) -> [[DamageSimulationResult.Range]]
    ) -> FireResult? {
        guard let fire else { return nil }
        let clusterCount = fire.clusterCount
        var meanBurn = [Double](repeating: 0, count: clusterCount)
        for chunk in 0..<chunks {
            for cluster in 0..<clusterCount { meanBurn[cluster] += partialBurn[chunk * clusterCount + cluster] }
        }
        let clusterOf = fire.model.clusters.clusterOfBuilding
        let towns = summaries(townBurnt, self.towns.count, 1).map { $0[0] }
        let parameters = fire.model.parameters
        return FireResult(
            cells: summaries(cellBurnt, cells.count, 1).map { $0[0] },
            towns: towns,
            townDeaths: towns.map { $0.mean * parameters.deathsPerBurntBuilding * parameters.effectiveIndoorRatio },
            eventBurnt: (0..<events).map { event in
                (0..<self.towns.count).reduce(0.0) { $0 + townBurnt[event * self.towns.count + $1] }
            },
            townEventBurnt: Array(townBurnt),
            ignitions: Array(burned),
            clusterOfBuilding: clusterOf,
            clusterSizes: (0..<clusterCount).map { Int32(fire.model.clusters.size(of: $0)) },
            buildingProbabilities: clusterOf.map { Float(meanBurn[Int($0)] / Double(events)) })
    }
}

/// A thread-safe counter for progress (events done).
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    /// Adds and returns the new total.
    func add(_ amount: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += amount
        return value
    }
}

/// Why a simulation could not run.
public enum SimulationError: Error, Sendable, CustomStringConvertible {
    /// A building has no construction year, so no class.
    case missingYear(String)
    /// A class in the inventory has no damage function at all.
    case missingFragility(ConstructionEra)
    /// The rupture's type and the model's differ.
    case typeMismatch(rupture: EarthquakeType, model: String)
    /// A ground-motion input was refused.
    case groundMotion(GroundMotionError)
    /// The correlated field could not be built.
    case correlation(CorrelationError)
    /// A bad parameter.
    case parameter(String)
    /// The caller asked the run to stop.
    case cancelled

    /// A sentence naming the item.
    public var description: String {
        switch self {
        case .missingYear(let id): "building \(id) has no construction year: its damage class is unknown"
        case .missingFragility(let era): "no damage function for class \(era.rawValue) in the fragility set"
        case .typeMismatch(let rupture, let model): "a \(rupture.rawValue) rupture with the \(model) model"
        case .groundMotion(let error): "ground motion: \(error)"
        case .correlation(let error): "correlation: \(error)"
        case .parameter(let text): text
        case .cancelled: "the run was cancelled"
        }
    }
}
