import Foundation
import Testing

@testable import SuginamiGIS

/// A municipality's own ground-motion model plugs into the engine through `GroundMotionModel`.
@Suite("Ground-motion model seam")
struct GroundMotionSeamTests {
    /// Si & Midorikawa shifted by a constant in ln PGV: a stand-in for an official model.
    struct ShiftedModel: GroundMotionModel {
        let shift: Double
        let base = SiMidorikawa1999(.crustal)
        var identifier: String { "shifted-\(shift)" }
        var earthquakeType: EarthquakeType { .crustal }
        var provenance: String { "ground motion: the test model, Si-Midorikawa + \(shift) in ln PGV" }

        func lnMean(
            _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double,
            region: RegionalDistances?
        ) throws(GroundMotionError) -> Double {
            try base.lnMean(
                measure, magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture, region: region)
                + shift
        }

        func sigma(
            _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double
        ) throws(GroundMotionError) -> Double {
            try base.sigma(measure, magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture)
        }
    }

    func collapsed(_ model: any GroundMotionModel) throws -> (Double, [String]) {
        let simulation = try DamageSimulation(
            scenario: DamageSimulation.Scenario(
                name: "seam", rupture: try DamageSimulationTests.rupture(), model: model),
            buildings: try DamageSimulationTests.buildings(400), fragility: try FragilitySet.bundledDefault(),
            site: .uniformAVS30of400)
        let result = try simulation.run(events: 100, seed: 3)
        return (try #require(result.expectedTotal(.collapse)), result.provenance)
    }

    @Test func theEngineUsesTheModelItIsGiven() throws {
        let (bundled, _) = try collapsed(SiMidorikawa1999(.crustal))
        let (same, _) = try collapsed(ShiftedModel(shift: 0))
        #expect(same == bundled)
        let (stronger, provenance) = try collapsed(ShiftedModel(shift: 0.7))
        #expect(stronger > bundled)
        #expect(provenance.contains("ground motion: the test model, Si-Midorikawa + 0.7 in ln PGV"))
        // A model for another type of earthquake is refused, naming it.
        struct Slab: GroundMotionModel {
            var identifier: String { "slab-only" }
            var earthquakeType: EarthquakeType { .intraslab }
            var provenance: String { "" }
            func lnMean(
                _: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double,
                region: RegionalDistances?
            ) throws(GroundMotionError) -> Double { 0 }
            func sigma(_: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double)
                throws(GroundMotionError) -> Double
            { 0.5 }
        }
        #expect(throws: SimulationError.self) { try collapsed(Slab()) }
    }

    /// Both correlation methods are selectable and agree on the expected damage (the field's
    /// marginals are standard normal either way), and a scenario file names its method.
    @Test func correlationMethodsAreSelectable() throws {
        func run(_ method: any CorrelationMethod) throws -> (Double, [String]) {
            var scenario = DamageSimulation.Scenario(
                name: "seam", rupture: try DamageSimulationTests.rupture(), model: SiMidorikawa1999(.crustal))
            scenario.correlation = method
            let simulation = try DamageSimulation(
                scenario: scenario, buildings: try DamageSimulationTests.buildings(400),
                fragility: try FragilitySet.bundledDefault(), site: .uniformAVS30of400)
            let result = try simulation.run(events: 300, seed: 5)
            let total = try #require(result.expectedTotal(.collapse))
            return (total, result.provenance)
        }
        let (exact, exactNotes) = try run(CholeskyCorrelation())
        let (grid, gridNotes) = try run(CirculantEmbeddingCorrelation(spacing: 1))
        #expect(exactNotes.contains { $0.contains("exact Cholesky") })
        #expect(gridNotes.contains { $0.contains("circulant embedding") && $0.contains("1.0 km grid") })
        #expect(exact > 0 && abs(grid - exact) / exact < 0.25, "Cholesky \(exact), circulant \(grid)")
        #expect(grid != exact)

        var file = try ScenarioFile.bundled(named: "toshin-nanbu-chokka-m7.3")
        file.correlationMethod = "circulant-embedding"
        #expect(try file.scenario().correlation is CirculantEmbeddingCorrelation)
        file.correlationMethod = "kriging"
        #expect(throws: ScenarioFileError.self) { try file.scenario() }
    }
}
