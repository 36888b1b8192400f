import Foundation
import SuginamiKit

/// Baseline against a mitigation scenario, paired event by event: both runs share every random
/// number (same seed, events and inventory order), so the difference per event isolates the
/// mitigation and its confidence interval is narrow. Per town and for the ward: collapsed
/// (全壊), burnt (焼失), deaths (collapse and fire, TMG 2022) and evacuees from building damage
/// (TMG 2022 p. 6-70: 全壊・焼失人口 × 100 %; the 半壊 × 50.3 % term is not modelled).
public struct MitigationComparison: Sendable {
    /// A measure.
    public enum Measure: String, Sendable, CaseIterable {
        /// 全壊.
        case collapsed
        /// 焼失.
        case burnt
        /// Deaths in collapses and fires.
        case deaths
        /// Evacuees from collapsed and burnt homes.
        case evacuees

        /// The Japanese name.
        public var japaneseName: String {
            switch self {
            case .collapsed: "全壊棟数"
            case .burnt: "焼失棟数"
            case .deaths: "死者数"
            case .evacuees: "避難者数（建物被害）"
            }
        }
    }

    /// One measure's comparison.
    public struct Difference: Sendable, Hashable {
        /// Mean over events, baseline.
        public var baseline: Double
        /// Mean over events, with the mitigation.
        public var mitigated: Double
        /// baseline − mitigated (the reduction), mean over events.
        public var reduction: Double
        /// 95 % confidence interval of the reduction (normal approximation over paired events).
        public var lower: Double
        /// Upper end.
        public var upper: Double
    }

    /// One town's (or the ward's) comparison.
    public struct Unit: Sendable, Hashable {
        /// Town code, or "" for the ward.
        public var town: String
        /// Per measure.
        public var differences: [Measure: Difference]
    }

    /// The scenario's name.
    public let scenario: String
    /// Per town, in the results' town order.
    public let towns: [Unit]
    /// The ward.
    public let ward: Unit
    /// The measures computed (burnt only when both runs had fire).
    public let measures: [Measure]
    /// How each measure is computed.
    public let notes: [String]

    /// Compares two runs.
    /// - Parameters:
    ///   - scenario: the mitigation scenario's name.
    ///   - baseline: the baseline run.
    ///   - mitigated: the mitigated run, with the same events, seed and towns.
    ///   - peoplePerBuilding: per town code, residents per building (population ÷ buildings), for
    ///     evacuees; towns without it get no evacuees.
    ///   - formula: the evacuee rule (TMG's, with its lifeline share if given).
    /// - Throws: ``SimulationError/parameter(_:)`` when the runs are not paired (different
    ///   events, seed or towns) or collapse is not modelled.
    public init(
        scenario: String, baseline: DamageSimulationResult, mitigated: DamageSimulationResult,
        peoplePerBuilding: [String: Double] = [:], formula: EvacueeFormula = .withoutLifelines
    ) throws(SimulationError) {
        guard baseline.events == mitigated.events, baseline.seed == mitigated.seed,
            baseline.towns.map(\.town) == mitigated.towns.map(\.town)
        else { throw .parameter("the runs are not paired: events, seed and towns must be equal") }
        guard !baseline.townEventCollapse.isEmpty, !mitigated.townEventCollapse.isEmpty else {
            throw .parameter("collapse is not modelled, so there is nothing to compare")
        }
        let events = baseline.events
        let townCount = baseline.towns.count
        let hasFire = baseline.fire != nil && mitigated.fire != nil
        // Deaths per collapsed building per town (wooden and non-wooden as each run computed them)
        // and per burnt building, computed once per run.
        func deathRates(_ result: DamageSimulationResult) -> (collapse: [Double], fire: Double) {
            let collapseIndex = result.states.firstIndex(of: .collapse)!
            let collapse = result.towns.map { town in
                let collapsed = town.damage[collapseIndex].mean
                return collapsed > 0 ? ((town.woodenDeaths ?? 0) + (town.nonWoodenDeaths ?? 0)) / collapsed : 0
            }
            guard let fire = result.fire, fire.expectedBurnt > 0 else { return (collapse, 0) }
            return (collapse, fire.townDeaths.reduce(0, +) / fire.expectedBurnt)
        }
        let baselineRates = deathRates(baseline)
        let mitigatedRates = deathRates(mitigated)
        func series(
            _ result: DamageSimulationResult, _ rate: (collapse: [Double], fire: Double), _ measure: Measure, town: Int
        ) -> [Double] {
            let people = peoplePerBuilding[result.towns[town].town] ?? 0
            let residents = people * Double(result.towns[town].buildings)
            return (0..<events).map { event in
                let index = event * townCount + town
                let collapsed = result.townEventCollapse[index]
                let burnt = result.fire.map { $0.townEventBurnt[index] } ?? 0
                switch measure {
                case .collapsed: return collapsed
                case .burnt: return burnt
                case .deaths: return collapsed * rate.collapse[town] + burnt * rate.fire
                case .evacuees:
                    let evacuees = formula.evacuees(
                        collapsed: collapsed, burnt: burnt,
                        halfCollapsed: result.townEventHalfCollapse.isEmpty ? 0 : result.townEventHalfCollapse[index],
                        peoplePerBuilding: people, residents: residents)
                    return evacuees.damage + evacuees.lifeline
                }
            }
        }
        let measures = Measure.allCases.filter { $0 != .burnt || hasFire }
        func difference(_ a: [Double], _ b: [Double]) -> Difference {
            let n = Double(events)
            let d = zip(a, b).map { $0 - $1 }
            let mean = d.reduce(0, +) / n
            let sd = events > 1 ? (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
            let half = 1.959964 * sd / n.squareRoot()
            return Difference(
                baseline: a.reduce(0, +) / n, mitigated: b.reduce(0, +) / n, reduction: mean, lower: mean - half,
                upper: mean + half)
        }
        var wardSeries: [Measure: ([Double], [Double])] = [:]
        var towns: [Unit] = []
        for town in 0..<townCount {
            var differences: [Measure: Difference] = [:]
            for measure in measures {
                let a = series(baseline, baselineRates, measure, town: town)
                let b = series(mitigated, mitigatedRates, measure, town: town)
                differences[measure] = difference(a, b)
                var sums =
                    wardSeries[measure] ?? (
                        [Double](repeating: 0, count: events), [Double](repeating: 0, count: events)
                    )
                for event in 0..<events {
                    sums.0[event] += a[event]
                    sums.1[event] += b[event]
                }
                wardSeries[measure] = sums
            }
            towns.append(Unit(town: baseline.towns[town].town, differences: differences))
        }
        self.scenario = scenario
        self.towns = towns
        ward = Unit(town: "", differences: wardSeries.mapValues { difference($0.0, $0.1) })
        self.measures = measures
        notes =
            [
                "comparison: paired over \(events) events with common random numbers; 95 % intervals by the normal "
                    + "approximation of the mean paired difference",
                "comparison: deaths = collapse deaths (TMG t_w, t_n as in the runs) + fire deaths (0.0218 × the indoor ratio per "
                    + "burnt building, as in the runs)",
            ]
            + formula.provenance(modelsHalfCollapse: !baseline.townEventHalfCollapse.isEmpty).map {
                "comparison: " + $0
            }
    }

    /// Towns ordered by the reduction of a measure, largest first.
    public func townsByBenefit(_ measure: Measure) -> [Unit] {
        towns.sorted { ($0.differences[measure]?.reduction ?? 0) > ($1.differences[measure]?.reduction ?? 0) }
    }

    /// CSV: unit, measure, baseline, mitigated, reduction, lower, upper.
    public func csv() -> String {
        let header = ["town_code", "measure", "baseline", "mitigated", "reduction", "ci95_lower", "ci95_upper"]
        var rows: [[String]] = []
        for unit in [ward] + towns {
            for measure in measures {
                guard let d = unit.differences[measure] else { continue }
                rows.append(
                    [unit.town.isEmpty ? "ward" : unit.town, measure.rawValue]
                        + [d.baseline, d.mitigated, d.reduction, d.lower, d.upper].map { String(format: "%.4f", $0) })
            }
        }
        return CSVTable.write(header: header, records: rows)
    }
}
