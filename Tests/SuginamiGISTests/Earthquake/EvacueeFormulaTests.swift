import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// TMG's evacuee formula, and the shelter demand and comparison that use it, with 半壊 when the
/// fragility set gives it and the lifeline term when its share is given.
@Suite("Evacuees (TMG 2022 p. 6-70)")
struct EvacueeFormulaTests {
    @Test func theFormulaByHand() throws {
        let formula = try EvacueeFormula(lifelineShare: 0.1)
        // (10 + 5 + 0.503 × 20) × 2 = 50.12; lifeline (1,000 − 50.12) × 0.1 = 94.988.
        let people = formula.evacuees(
            collapsed: 10, burnt: 5, halfCollapsed: 20, peoplePerBuilding: 2, residents: 1_000)
        #expect(abs(people.damage - 50.12) < 1e-9 && abs(people.lifeline - 94.988) < 1e-9)
        // Damage evacuees never exceed the residents, and then none is left for lifelines.
        let all = formula.evacuees(collapsed: 600, burnt: 0, halfCollapsed: 0, peoplePerBuilding: 2, residents: 1_000)
        #expect(all.damage == 1_000 && all.lifeline == 0)
        #expect(EvacueeFormula.withoutLifelines.isFloor(modelsHalfCollapse: true))
        #expect(!formula.isFloor(modelsHalfCollapse: true) && formula.isFloor(modelsHalfCollapse: false))
        #expect(
            EvacueeFormula.withoutLifelines.provenance(modelsHalfCollapse: false).allSatisfy { $0.contains("FLOOR") })
        #expect(throws: SimulationError.self) { try EvacueeFormula(lifelineShare: 1.5) }
        #expect(throws: SimulationError.self) { try EvacueeFormula(lifelineShare: -0.1) }
        #expect(throws: SimulationError.self) { try EvacueeFormula(lifelineShare: .nan) }
    }

    /// With a fragility set that gives 半壊 (made-up test curves, not a source), the run records
    /// the 半壊-only buildings per event and town, and the shelter demand and the comparison add
    /// 50.3 % of their residents, and the lifeline share of the others.
    @Test func halfCollapseAndLifelinesReachTheDemand() throws {
        let fragility = try FragilitySet(
            csv: """
                era,ground,damage_state,form,mu,sigma,points,status,source
                wooden_1963-1971,any,half,normal,5.9,0.3,,official,made-up test curve
                wooden_1963-1971,any,collapse,normal,6.4,0.3,,official,made-up test curve
                """, name: "test.csv")
        let buildings = try DamageSimulationTests.buildings(400, year: 1965)
        let scenario = DamageSimulation.Scenario(
            name: "half", rupture: try DamageSimulationTests.rupture(), model: SiMidorikawa1999(.crustal))
        let result = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400
        ).run(events: 60, seed: 5)
        let townCount = result.towns.count
        #expect(result.townEventHalfCollapse.count == 60 * townCount)
        #expect(result.townEventHalfCollapse.allSatisfy { $0 >= 0 })
        let half = try #require(result.states.firstIndex(of: .halfCollapse))
        let collapse = try #require(result.states.firstIndex(of: .collapse))
        for town in 0..<townCount {
            let mean = (0..<60).reduce(0.0) { $0 + result.townEventHalfCollapse[$1 * townCount + town] } / 60
            let expected = result.towns[town].damage[half].mean - result.towns[town].damage[collapse].mean
            #expect(mean > 0 && abs(mean - expected) < 1e-6 * max(1, expected), "\(mean) vs \(expected)")
        }
        // The same numbers by hand: every town's residents per building 2.5.
        let perBuilding = Dictionary(uniqueKeysWithValues: result.towns.map { ($0.town, 2.5) })
        let formula = try EvacueeFormula(lifelineShare: 0.2)
        var byHand = 0.0
        for event in 0..<60 {
            for town in 0..<townCount {
                let index = event * townCount + town
                let people = formula.evacuees(
                    collapsed: result.townEventCollapse[index], burnt: 0,
                    halfCollapsed: result.townEventHalfCollapse[index], peoplePerBuilding: 2.5,
                    residents: 2.5 * Double(result.towns[town].buildings))
                byHand += people.damage + people.lifeline
            }
        }
        byHand /= 60
        let source = DataSource(id: "test", title: "test", licence: "none", attribution: "test")
        let centres = [
            Facility(
                id: "c1", kind: .reliefCentre, name: "one", position: try GeoPoint(latitude: 35.68, longitude: 139.61),
                source: source, capacity: 100),
            Facility(
                id: "c2", kind: .reliefCentre, name: "two", position: try GeoPoint(latitude: 35.71, longitude: 139.66),
                source: source, capacity: 5_000),
        ]
        let demand = try #require(
            ShelterDemand(
                result: result, buildings: buildings, peoplePerBuilding: perBuilding, centres: centres, formula: formula
            ))
        #expect(abs(demand.total.mean - byHand) < 1e-6 * byHand, "\(demand.total.mean) vs \(byHand)")
        #expect(abs(demand.centres.reduce(0) { $0 + $1.demand.mean } - byHand) < 1e-6 * byHand)
        #expect(demand.includesHalfCollapse && demand.lifelineShare == 0.2 && !demand.isFloor)
        #expect(demand.provenance.contains { $0.contains("半壊 from the fragility set's 半壊 function") })
        // Without the lifeline share the demand is smaller and a floor.
        let floor = try #require(
            ShelterDemand(result: result, buildings: buildings, peoplePerBuilding: perBuilding, centres: centres))
        #expect(floor.total.mean < demand.total.mean && floor.isFloor)
        // The comparison counts evacuees by the same rule.
        let comparison = try MitigationComparison(
            scenario: "same", baseline: result, mitigated: result, peoplePerBuilding: perBuilding, formula: formula)
        let evacuees = try #require(comparison.ward.differences[.evacuees])
        #expect(abs(evacuees.baseline - byHand) < 1e-6 * byHand && evacuees.reduction == 0)
    }
}
