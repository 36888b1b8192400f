import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Fire following the earthquake")
struct FireTests {
    static func box(_ x: Double, _ y: Double, side: Double = 8) -> FootprintBox {
        FootprintBox(minX: x, minY: y, maxX: x + side, maxY: y + side)
    }

    @Test func clustersLinkWithinTheSmallerDistanceAndBreakAtFireResistantBuildings() throws {
        // Five 8 m houses in a row, 5 m apart.
        let boxes = (0..<5).map { Self.box(Double($0) * 13, 0) }
        let preventive = FireClusters(footprints: boxes, limits: [6, 6, 6, 6, 6])
        #expect(preventive.count == 1 && preventive.links == 4)
        // The middle one fire-resistant (0 m): two clusters and a singleton.
        let broken = FireClusters(footprints: boxes, limits: [6, 6, 0, 6, 6])
        #expect(broken.count == 3)
        #expect(broken.clusterOfBuilding[0] == broken.clusterOfBuilding[1])
        #expect(broken.clusterOfBuilding[1] != broken.clusterOfBuilding[3])
        // Quasi-fire-resistant (3 m) next to 防火造 (6 m): the smaller distance decides.
        let mixed = FireClusters(footprints: boxes, limits: [6, 3, 6, 6, 6])
        #expect(mixed.clusterOfBuilding[0] != mixed.clusterOfBuilding[1])
        #expect(mixed.clusterOfBuilding[2] == mixed.clusterOfBuilding[4])
        // A firebreak between the second and third house cuts that link.
        let plane = LocalPlane(origin: try GeoPoint(latitude: 35.7, longitude: 139.6))
        let origin = plane.origin
        let breakLine = [
            try GeoPoint(latitude: origin.latitude - 0.001, longitude: origin.longitude + 23.5 / 90_000),
            try GeoPoint(latitude: origin.latitude + 0.001, longitude: origin.longitude + 23.5 / 90_000),
        ]
        let cut = FireClusters(
            footprints: boxes, limits: [6, 6, 6, 6, 6],
            firebreaks: Firebreaks(lines: [breakLine], in: plane, description: "test"))
        #expect(cut.count == 2 && cut.cutByFirebreaks == 1)
        #expect(cut.clusterOfBuilding[1] != cut.clusterOfBuilding[2])
    }

    /// The grid and union-find equal a brute-force closure over all pairs.
    @Test func clustersEqualBruteForce() {
        var random = SplitMix64(seed: 11)
        let n = 1_500
        let boxes = (0..<n).map { _ in
            Self.box(random.nextUnit() * 600, random.nextUnit() * 600, side: 4 + random.nextUnit() * 12)
        }
        let limits = (0..<n).map { _ in [0.0, 3, 6, 12][Int(random.nextUnit() * 4)] }
        let clusters = FireClusters(footprints: boxes, limits: limits)
        var label = Array(0..<n)
        func root(_ x: Int) -> Int { label[x] == x ? x : root(label[x]) }
        for a in 0..<n {
            for b in (a + 1)..<n where boxes[a].gap(to: boxes[b]) < min(limits[a], limits[b]) {
                let (ra, rb) = (root(a), root(b))
                if ra != rb { label[rb] = ra }
            }
        }
        for a in 0..<n {
            for b in stride(from: a + 1, to: n, by: 7) {
                #expect((root(a) == root(b)) == (clusters.clusterOfBuilding[a] == clusters.clusterOfBuilding[b]))
            }
        }
        #expect(Set(clusters.clusterOfBuilding).count == Set((0..<n).map(root)).count)
        #expect(clusters.members.sorted() == (0..<Int32(n)).map { $0 })
    }

    static func dense(_ count: Int) throws -> [Building] {
        // Houses on a 14 m grid (6 m gaps at 8 m sides would not link at 6 m; 14 − 8 = 6): use 13 m.
        var buildings: [Building] = []
        let side = Int(Double(count).squareRoot().rounded(.up))
        for index in 0..<count {
            let (i, j) = (index % side, index / side)
            var building = Building(
                id: "h\(index)",
                position: try GeoPoint(
                    latitude: 35.69 + Double(j) * 13 / 111_000, longitude: 139.62 + Double(i) * 13 / 90_300),
                structure: .wooden, floors: 2, floorArea: 128, use: .detachedHouse, isSynthetic: true)
            building.constructionYear = 1965
            building.townCode = i < side / 2 ? "131150010" : "131150020"
            buildings.append(building)
        }
        return buildings
    }

    @Test func fireRunIsConsistentAndItsSampleAgreesWithTheExpectation() throws {
        let buildings = try Self.dense(900)
        let fire = try FireModel(
            buildings: buildings, parameters: FireParameters(), distances: try SpreadDistances.bundledDefault(),
            rule: try FireClassRule(parsing: "wooden=fire_preventive"))
        // 8 × 8 m houses 13 m apart: 5 m gaps, below 防火造's 6 m: one cluster per town block or so.
        #expect(fire.clusters.count < 20)
        let scenario = DamageSimulation.Scenario(
            name: "fire", rupture: try DamageSimulationTests.rupture(), model: SiMidorikawa1999(.crustal))
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
            site: .uniformAVS30of400,
            fire: fire)
        let result = try simulation.run(events: 400, seed: 8)
        let burnt = try #require(result.fire)
        let byBuilding = burnt.buildingProbabilities.reduce(0.0) { $0 + Double($1) }
        #expect(abs(byBuilding - burnt.expectedBurnt) < 1e-3 * max(1, burnt.expectedBurnt))
        #expect(abs(burnt.towns.reduce(0) { $0 + $1.mean } - burnt.expectedBurnt) < 1e-6 * max(1, burnt.expectedBurnt))
        #expect(burnt.expectedBurnt > 0)
        // The sampled realisations burn as often as P(burn) says (Poisson approximation aside).
        let sampled = burnt.sampledBurnt
        let sampledMean = Double(sampled.reduce(0, +)) / Double(sampled.count)
        let spread = (sampled.map { pow(Double($0) - sampledMean, 2) }.reduce(0, +) / Double(sampled.count - 1))
            .squareRoot()
        #expect(abs(sampledMean - burnt.expectedBurnt) < 4 * spread / Double(sampled.count).squareRoot() + 1)
        #expect(result.provenance.contains { $0.contains("DERIVED") && $0.contains("non-collapsed") })
        // Deaths follow the burnt count, × the DERIVED 5 a.m. indoor ratio.
        let ratio = try #require(FireParameters.Derivation.indoorRatio(hour: 5))
        #expect(abs(ratio - 1.1514) < 1e-4)
        #expect(abs(try #require(FireParameters.Derivation.indoorRatio(hour: 12)) - 0.8888) < 1e-4)
        #expect(FireParameters.Derivation.indoorRatio(hour: 18) == nil)
        #expect(FireParameters(hour: 18).effectiveIndoorRatio == 1)
        #expect(FireParameters(indoorRatio: 0.5).effectiveIndoorRatio == 0.5)
        #expect(throws: FireInputError.self) { try FireParameters(indoorRatio: -1).validated() }
        #expect(abs(burnt.townDeaths.reduce(0, +) - 0.0218 * ratio * burnt.expectedBurnt) < 1e-9)
    }

    /// A non-collapse ignition table adds fires where buildings stand, so more burns; its rows
    /// are checked with their line numbers.
    @Test func nonCollapseIgnitionTableAddsFires() throws {
        let table = try FireParameters.ignitionRates(
            csv: "# a test table, not a source\nintensity,rate\n5.0,0\n6.0,0.0005\n7.0,0.002\n", name: "r.csv")
        #expect(abs(table.probability(atIntensity: 6.5) - 0.00125) < 1e-15)
        let buildings = try Self.dense(900)
        let rule = try FireClassRule(parsing: "wooden=fire_preventive")
        let scenario = DamageSimulation.Scenario(
            name: "ignition", rupture: try DamageSimulationTests.rupture(), model: SiMidorikawa1999(.crustal))
        func burnt(_ parameters: FireParameters) throws -> Double {
            let fire = try FireModel(
                buildings: buildings, parameters: parameters, distances: try SpreadDistances.bundledDefault(),
                rule: rule)
            return try #require(
                try DamageSimulation(
                    scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
                    site: .uniformAVS30of400, fire: fire
                ).run(events: 100, seed: 3).fire
            ).expectedBurnt
        }
        let collapseOnly = try burnt(FireParameters(nonCollapseIgnitionPerCollapse: 0))
        let withTable = try burnt(FireParameters(nonCollapseRates: table))
        let withBreakers = try burnt(FireParameters(nonCollapseRates: table, breakerInstallation: 1))
        #expect(withTable > collapseOnly)
        #expect(withBreakers < withTable && withBreakers > collapseOnly)
        do {
            _ = try FireParameters.ignitionRates(csv: "intensity,rate\n5,0.1\n4,0.2\n", name: "r.csv")
            Issue.record("decreasing intensities were accepted")
        } catch {
            #expect(error.description == "r.csv:3: intensity: intensities must increase")
        }
        #expect(throws: FireInputError.self) {
            try FireParameters.ignitionRates(csv: "intensity,rate\n5,1.5\n6,0.2\n", name: "r.csv")
        }
    }

    /// The DERIVED non-collapse rate gives back TMG's own totals it was derived from: 80,530
    /// collapses on a winter evening make 623 flaming fires (PRIMARY, p. 411).
    @Test func theDerivedIgnitionReproducesTMGsEveningTotals() throws {
        let evening = try FireParameters(hour: 18).validated()
        #expect(evening.effectiveHourCoefficient == 2.5)
        #expect(try FireParameters(hour: 17).validated().effectiveHourCoefficient == 2.5)
        #expect(FireParameters().effectiveHourCoefficient == 1)
        // Noon: TMG's 多摩直下 burnt buildings at 12:00 over 5:00, for the same collapses.
        let noon = try FireParameters(hour: 12).validated()
        #expect(abs(noon.effectiveHourCoefficient - 1.5778) < 1e-4)
        #expect(noon.provenance.contains { $0.contains("hour 12, DERIVED") && $0.contains("23,211 ÷ 14,711") })
        #expect(throws: FireInputError.self) { try FireParameters(hour: 14).validated() }
        #expect(abs(FireParameters.Derivation.nonCollapseIgnitionPerCollapse - 0.004738) < 5e-7)
        // Per collapsed building (P(collapse) = 1 puts one building's expectation at the rate).
        let perCollapse = evening.flamingProbability(collapse: 1, intensity: 6.5)
        #expect(abs(perCollapse * 80_530 - 623) < 0.5)
        // At 5 a.m. the evening figure divided by the hour coefficient.
        let dawn = FireParameters().flamingProbability(collapse: 1, intensity: 6.5)
        #expect(abs(dawn * 2.5 - perCollapse) < 1e-12)
        // Breakers act on non-collapse ignition only; 0 leaves it out and says the count is a floor.
        let none = FireParameters(nonCollapseIgnitionPerCollapse: 0)
        #expect(!none.modelsNonCollapseIgnition)
        #expect(none.provenance.contains { $0.contains("FLOOR") })
        #expect(
            FireParameters(breakerInstallation: 1).flamingProbability(collapse: 0.1, intensity: 6)
                < FireParameters().flamingProbability(collapse: 0.1, intensity: 6))
        #expect(
            none.flamingProbability(collapse: 0.1, intensity: 6)
                == FireParameters(nonCollapseIgnitionPerCollapse: 0, breakerInstallation: 1)
                .flamingProbability(collapse: 0.1, intensity: 6))
    }

    /// TMG's suppression formula on given inputs: its value by hand, its limits, what it does
    /// to the flaming probability, and the inputs it refuses.
    @Test func suppressionFollowsTMGsFormula() throws {
        // 100 water sources over 10 km², 20 minutes: coverage 1 − (1 − 0.0249705)^100 =
        // 0.920242, time 30 / (29 × 2) = 0.517241, P_S = 0.475987, P_D = 0.237994,
        // P = 0.237994 + 0.762006 × 0.475987 = 0.600699 (computed apart, in Python).
        let inputs = try FireServiceSuppression(waterSources: 100, responseMinutes: 20, area: 1e7).validated()
        #expect(abs(inputs.coverage(area: 1e7) - 0.920242) < 1e-6)
        #expect(abs(inputs.timeFactor - 0.517241) < 1e-6)
        #expect(abs(inputs.share(area: 1e7) - 0.600699) < 1e-6)
        // An area smaller than one source's: covered by one source, not by none; the time factor
        // never exceeds 1.
        let quick = FireServiceSuppression(waterSources: 1, responseMinutes: 5)
        #expect(quick.coverage(area: 100_000) == 1 && quick.timeFactor == 1)
        #expect(quick.share(area: 100_000) == 1)
        #expect(FireServiceSuppression(waterSources: 0, responseMinutes: 5).share(area: 100_000) == 0)
        // The share scales the flaming probability by (1 − P), as a given share does.
        let formula = FireParameters(serviceSuppression: inputs)
        let share = FireParameters(suppression: inputs.share(area: 1e7))
        let none = FireParameters()
        #expect(abs(formula.effectiveSuppression - 0.600699) < 1e-6)
        let flaming = formula.flamingProbability(collapse: 0.2, intensity: 6.2)
        #expect(abs(flaming - share.flamingProbability(collapse: 0.2, intensity: 6.2)) < 1e-15)
        #expect(abs(flaming - none.flamingProbability(collapse: 0.2, intensity: 6.2) * (1 - 0.600699)) < 1e-9)
        #expect(formula.provenance.contains { $0.contains("TMG 2022 p. 6-23") && $0.contains("100 water sources") })
        #expect(none.provenance.contains { $0.contains("without fire-service suppression") })
        // Refused: both ways at once, bad inputs, and a model without the area.
        for (parameters, field) in [
            (FireParameters(suppression: 0.2, serviceSuppression: inputs), "suppression"),
            (FireParameters(serviceSuppression: .init(waterSources: -1, responseMinutes: 20)), "waterSources"),
            (FireParameters(serviceSuppression: .init(waterSources: 10, responseMinutes: 0)), "responseMinutes"),
            (FireParameters(serviceSuppression: .init(waterSources: 10, responseMinutes: .nan)), "responseMinutes"),
            (FireParameters(serviceSuppression: .init(waterSources: 10, responseMinutes: 9, area: -3)), "area"),
        ] {
            #expect(throws: FireInputError.self) { try parameters.validated() }
            do {
                _ = try parameters.validated()
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
        let four = try Self.dense(4)
        let distances = try SpreadDistances.bundledDefault()
        let rule = try FireClassRule(parsing: "wooden=bare_wooden")
        do {
            _ = try FireModel(
                buildings: four,
                parameters: FireParameters(serviceSuppression: .init(waterSources: 10, responseMinutes: 9)),
                distances: distances, rule: rule)
            Issue.record("a model without the formula's area was made")
        } catch {
            #expect(error.field == "area")
        }
    }

    /// Wind stretches the linking distance along its axis only: two houses 10 m apart north to
    /// south link under a north wind, not under an east wind nor in calm.
    @Test func windLinksAlongItsAxisOnly() {
        let pair = [Self.box(0, 0), Self.box(0, 18)]  // 8 m houses, gap 10 m north-south
        #expect(FireClusters(footprints: pair, limits: [6, 6]).count == 2)
        let north = WindElongation(factor: FireParameters.Derivation.windReachFactor(speed: 8), towardsDegrees: 180)
        #expect(abs(north.factor - 2.248) < 1e-12)
        #expect(FireClusters(footprints: pair, limits: [6, 6], wind: north).count == 1)
        let east = WindElongation(factor: north.factor, towardsDegrees: 90)
        #expect(FireClusters(footprints: pair, limits: [6, 6], wind: east).count == 2)
        #expect(abs(east.stretch(0, 10) - 1) < 1e-12 && abs(east.stretch(10, 0) - north.factor) < 1e-12)
        #expect(abs(east.stretch(5, 5) - (1 + (north.factor - 1) / 2)) < 1e-12)
        // Against a brute force over all pairs, with the stretch.
        var random = SplitMix64(seed: 5)
        let boxes = (0..<800).map { _ in
            Self.box(random.nextUnit() * 400, random.nextUnit() * 400, side: 4 + random.nextUnit() * 10)
        }
        let limits = (0..<800).map { _ in [0.0, 3, 6, 12][Int(random.nextUnit() * 4)] }
        let wind = WindElongation(factor: 2, towardsDegrees: 157.5)
        let clusters = FireClusters(footprints: boxes, limits: limits, wind: wind)
        var label = Array(0..<800)
        func root(_ x: Int) -> Int { label[x] == x ? x : root(label[x]) }
        for a in 0..<800 {
            for b in (a + 1)..<800 {
                let stretch = wind.stretch(boxes[b].centreX - boxes[a].centreX, boxes[b].centreY - boxes[a].centreY)
                guard boxes[a].gap(to: boxes[b]) < min(limits[a], limits[b]) * stretch else { continue }
                let (ra, rb) = (root(a), root(b))
                if ra != rb { label[rb] = ra }
            }
        }
        #expect(Set(clusters.clusterOfBuilding).count == Set((0..<800).map(root)).count)
        #expect(clusters.count < FireClusters(footprints: boxes, limits: limits).count)
    }

    /// Segments that cross, touch or overlap on a line meet; parallel and disjoint ones do not.
    @Test func firebreakSegmentTest() {
        #expect(Firebreaks.intersects(0, 0, 2, 2, 0, 2, 2, 0))
        #expect(Firebreaks.intersects(0, 0, 2, 0, 1, 0, 1, 5))  // touching
        #expect(Firebreaks.intersects(0, 0, 2, 0, 1, 0, 3, 0))  // collinear overlap
        #expect(!Firebreaks.intersects(0, 0, 2, 0, 3, 0, 5, 0))  // collinear, apart
        #expect(!Firebreaks.intersects(0, 0, 2, 0, 0, 1, 2, 1))  // parallel
        #expect(!Firebreaks.intersects(0, 0, 1, 1, 2, 2, 3, 0))
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: FireInputError.self) {
            try SpreadDistances(
                csv: "wind_max_ms,fire_resistance,distance_m,status,source\ninf,paper,3,x,y", name: "d.csv")
        }
        do {
            _ = try SpreadDistances(
                csv: "wind_max_ms,fire_resistance,distance_m,status,source\n-4,bare_wooden,3,x,y", name: "d.csv")
        } catch {
            #expect(error.description == "d.csv:2: wind_max_ms: \"-4\" is not a non-negative speed or inf")
        }
        #expect(throws: FireInputError.self) { try FireParameters(windSpeed: -1).validated() }
        #expect(throws: FireInputError.self) { try FireParameters(season: .summer).validated() }
        let summer = try FireParameters(season: .summer, seasonCoefficient: 0.5).validated()
        #expect(
            abs(
                summer.flamingProbability(collapse: 0.2, intensity: 6)
                    - 0.5 * FireParameters().flamingProbability(collapse: 0.2, intensity: 6)) < 1e-15)
        #expect(throws: FireInputError.self) { try FireParameters(initialExtinguishment: 1.2).validated() }
        do {
            _ = try FireParameters(hour: 14).validated()
            Issue.record("an hour without its coefficient was accepted")
        } catch {
            #expect(error.field == "hourCoefficient")
            #expect(error.reason.contains("12 h") && error.reason.contains("17–18 h"))
        }
        #expect(throws: FireInputError.self) { try FireParameters(nonCollapseIgnitionPerCollapse: -0.1).validated() }
        #expect(throws: FireInputError.self) { try FireParameters(nonCollapseIgnitionPerCollapse: .nan).validated() }
        #expect(throws: FireInputError.self) { try FireParameters(windReachFactor: 0.5).validated() }
        #expect(throws: FireInputError.self) { try FireParameters(windReachFactor: .infinity).validated() }
        let buildings = try Self.dense(4)
        do {
            _ = try FireModel(
                buildings: buildings, parameters: FireParameters(), distances: try SpreadDistances.bundledDefault())
            Issue.record("a building without a class was accepted")
        } catch {
            #expect(error.description.contains("building h0"))
        }
        #expect(throws: FireInputError.self) { try FireClassRule(parsing: "wooden=cardboard") }
    }
}

@Suite("Time-stepped fire spread")
struct TimeSteppedSpreadTests {
    static let coefficients = Programs.repositoryRoot.appendingPathComponent(
        "Tests/SuginamiGISTests/Reference/spread-time-test-fixture.json")

    /// A row of houses west to east, wind from the west: fire runs east faster than west, and a
    /// fire-resistant house stops it.
    @Test func spreadFollowsTheWindAndStopsAtFireResistantBuildings() throws {
        var buildings = try FireTests.dense(1)
        buildings = try (0..<21).map { index in
            var building = buildings[0]
            building.id = "r\(index)"
            building.position = try GeoPoint(latitude: 35.69, longitude: 139.62 + Double(index) * 13 / 90_300)
            building.fireResistance = index == 17 ? .fireResistant : .bareWooden
            return building
        }
        let coefficients = try SpreadTimeCoefficients.load(Self.coefficients)
        // No elongation of the links: here the wind acts through the passage times alone (with
        // the default reach, an 8 m/s west wind links house 16 to 18 over the fire-resistant 17).
        let fire = try FireModel(
            buildings: buildings, parameters: FireParameters(windReachFactor: 1, windSpeed: 8, windFrom: 270),
            distances: try SpreadDistances.bundledDefault())
        let stretched = try FireModel(
            buildings: buildings, parameters: FireParameters(windSpeed: 8, windFrom: 270),
            distances: try SpreadDistances.bundledDefault())
        #expect(stretched.clusters.clusterOfBuilding[16] == stretched.clusters.clusterOfBuilding[18])
        #expect(fire.clusters.clusterOfBuilding[16] != fire.clusters.clusterOfBuilding[18])
        let spread = try TimeSteppedSpread(model: fire, ignitions: [10], coefficients: coefficients, horizon: 600)
        let arrival = spread.arrival
        #expect(arrival[10] == 0)
        // East (downwind) of the ignition: faster than the same distance west (upwind).
        let east = try #require(arrival[13])
        let west = try #require(arrival[7])
        #expect(east < west)
        for index in 11..<16 { #expect(try #require(arrival[index]) < #require(arrival[index + 1])) }
        #expect(arrival[17] == nil && arrival[18] == nil)
        // The steps count what has caught by each minute, and grow.
        #expect(spread.steps.count == 601)
        #expect(spread.steps[0].buildings == 1)
        #expect(spread.steps.last!.buildings == arrival.compactMap { $0 }.count)
        #expect(zip(spread.steps, spread.steps.dropFirst()).allSatisfy { $0.buildings <= $1.buildings })
        // One passage by hand: 8 m houses 5 m apart, downwind, bare wood.
        let minutes = coefficients.minutes(side: 8, gap: 5, c: 0, wind: 8, cosine: 1)
        let numerator: Double = 3 + 0.375 * 8 + 8 * 5 / (25 + 2.5 * 8)
        let denominator: Double = 1.5 * (1 + 0.1 * 8 + 0.007 * 64)
        let expected = numerator / denominator
        #expect(abs(minutes - expected) < 1e-12)
        let actual = coefficients.minutes(
            side: 8, gap: fire.boxes[10].gap(to: fire.boxes[11]), c: 0, wind: 8, cosine: 1)
        #expect(abs(try #require(arrival[11]) - actual) < 1e-4)
    }

    @Test func coefficientsAreRequiredAndChecked() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hamada-\(UUID().uuidString).json")
        try Data(
            #"{"alpha": [1, 2, 3, 4, 5], "beta": [1, 2], "downwind": [1, 0, 0], "sideways": [1, 0, 0], "upwind": [1, 0, 0], "status": "x", "source": "y"}"#
                .utf8
        ).write(to: url)
        do {
            _ = try SpreadTimeCoefficients.load(url)
            Issue.record("two betas were accepted")
        } catch {
            #expect(error.field == "beta")
        }
        try Data(#"{"alpha": [1, 2, 3, 4, 5]}"#.utf8).write(to: url)
        do {
            _ = try SpreadTimeCoefficients.load(url)
            Issue.record("missing coefficients were accepted")
        } catch {
            #expect(error.reason.contains("no default"))
        }
    }
}
