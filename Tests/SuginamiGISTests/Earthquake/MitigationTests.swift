import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Mitigation scenarios")
struct MitigationTests {
    static func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mitigation-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func retrofitAndFireproofingReachTheirTargetsOnTheSameBuildingsEveryTime() throws {
        var buildings = try FireTests.dense(400)
        for index in buildings.indices { buildings[index].constructionYear = 1950 + index % 60 }
        let url = try Self.write(
            """
            {"name": "p1", "description": "test", "seed": 3,
             "retrofit": {"targetRate": 0.9, "towns": ["131150010"]},
             "fireproofing": {"targetRate": 0.5},
             "breakerInstallation": 0.25, "initialExtinguishment": 0.6}
            """)
        let scenario = try MitigationScenario.load(url)
        let classes = [FireResistanceClass](repeating: .firePreventive, count: buildings.count)
        let known: Set = ["131150010", "131150020"]
        let applied = try scenario.apply(
            to: buildings, classes: classes, fire: FireParameters(), knownTowns: known, directory: url)
        let scope = applied.buildings.filter { $0.townCode == "131150010" }
        let meets = scope.filter { $0.seismicRetrofit != .none || ($0.constructionYear ?? 0) >= 1981 }
        #expect(Double(meets.count) / Double(scope.count) >= 0.9)
        #expect(Double(meets.count - 1) / Double(scope.count) < 0.9)
        // Oldest first: every retrofitted building is no newer than every old one left.
        let retrofitted = scope.filter { $0.seismicRetrofit == .retrofitted }.compactMap(\.constructionYear)
        let left = scope.filter { $0.seismicRetrofit == .none && ($0.constructionYear ?? 0) < 1981 }
            .compactMap(\.constructionYear)
        #expect((retrofitted.max() ?? 0) <= (left.min() ?? .max))
        // Outside the towns nothing is retrofitted.
        #expect(applied.buildings.filter { $0.townCode == "131150020" }.allSatisfy { $0.seismicRetrofit == .none })
        let proof = applied.buildings.filter { $0.fireResistance == .quasiFireResistant }.count
        #expect(proof == 200)
        #expect(applied.fire.breakerInstallation == 0.25 && applied.fire.initialExtinguishment == 0.6)
        let again = try scenario.apply(
            to: buildings, classes: classes, fire: FireParameters(), knownTowns: known, directory: url)
        #expect(again.buildings == applied.buildings)
        #expect(applied.notes.contains { $0.contains("耐震化率") })
    }

    @Test func pairedComparisonShowsTheReductionWithItsInterval() throws {
        var buildings = try FireTests.dense(900)
        for index in buildings.indices { buildings[index].constructionYear = 1955 + index % 20 }
        let rule = try FireClassRule(parsing: "wooden=fire_preventive")
        let distances = try SpreadDistances.bundledDefault()
        let scenario = DamageSimulation.Scenario(
            name: "pair", rupture: try DamageSimulationTests.rupture(), model: SiMidorikawa1999(.crustal))
        let fragility = try FragilitySet.bundledDefault()
        func run(_ buildings: [Building], _ parameters: FireParameters, _ lines: [[GeoPoint]] = []) throws
            -> DamageSimulationResult
        {
            let fire = try FireModel(
                buildings: buildings, parameters: parameters, distances: distances, rule: rule, firebreakLines: lines)
            return try DamageSimulation(
                scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400, fire: fire
            ).run(events: 200, seed: 5)
        }
        let baseline = try run(buildings, FireParameters())
        let mitigation = MitigationScenario(
            name: "m", description: "retrofit and fire-proof", seed: 1,
            retrofit: .init(targetRate: 1, towns: nil, to: nil),
            fireproofing: .init(targetRate: 0.5, towns: nil, to: nil), breakerInstallation: nil,
            initialExtinguishment: 0.9, firebreaks: nil)
        let applied = try mitigation.apply(
            to: buildings, classes: try rule.classes(of: buildings), fire: FireParameters(),
            knownTowns: ["131150010", "131150020"], directory: URL(fileURLWithPath: "/"))
        let mitigated = try run(applied.buildings, applied.fire)
        let comparison = try MitigationComparison(
            scenario: "m", baseline: baseline, mitigated: mitigated, peoplePerBuilding: ["131150010": 2.5])
        let collapsed = try #require(comparison.ward.differences[.collapsed])
        #expect(collapsed.reduction > 0 && collapsed.lower > 0)
        #expect(abs(collapsed.baseline - (baseline.expectedTotal(.collapse) ?? 0)) < 1e-6 * collapsed.baseline)
        let burnt = try #require(comparison.ward.differences[.burnt])
        #expect(burnt.reduction > 0 && burnt.lower > 0)
        #expect(comparison.ward.differences[.evacuees]!.baseline > 0)
        #expect(comparison.csv().contains("ward,collapsed"))
        // Unpaired runs are refused.
        let other = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400
        ).run(events: 100, seed: 5)
        #expect(throws: SimulationError.self) {
            try MitigationComparison(scenario: "x", baseline: baseline, mitigated: other)
        }
    }

    /// A widened road given as a firebreak line cuts the clusters it crosses, and less burns.
    @Test func firebreakLinesCutClusters() throws {
        let buildings = try FireTests.dense(900)
        let xs = buildings.map(\.position.longitude)
        let middle = (xs.min()! + xs.max()!) / 2 + 6.5 / 90_300  // between two columns of houses
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[\#(middle),35.68],[\#(middle),35.71]]}}]}"#
                .utf8
        ).write(to: directory.appendingPathComponent("road.geojson"))
        let scenario = MitigationScenario(
            name: "road", description: "a widened road", seed: 1, retrofit: nil, fireproofing: nil,
            breakerInstallation: nil, initialExtinguishment: nil, firebreaks: "road.geojson")
        let rule = try FireClassRule(parsing: "wooden=fire_preventive")
        let applied = try scenario.apply(
            to: buildings, classes: try rule.classes(of: buildings), fire: FireParameters(),
            knownTowns: ["131150010", "131150020"], directory: directory.appendingPathComponent("m.json"))
        #expect(applied.firebreakLines.count == 1)
        let distances = try SpreadDistances.bundledDefault()
        let before = try FireModel(buildings: buildings, parameters: applied.fire, distances: distances, rule: rule)
        let after = try FireModel(
            buildings: buildings, parameters: applied.fire, distances: distances, rule: rule,
            firebreakLines: applied.firebreakLines)
        #expect(after.clusters.cutByFirebreaks > 0)
        #expect(after.clusters.count > before.clusters.count)
        try Data("{}".utf8).write(to: directory.appendingPathComponent("road.geojson"))
        #expect(throws: FireInputError.self) {
            try scenario.apply(
                to: buildings, classes: try rule.classes(of: buildings), fire: FireParameters(),
                knownTowns: ["131150010", "131150020"], directory: directory.appendingPathComponent("m.json"))
        }
    }

    @Test func badScenariosAreNamed() throws {
        do {
            _ = try MitigationScenario.load(
                try Self.write(#"{"name": "x", "description": "d", "seed": 1, "retrofit": {"targetRate": 1.4}}"#))
            Issue.record("a rate above 1 was accepted")
        } catch {
            #expect((error as? FireInputError)?.field == "retrofit.targetRate")
        }
        let url = try Self.write(
            #"{"name": "x", "description": "d", "seed": 1, "fireproofing": {"targetRate": 0.7, "towns": ["999"]}}"#)
        let scenario = try MitigationScenario.load(url)
        do {
            _ = try scenario.apply(
                to: try FireTests.dense(4), classes: [.bareWooden, .bareWooden, .bareWooden, .bareWooden],
                fire: FireParameters(), knownTowns: ["131150010"], directory: url)
            Issue.record("an unknown town was accepted")
        } catch {
            #expect("\(error)".contains("town 999 does not exist"))
        }
        #expect(throws: FireInputError.self) {
            try MitigationScenario.load(try Self.write(#"{"name": "x", "description": "d", "seed": 1}"#))
        }
    }
}
