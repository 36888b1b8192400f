import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The survey workload from a simulation's result: grades as differences of the "or worse"
/// states, the ward's range from each event's total, whole days for a plan, and what is refused.
@Suite struct SurveyWorkloadTests {
    typealias Range = DamageSimulationResult.Range

    /// Two towns over four events; states half ⊇ large_half ⊇ collapse.
    static func result(states: [DamageState] = [.halfCollapse, .largeScaleHalfCollapse, .collapse])
        -> DamageSimulationResult
    {
        let town = { (code: String, buildings: Int, means: [Double]) in
            DamageSimulationResult.TownResult(
                town: code, buildings: buildings,
                damage: means.prefix(states.count).map { Range(mean: $0, p5: $0 / 2, p50: $0, p95: $0 * 2) },
                woodenDeaths: nil, nonWoodenDeaths: nil)
        }
        return DamageSimulationResult(
            scenario: "test", events: 4, seed: 1, states: states, cells: [],
            towns: [town("131150010", 400, [40, 25, 10]), town("131150020", 600, [60, 30, 12])],
            eventTotals: [[50, 30, 10], [90, 50, 20], [110, 60, 25], [150, 80, 33]].map {
                Array($0.prefix(states.count))
            },
            buildingProbabilities: [], townEventCollapse: [], fire: nil, provenance: [])
    }

    @Test func gradesAreTheDifferencesOfTheStates() throws {
        let workload = try SurveyWorkload(result: Self.result())
        let first = workload.towns[0]
        #expect(first.destroyed == 10 && first.largeScaleHalfDestroyed == 15 && first.halfDestroyed == 15)
        #expect(first.toSurvey.mean == 40 && first.toSurvey.p95 == 80 && first.burnt == nil)
        // The ward's range comes from the events' totals (50, 90, 110, 150), not the towns' sum.
        #expect(workload.toSurvey.mean == 100 && workload.toSurvey.p50 == 100)
        #expect(abs(workload.toSurvey.p95 - 144) < 1e-9 && abs(workload.toSurvey.p5 - 56) < 1e-9)
        let rows = workload.csv().split(whereSeparator: \.isNewline)
        #expect(rows.count == 4 && rows[0].hasPrefix("town_code,buildings,destroyed_mean"))
        #expect(rows[3] == "ward,1000,22.00,33.00,45.00,half,100.00,56.00,100.00,144.00,")
        #expect(!workload.isLowerBound && workload.surveyedState == .halfCollapse)
    }

    /// Whole days, rounded up: 100 dwellings at 3 teams × 10 a day is 4 days (3.33), the 95th
    /// percentile's 144 is 5; an exact fit takes no extra day.
    @Test func daysAreWholeAndEnough() throws {
        let workload = try SurveyWorkload(result: Self.result())
        #expect(try workload.days(teams: 3, buildingsPerTeamDay: 10) == (expected: 4, p95: 5))
        #expect(try workload.days(teams: 10, buildingsPerTeamDay: 10) == (expected: 1, p95: 2))
        #expect(try workload.days(teams: 1, buildingsPerTeamDay: 0.5) == (expected: 200, p95: 288))
    }

    /// A set with 全壊 only (the bundled DERIVED one) counts the dwellings 全壊 to survey, says it
    /// is a lower bound and leaves the grades it cannot part empty.
    @Test func aSetWithoutHalfCollapseGivesALowerBound() throws {
        let workload = try SurveyWorkload(result: Self.result(states: [.collapse]))
        #expect(workload.isLowerBound && workload.surveyedState == .collapse)
        #expect(workload.towns[0].destroyed == 40 && workload.towns[0].halfDestroyed == nil)
        #expect(workload.toSurvey.mean == 100)
        let ward = try #require(workload.csv().split(whereSeparator: \.isNewline).last)
        #expect(ward == "ward,1000,100.00,,,collapse,100.00,56.00,100.00,144.00,")
        let partial = try SurveyWorkload(result: Self.result(states: [.largeScaleHalfCollapse, .collapse]))
        #expect(partial.towns[0].largeScaleHalfDestroyed == 15 && partial.towns[0].halfDestroyed == nil)
    }

    @Test func whatCannotBePlannedIsRefused() throws {
        #expect(throws: SurveyWorkloadError.noDamageStates) { try SurveyWorkload(result: Self.result(states: [])) }
        let workload = try SurveyWorkload(result: Self.result())
        #expect(throws: SurveyWorkloadError.badTeams(0)) { try workload.days(teams: 0, buildingsPerTeamDay: 10) }
        for rate in [0, -1, Double.nan, .infinity, 10_001] {
            #expect(throws: SurveyWorkloadError.self) { try workload.days(teams: 3, buildingsPerTeamDay: rate) }
        }
    }
}
