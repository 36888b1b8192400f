import Foundation
import SuginamiCore
import SuginamiKit

/// 震災救援所の需要: how many people each relief centre must take in after the earthquake,
/// against its planned capacity (想定収容人数), per event, so that a planner sees which centres
/// overflow and how often.
///
/// The rule, each step stated in ``provenance``:
/// - evacuees of a town in an event by TMG's formula (``EvacueeFormula``): its expected 全壊 +
///   焼失 buildings, and 50.3 % of its 半壊 ones where the fragility set gives 半壊, × the town's
///   residents per building, plus the lifeline term when its share is given (a FLOOR without
///   either: the bundled fragility set has no 半壊);
/// - each building's people go to the nearest relief centre (ASSUMED: the ward assigns 町丁目 to
///   centres, and that list is not bundled); a town's damage evacuees are split among the centres
///   its buildings go to in proportion to those buildings' expected loss, its lifeline evacuees
///   in proportion to the buildings left standing;
/// - a centre overflows in an event when its demand exceeds its capacity; a centre without a
///   published capacity has no overflow figure, never zero.
public struct ShelterDemand: Sendable {
    /// One relief centre.
    public struct Centre: Sendable, Hashable {
        /// The facility's id.
        public var id: String
        /// Its name.
        public var name: String
        /// Its planned capacity, where published.
        public var capacity: Int?
        /// People it must take in: mean and range over events.
        public var demand: DamageSimulationResult.Range
        /// Share of events in which the demand exceeds the capacity.
        public var overflowProbability: Double?

        /// Mean demand over capacity.
        public var load: Double? { capacity.flatMap { $0 > 0 ? demand.mean / Double($0) : nil } }
    }

    /// The centres, in the order given.
    public var centres: [Centre]
    /// Per cell (the result's ``DamageSimulationResult/cells`` order): the index in ``centres``
    /// most of its buildings go to.
    public var centreOfCell: [Int?]
    /// Evacuees in the whole ward: mean and range over events.
    public var total: DamageSimulationResult.Range
    /// Whether the 半壊 × 50.3 % term is in the counts (the fragility set gives 半壊).
    public var includesHalfCollapse: Bool
    /// The evacuee rule the counts follow.
    public var formula: EvacueeFormula
    /// The lifeline share in the counts, when given.
    public var lifelineShare: Double? { formula.lifelineShare }
    /// Whether the counts leave out a term of TMG's formula (半壊 or lifelines): then a floor.
    public var isFloor: Bool { formula.isFloor(modelsHalfCollapse: includesHalfCollapse) }
    /// How it was computed.
    public var provenance: [String]

    /// Computes the demand of a run.
    /// - Parameters:
    ///   - result: the run (with its per-town, per-event collapse and, with fire, burnt counts).
    ///   - buildings: the run's buildings, in its order.
    ///   - peoplePerBuilding: residents per building per town code.
    ///   - centres: the relief centres (震災救援所) with positions and capacities.
    ///   - formula: the evacuee rule (its lifeline share, if any).
    /// - Returns: `nil` without centres or without per-event collapse counts.
    public init?(
        result: DamageSimulationResult, buildings: [Building], peoplePerBuilding: [String: Double],
        centres facilities: [Facility], formula: EvacueeFormula = .withoutLifelines
    ) {
        guard !facilities.isEmpty, let collapse = result.states.firstIndex(of: .collapse),
            !result.townEventCollapse.isEmpty
        else { return nil }
        let townIndex = Dictionary(
            result.towns.enumerated().map { ($0.element.town, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let townCount = result.towns.count
        let cellIndex = Dictionary(
            result.cells.enumerated().map { ($0.element.mesh, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // Nearest centre of each building, in a local plane (ward scale: metres are exact enough).
        let plane = LocalPlane(origin: facilities[0].position)
        let centrePoints = facilities.map { plane.project($0.position) }
        var weight = [Double](repeating: 0, count: townCount * facilities.count)
        var townWeight = [Double](repeating: 0, count: townCount)
        // The buildings left standing, for the lifeline evacuees.
        var standing = [Double](repeating: 0, count: townCount * facilities.count)
        var townStanding = [Double](repeating: 0, count: townCount)
        let half = result.states.firstIndex(of: .halfCollapse)
        var cellVotes = [[Int: Int]](repeating: [:], count: result.cells.count)
        for (index, building) in buildings.enumerated() {
            let (x, y) = plane.project(building.position)
            var nearest = 0
            var best = Double.infinity
            for (centre, point) in centrePoints.enumerated() {
                let d = (point.0 - x) * (point.0 - x) + (point.1 - y) * (point.1 - y)
                if d < best {
                    best = d
                    nearest = centre
                }
            }
            if let mesh = try? RegionalMeshCode(containing: building.position, level: .quarter),
                let cell = cellIndex[mesh.code]
            {
                cellVotes[cell][nearest, default: 0] += 1
            }
            guard let town = building.townCode.flatMap({ townIndex[$0] }) else { continue }
            let probabilities = result.buildingProbabilities[index]
            var loss = Double(probabilities[collapse])
            if let half {
                loss += EvacueeFormula.halfCollapseShare * max(0, Double(probabilities[half] - probabilities[collapse]))
            }
            if let fire = result.fire { loss += Double(fire.buildingProbabilities[index]) }
            weight[town * facilities.count + nearest] += loss
            townWeight[town] += loss
            standing[town * facilities.count + nearest] += max(0, 1 - loss)
            townStanding[town] += max(0, 1 - loss)
        }
        let events = result.townEventCollapse.count / max(1, townCount)
        var perEvent = [[Double]](repeating: [Double](repeating: 0, count: events), count: facilities.count)
        var totals = [Double](repeating: 0, count: events)
        for event in 0..<events {
            for town in 0..<townCount where townWeight[town] > 0 || townStanding[town] > 0 {
                let index = event * townCount + town
                let perBuilding = peoplePerBuilding[result.towns[town].town] ?? 0
                let people = formula.evacuees(
                    collapsed: result.townEventCollapse[index], burnt: result.fire?.townEventBurnt[index] ?? 0,
                    halfCollapsed: result.townEventHalfCollapse.isEmpty ? 0 : result.townEventHalfCollapse[index],
                    peoplePerBuilding: perBuilding, residents: perBuilding * Double(result.towns[town].buildings))
                totals[event] += people.damage + people.lifeline
                for centre in 0..<facilities.count {
                    let slot = town * facilities.count + centre
                    if weight[slot] > 0 { perEvent[centre][event] += people.damage * weight[slot] / townWeight[town] }
                    if standing[slot] > 0, people.lifeline > 0 {
                        perEvent[centre][event] += people.lifeline * standing[slot] / townStanding[town]
                    }
                }
            }
        }
        self.centres = facilities.enumerated().map { index, facility in
            let demand = perEvent[index]
            return Centre(
                id: facility.id, name: facility.name, capacity: facility.capacity,
                demand: DamageSimulationResult.Range(summarizing: demand),
                overflowProbability: facility.capacity.map { capacity in
                    Double(demand.filter { $0 > Double(capacity) }.count) / Double(max(1, events))
                })
        }
        centreOfCell = cellVotes.map { votes in votes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key }
        total = DamageSimulationResult.Range(summarizing: totals)
        includesHalfCollapse = half != nil
        self.formula = formula
        provenance =
            formula.provenance(modelsHalfCollapse: half != nil).map { "shelter demand: " + $0 } + [
                "shelter demand: each building's people go to the nearest of \(facilities.count) relief centres "
                    + "(ASSUMPTION: the ward's 町丁目 → 震災救援所 list is not bundled); a town's damage evacuees split "
                    + "by its buildings' expected loss, its lifeline evacuees by the buildings left standing; "
                    + "overflow = share of events with demand above 想定収容人数 (centres without one: no figure)"
            ]
    }

    /// `shelter-demand.csv`: one row a centre, fullest first.
    public func csv() -> String {
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        return CSVTable.write(
            header: [
                "centre_id", "name", "capacity", "demand_mean", "demand_p5", "demand_p50", "demand_p95",
                "load_mean", "overflow_probability",
            ],
            records: Self.fullestFirst(centres).map {
                [
                    $0.id, $0.name, $0.capacity.map(String.init) ?? "", number($0.demand.mean), number($0.demand.p5),
                    number($0.demand.p50), number($0.demand.p95), $0.load.map { String(format: "%.3f", $0) } ?? "",
                    $0.overflowProbability.map { String(format: "%.3f", $0) } ?? "",
                ]
            })
    }

    /// Centres by mean load, those without a capacity last, then by id.
    public static func fullestFirst(_ centres: [Centre]) -> [Centre] {
        centres.sorted { ($0.load ?? -1, $1.id) > ($1.load ?? -1, $0.id) }
    }
}
