import Foundation
import SuginamiKit

/// 住家被害認定調査の作業量: a first-pass estimate, for planning drills, of the dwellings the ward
/// must survey after a simulated earthquake, by town and grade, and the days a number of survey
/// teams needs for them.
///
/// Every building the simulation expects 半壊 or worse by shaking is one to survey (a first
/// survey each). The fragility functions give 半壊, 大規模半壊 and 全壊 "or worse": 中規模半壊 lies
/// within 半壊 here, and lighter damage (準半壊, 一部損壊), which residents also apply for, is not
/// estimated and comes on top. A fragility set without 半壊 (the bundled DERIVED set has only
/// 全壊) gives a lower bound: the dwellings in its least severe state (``surveyedState``,
/// ``isLowerBound``). Burnt buildings are counted apart: in Suginami the fire stations
/// (杉並・荻窪消防署) certify fire damage, not the ward's teams; a building that both collapses
/// and burns is in both counts.
///
/// No figure for the buildings a team surveys in a day is built in: none is published for the
/// ward, so the planner gives their own (``days(teams:buildingsPerTeamDay:)``).
public struct SurveyWorkload: Sendable {
    /// One town's expected dwellings by grade (means over events); a grade the fragility set
    /// cannot separate is `nil`.
    public struct Town: Sendable, Hashable {
        /// The 町丁目 code.
        public var town: String
        /// Buildings in the town.
        public var buildings: Int
        /// 全壊 by shaking.
        public var destroyed: Double?
        /// 大規模半壊.
        public var largeScaleHalfDestroyed: Double?
        /// 半壊 and 中規模半壊 (the fragility functions do not part them).
        public var halfDestroyed: Double?
        /// Dwellings to survey (in ``SurveyWorkload/surveyedState`` or worse), with its range
        /// over events.
        public var toSurvey: DamageSimulationResult.Range
        /// Burnt (certified by the fire stations), when the run simulated fire.
        public var burnt: Double?
    }

    /// By town, in the result's order.
    public let towns: [Town]
    /// The ward's dwellings to survey, with its range over events (from each event's total, not
    /// the sum of the towns' percentiles).
    public let toSurvey: DamageSimulationResult.Range
    /// The ward's burnt buildings, when the run simulated fire.
    public let burnt: Double?
    /// The least severe state the fragility set gives: the dwellings counted to survey are
    /// those in it or worse.
    public let surveyedState: DamageState
    /// Whether the count to survey is a lower bound (the set gives no 半壊).
    public var isLowerBound: Bool { surveyedState != .halfCollapse }

    /// The workload of a simulation's result.
    /// - Throws: ``SurveyWorkloadError/noDamageStates`` when the run gives no damage state.
    public init(result: DamageSimulationResult) throws(SurveyWorkloadError) {
        guard let surveyed = result.states.min() else { throw .noDamageStates }
        let index = { (state: DamageState) in result.states.firstIndex(of: state) }
        let surveyedIndex = index(surveyed)!
        // "This or worse" counts: a grade is the difference of its state and the next worse.
        func grade(_ state: DamageState, _ worse: DamageState?, of town: DamageSimulationResult.TownResult) -> Double? {
            guard let own = index(state) else { return nil }
            guard let worse else { return town.damage[own].mean }
            return index(worse).map { town.damage[own].mean - town.damage[$0].mean }
        }
        towns = result.towns.enumerated().map { number, town in
            Town(
                town: town.town, buildings: town.buildings, destroyed: grade(.collapse, nil, of: town),
                largeScaleHalfDestroyed: grade(.largeScaleHalfCollapse, .collapse, of: town),
                halfDestroyed: grade(.halfCollapse, .largeScaleHalfCollapse, of: town),
                toSurvey: town.damage[surveyedIndex], burnt: result.fire?.towns[number].mean)
        }
        toSurvey = DamageSimulationResult.Range(summarizing: result.eventTotals.map { $0[surveyedIndex] })
        burnt = result.fire?.expectedBurnt
        surveyedState = surveyed
    }

    /// The days `teams` survey teams need for the ward's dwellings at `buildingsPerTeamDay`
    /// each, for the expected count and for the 95th percentile over events (rounded up to
    /// whole days).
    /// - Throws: ``SurveyWorkloadError/badTeams(_:)`` or
    ///   ``SurveyWorkloadError/badRate(_:)`` for a count or rate that is not positive.
    public func days(teams: Int, buildingsPerTeamDay: Double) throws(SurveyWorkloadError) -> (
        expected: Int, p95: Int
    ) {
        let perDay = try Self.checkPlan(teams: teams, buildingsPerTeamDay: buildingsPerTeamDay)
        return (Int((toSurvey.mean / perDay).rounded(.up)), Int((toSurvey.p95 / perDay).rounded(.up)))
    }

    /// Checks a plan's team count and rate, and gives the dwellings the teams judge in a day.
    /// - Throws: ``SurveyWorkloadError`` for a count or rate that is not positive or not finite.
    public static func checkPlan(teams: Int, buildingsPerTeamDay: Double) throws(SurveyWorkloadError) -> Double {
        guard teams > 0, teams <= 100_000 else { throw .badTeams(teams) }
        guard buildingsPerTeamDay.isFinite, buildingsPerTeamDay > 0, buildingsPerTeamDay <= 10_000 else {
            throw .badRate(buildingsPerTeamDay)
        }
        return Double(teams) * buildingsPerTeamDay
    }

    /// `survey-workload.csv`: one row per town, then the ward's; a grade the fragility set
    /// cannot separate is left empty, and `to_survey_state` says which state or worse is
    /// counted (`collapse` alone is a lower bound).
    public func csv() -> String {
        func format(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        func sum(_ values: [Double?]) -> Double? {
            values.contains(nil) ? nil : values.reduce(0) { $0 + $1! }
        }
        let header = [
            "town_code", "buildings", "destroyed_mean", "large_scale_half_destroyed_mean",
            "half_destroyed_incl_medium_mean", "to_survey_state", "to_survey_mean", "to_survey_p5", "to_survey_p50",
            "to_survey_p95", "burnt_mean_fire_stations",
        ]
        var rows = towns.map { town in
            [
                town.town, String(town.buildings), format(town.destroyed), format(town.largeScaleHalfDestroyed),
                format(town.halfDestroyed), surveyedState.rawValue, format(town.toSurvey.mean),
                format(town.toSurvey.p5), format(town.toSurvey.p50), format(town.toSurvey.p95), format(town.burnt),
            ]
        }
        rows.append([
            "ward", String(towns.reduce(0) { $0 + $1.buildings }), format(sum(towns.map(\.destroyed))),
            format(sum(towns.map(\.largeScaleHalfDestroyed))), format(sum(towns.map(\.halfDestroyed))),
            surveyedState.rawValue, format(toSurvey.mean), format(toSurvey.p5), format(toSurvey.p50),
            format(toSurvey.p95), format(burnt),
        ])
        return CSVTable.write(header: header, records: rows)
    }
}

/// Why a survey workload cannot be given.
public enum SurveyWorkloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run gives no damage state to count.
    case noDamageStates
    /// Survey teams that are not 1 to 100,000.
    case badTeams(Int)
    /// Buildings per team and day that are not a positive number up to 10,000.
    case badRate(Double)

    /// A sentence naming what is wrong.
    public var description: String {
        switch self {
        case .noDamageStates: "the run gives no damage state to count dwellings to survey by"
        case .badTeams(let teams): "survey teams: \(teams) is not 1 to 100,000"
        case .badRate(let rate): "buildings per team and day: \(rate) is not a positive number up to 10,000"
        }
    }
}
