import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Simulation numerics")
struct SimulationNumericsTests {
    @Test func fastExpAndNormalCDFAgainstLibm() {
        var random = SplitMix64(seed: 7)
        var worstExp = 0.0
        var worstCDF = 0.0
        for _ in 0..<200_000 {
            let x = (random.nextUnit() - 0.5) * 1_400
            worstExp = max(worstExp, abs(FastMath.exp(x) - exp(x)) / exp(x))
            let z = (random.nextUnit() - 0.5) * 16
            worstCDF = max(worstCDF, abs(FastMath.normalCDF(z) - 0.5 * erfc(-z / 2.0.squareRoot())))
        }
        #expect(worstExp < 1e-14, "exp: \(worstExp)")
        #expect(worstCDF < 1e-6, "Φ: \(worstCDF)")
    }

    @Test func counterRandomIsKeyedAndNormal() {
        let random = CounterRandom(seed: 42)
        let a = random.truncatedNormal(.withinEvent, event: 3, index: 17, limit: 3)
        #expect(a == CounterRandom(seed: 42).truncatedNormal(.withinEvent, event: 3, index: 17, limit: 3))
        #expect(a != random.truncatedNormal(.betweenEvent, event: 3, index: 17, limit: 3))
        #expect(a != CounterRandom(seed: 43).truncatedNormal(.withinEvent, event: 3, index: 17, limit: 3))
        var sum = 0.0
        var squares = 0.0
        var maximum = 0.0
        let n = 200_000
        for index in 0..<n {
            let z = random.truncatedNormal(.withinEvent, event: 1, index: UInt64(index), limit: 3)
            sum += z
            squares += z * z
            maximum = max(maximum, abs(z))
        }
        // A standard normal truncated at ±3 has mean 0 and variance 0.9733.
        #expect(abs(sum / Double(n)) < 0.01)
        #expect(abs(squares / Double(n) - 0.9733) < 0.01)
        #expect(maximum <= 3)
    }

    @Test func choleskyFieldReproducesTheCorrelation() throws {
        let points = try (0..<40).map {
            try GeoPoint(latitude: 35.70 + Double($0 / 8) * 0.00225, longitude: 139.63 + Double($0 % 8) * 0.00277)
        }
        let model = JayaramBaker2009(.pgv)
        #expect(abs(model.range - 25.7) < 1e-12)
        let field = try CholeskyField(points: points, model: model)
        // L Lᵀ equals the model's matrix (plus the jitter on the diagonal).
        let plane = LocalPlane(origin: points[0])
        var worst = 0.0
        for i in 0..<points.count {
            for j in 0...i {
                var sum = 0.0
                for k in 0...j { sum += field.factor[i * field.count + k] * field.factor[j * field.count + k] }
                let a = plane.project(points[i])
                let b = plane.project(points[j])
                let h = hypot(a.east - b.east, a.north - b.north) / 1000
                worst = max(worst, abs(sum - model.correlation(distance: h) - (i == j ? field.jitter : 0)))
            }
        }
        #expect(worst < 1e-12)
        // Sampled: the correlation of two cells 2 km apart over many fields.
        let random = CounterRandom(seed: 1)
        var independent = [Double](repeating: 0, count: points.count)
        var correlated = [Double](repeating: 0, count: points.count)
        var products = 0.0
        let draws = 20_000
        for draw in 0..<draws {
            for i in 0..<points.count {
                independent[i] = random.truncatedNormal(
                    .withinEvent, event: UInt64(draw), index: UInt64(i), limit: .infinity)
            }
            independent.withUnsafeBufferPointer { input in
                correlated.withUnsafeMutableBufferPointer { field.correlate(input, into: $0) }
            }
            products += correlated[0] * correlated[39]
        }
        let a = plane.project(points[0])
        let b = plane.project(points[39])
        let expected = model.correlation(distance: hypot(a.east - b.east, a.north - b.north) / 1000)
        #expect(
            abs(products / Double(draws) - expected) < 0.03, "sampled \(products / Double(draws)), model \(expected)")
    }
}

@Suite("Fragility")
struct FragilityTests {
    static let resources = Programs.repositoryRoot.appendingPathComponent("Sources/SuginamiGIS/Resources")

    @Test func bundledSetIsTheFitToTheShippedAnchors() throws {
        let set = try FragilitySet.bundledDefault()
        #expect(set.entries.count == 9 && set.entries.allSatisfy { $0.state == .collapse && $0.status == "derived" })
        let anchors = try CSVTable(
            parsing: try String(
                contentsOf: Self.resources.appendingPathComponent("fragility-anchors.csv"), encoding: .utf8),
            file: "fragility-anchors.csv")
        func points(structure: String, era: String) -> [(intensity: Double, rate: Double)] {
            anchors.records.filter { $0[1] == structure && $0[2].hasPrefix(era) }.map {
                (Double($0[5])!, Double($0[6])!)
            }
        }
        var sigmas: [Double] = []
        for (era, label) in [
            (ConstructionEra.woodenBefore1963, "旧築"), (.wooden1963to1971, "中築"), (.woodenFrom2001, "新築"),
        ] {
            let fit = try #require(FragilityFit.normal(points: points(structure: "木造", era: label)))
            sigmas.append(fit.sigma)
            guard case .normal(let mu, let sigma) = set.curve(era: era, ground: .any, state: .collapse) else {
                Issue.record("no normal curve for \(era)")
                continue
            }
            #expect(abs(mu - fit.mu) < 1e-6 && abs(sigma - fit.sigma) < 1e-6, "\(era): \(mu), \(sigma) vs \(fit)")
        }
        let shared = sigmas.reduce(0, +) / 3
        for (era, label) in [
            (ConstructionEra.nonWoodenBefore1972, "旧築年"), (.nonWooden1972to1980, "中築年"), (.nonWoodenFrom1981, "新築年"),
        ] {
            let point = try #require(points(structure: "非木造", era: label).first)
            guard case .normal(let mu, let sigma) = set.curve(era: era, ground: .any, state: .collapse) else {
                Issue.record("no normal curve for \(era)")
                continue
            }
            #expect(abs(sigma - shared) < 1e-6 && abs(mu - FragilityFit.mu(through: point, sigma: shared)) < 1e-6)
        }
        // The fitted wooden 旧築 curve passes within a percentage point of its published points.
        let old = try #require(set.curve(era: .woodenBefore1963, ground: .any, state: .collapse))
        #expect(abs(old.probability(atIntensity: 6.4) - 0.71) < 0.01)
    }

    @Test func badFragilityFilesAreRefused() {
        let header = "era,ground,damage_state,form,mu,sigma,points,status,source\n"
        let cases: [(String, String)] = [
            ("wooden_1800,any,collapse,normal,6,0.3,,derived,s", "era"),
            ("wooden_-1962,any,collapse,normal,6,0,,derived,s", "sigma"),
            ("wooden_-1962,any,collapse,normal,6,0.3,,derived,", "source"),
            ("wooden_-1962,any,collapse,table,,,6.0:0.5;5.5:0.6,official,s", "points"),
            (
                "wooden_-1962,any,collapse,normal,6,0.3,,derived,s\nwooden_-1962,any,collapse,normal,6.1,0.3,,derived,s",
                "second"
            ),
            (
                "wooden_-1962,any,half,normal,6.5,0.3,,derived,s\nwooden_-1962,any,collapse,normal,6.0,0.3,,derived,s",
                "exceeds"
            ),
            ("wooden_-1962,any,collapse,weibull,6,0.3,,derived,s", "form"),
        ]
        for (row, expected) in cases {
            #expect(throws: FragilityError.self) { try FragilitySet(csv: header + row, name: "f.csv") }
            do {
                _ = try FragilitySet(csv: header + row, name: "f.csv")
            } catch {
                #expect(error.description.contains(expected), "\(error)")
            }
        }
        let table = try? FragilitySet(
            csv: header + "non_wooden_1981-,soft,collapse,table,,,5.0:0.0;6.0:0.1;7.0:0.3,official,TMG", name: "t.csv")
        #expect(
            table?.curve(era: .nonWoodenFrom1981, ground: .soft, state: .collapse)?.probability(atIntensity: 6.5) == 0.2
        )
        #expect(
            table?.curve(era: .nonWoodenFrom1981, ground: .soft, state: .collapse)?.probability(atIntensity: 7.5) == 0.3
        )
    }
}

@Suite("Damage simulation")
struct DamageSimulationTests {
    static func rupture(magnitude: Double = 7.3) throws -> PlanarRupture {
        // The peer job's synthetic rupture (not an official source): N45E, vertical, 5–25 km.
        try PlanarRupture(
            magnitude: magnitude, traceStart: try GeoPoint(latitude: 35.4407, longitude: 139.5547), strike: 45, dip: 90,
            rake: 0, topDepth: 5, bottomDepth: 25, length: 50,
            hypocentre: try GeoPoint(latitude: 35.60, longitude: 139.75),
            hypocentralDepth: 15, type: .crustal)
    }

    static func buildings(_ count: Int, year: Int = 1970, structure: StructureClass = .wooden) throws -> [Building] {
        var random = SplitMix64(seed: 3)
        return try (0..<count).map { number in
            var building = Building(
                id: "b\(number)",
                position: try GeoPoint(
                    latitude: 35.66 + random.nextUnit() * 0.07, longitude: 139.58 + random.nextUnit() * 0.10),
                structure: structure, use: .detachedHouse, isSynthetic: true)
            building.constructionYear = year
            building.townCode = number % 2 == 0 ? "131150010" : "131150020"
            return building
        }
    }

    @Test func deterministicAndOrderIndependent() throws {
        let scenario = DamageSimulation.Scenario(
            name: "test", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: try Self.buildings(500), fragility: try FragilitySet.bundledDefault(),
            site: .uniformAVS30of400)
        let a = try simulation.run(events: 120, seed: 9)
        let b = try simulation.run(events: 120, seed: 9)
        #expect(a.buildingProbabilities == b.buildingProbabilities)
        #expect(a.cells.map(\.damage) == b.cells.map(\.damage))
        let c = try simulation.run(events: 120, seed: 10)
        #expect(a.cells.map(\.damage) != c.cells.map(\.damage))
        #expect(a.states == [.collapse])
        #expect(a.provenance.contains { $0.contains("large_half: NOT MODELLED") })
        // The expected total equals the sum over towns and over buildings.
        let total = try #require(a.expectedTotal(.collapse))
        let byTown = a.towns.reduce(0) { $0 + $1.damage[0].mean }
        let byBuilding = a.buildingProbabilities.reduce(0) { $0 + Double($1[0]) }
        #expect(abs(total - byTown) < 1e-6 && abs(total - byBuilding) < 1e-3)
    }

    /// Without truncation, E[Φ((a + bZ − μ)/σ)] = Φ((a − μ)/√(σ² + b²)): the simulated mean
    /// collapse probability of a cell agrees within Monte Carlo error.
    @Test func meanProbabilityMatchesTheClosedForm() throws {
        let scenario = DamageSimulation.Scenario(
            name: "closed form", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal), truncation: 50,
            correlated: false)
        let buildings = try Self.buildings(1)
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
            site: .uniformAVS30of400)
        let events = 20_000
        let result = try simulation.run(events: events, seed: 5)
        let distance = scenario.rupture.ruptureDistance(to: simulation.cells[0].centre)
        let model = scenario.model
        let lnMean = try model.lnMean(.pgv, magnitude: 7.3, hypocentralDepth: 15, rupture: distance) + log(1.41)
        let sigma = try model.sigma(.pgv, magnitude: 7.3, hypocentralDepth: 15, rupture: distance)
        // I = 2.68 + 1.72 lnPGV / ln 10: a normal with this mean and standard deviation.
        let intensityMean = 2.68 + 1.72 * lnMean / log(10)
        let intensitySD = 1.72 * sigma / log(10)
        guard
            case .normal(let mu, let fragilitySigma) = try FragilitySet.bundledDefault().curve(
                era: .wooden1963to1971, ground: .any, state: .collapse)
        else { throw CancellationError() }
        let z = (intensityMean - mu) / (fragilitySigma * fragilitySigma + intensitySD * intensitySD).squareRoot()
        let expected = 0.5 * erfc(-z / 2.0.squareRoot())
        let simulated = Double(result.buildingProbabilities[0][0])
        // Standard error ≤ 0.5/√events; the intensity clamp at 7 binds rarely here.
        #expect(abs(simulated - expected) < 4 * 0.5 / Double(events).squareRoot(), "\(simulated) vs \(expected)")
    }

    @Test func retrofitIsAReclassification() throws {
        var buildings = try Self.buildings(200, year: 1960)
        let scenario = DamageSimulation.Scenario(
            name: "retrofit", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        let fragility = try FragilitySet.bundledDefault()
        let before = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400
        )
        .run(events: 200, seed: 1)
        for index in buildings.indices { buildings[index].seismicRetrofit = .retrofitted }
        let after = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400
        )
        .run(events: 200, seed: 1)
        var modern = try Self.buildings(200, year: 2005)
        modern.sort { $0.id < $1.id }
        let asNew = try DamageSimulation(
            scenario: scenario, buildings: modern, fragility: fragility, site: .uniformAVS30of400
        )
        .run(events: 200, seed: 1)
        // Same random numbers: a retrofitted old house is exactly a new one.
        #expect(after.expectedTotal(.collapse) == asNew.expectedTotal(.collapse))
        #expect(try #require(after.expectedTotal(.collapse)) < #require(before.expectedTotal(.collapse)))
    }

    /// The three named Tokyo scenarios ship with their sources and assumptions, which reach the
    /// run's provenance; they run on the ward's buildings.
    @Test(arguments: ["toshin-nanbu-chokka-m7.3", "tama-tobu-chokka-m7.3", "tokyo-wan-hokubu-m7.3"])
    func namedTokyoScenariosCarryTheirAssumptions(name: String) throws {
        #expect(ScenarioFile.bundledNames.contains(name))
        let file = try ScenarioFile.bundled(named: name)
        #expect(file.description.contains("ASSUMED geometry"))
        #expect(!(file.sources ?? []).isEmpty && !(file.assumptions ?? []).isEmpty)
        let scenario = try file.scenario()
        #expect(scenario.rupture.magnitude == 7.3)
        // The hypocentre lies on the plane (the files put it at the centre).
        #expect(scenario.rupture.ruptureDistance(to: scenario.rupture.hypocentre) <= scenario.rupture.hypocentralDepth)
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: try Self.buildings(50), fragility: try FragilitySet.bundledDefault(),
            site: .uniformAVS30of400)
        let result = try simulation.run(events: 20, seed: 1)
        let assumptions = result.provenance.filter { $0.hasPrefix("scenario ASSUMPTION: ") }
        #expect(assumptions.count == file.assumptions?.count)
        #expect(result.provenance.contains { $0.hasPrefix("scenario source: ") })
        #expect(try #require(result.expectedTotal(.collapse)) > 0)
    }

    /// A regional variant runs with each cell's own distances (it was refused before they were
    /// computed); the north-east correction is ≥ 1, so it never lowers the motion.
    @Test func regionalVariantUsesEachCellsDistances() throws {
        let rupture = try PlanarRupture(
            magnitude: 7.3, traceStart: try GeoPoint(latitude: 35.3351, longitude: 139.4337), strike: 45, dip: 90,
            rake: 0, topDepth: 30, bottomDepth: 51.18, length: 73.62,
            hypocentre: try GeoPoint(latitude: 35.57, longitude: 139.72), hypocentralDepth: 40.59, type: .intraslab)
        let buildings = try Self.buildings(300)
        let fragility = try FragilitySet.bundledDefault()
        func run(_ variant: SiMidorikawa1999.Variant) throws -> DamageSimulationResult {
            try DamageSimulation(
                scenario: .init(name: variant.rawValue, rupture: rupture, model: SiMidorikawa1999(variant)),
                buildings: buildings, fragility: fragility, site: .uniformAVS30of400
            ).run(events: 50, seed: 4)
        }
        let plain = try run(.intraslab)
        let northEast = try run(.intraslabNorthEast)
        let southWest = try run(.intraslabSouthWest)
        #expect(northEast.provenance.contains { $0.contains("regional correction") })
        // Each cell's median is the model's with that cell's own distances.
        for (variant, result) in [
            (SiMidorikawa1999.Variant.intraslabNorthEast, northEast), (.intraslabSouthWest, southWest),
        ] {
            for (cell, other) in zip(result.cells, plain.cells) {
                let region = RegionalDistances(
                    site: cell.centre, hypocentre: rupture.hypocentre, hypocentralDepth: rupture.hypocentralDepth)
                let lnPGV =
                    try SiMidorikawa1999(variant).lnMean(
                        .pgv, magnitude: 7.3, hypocentralDepth: rupture.hypocentralDepth,
                        rupture: rupture.ruptureDistance(to: cell.centre), region: region)
                    + SiteModel.uniformAVS30of400.lnFactor(mesh: cell.mesh)
                #expect(abs(cell.medianIntensity - JMAIntensity.fromLnPGV(lnPGV)) < 1e-12)
                // Deep (H > 30 km): both corrections change the motion.
                #expect(cell.medianIntensity != other.medianIntensity)
            }
        }
    }

    /// A site file's ground_class column picks the ground-specific function for that cell's
    /// buildings, and `any` elsewhere.
    @Test func groundClassesSelectTheirFunctions() throws {
        let scenario = DamageSimulation.Scenario(
            name: "ground", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        let buildings = try Self.buildings(400)
        // Every class of the test buildings (wooden 1963–1971) gets a soft-ground function that
        // never fails below 計測震度 9: soft cells must show no collapse.
        let text = try String(
            contentsOf: Programs.repositoryRoot.appendingPathComponent(
                "Sources/SuginamiGIS/Resources/fragility-derived.csv"), encoding: .utf8)
        let fragility = try FragilitySet(
            csv: text + "wooden_1963-1971,soft,collapse,normal,12,0.3,,test,never collapses\n", name: "soft.csv")
        let plain = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400)
        let cells = plain.cells.map(\.code)
        let soft = Set(cells.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        let csv =
            "mesh_code,avs30,ground_class\n"
            + cells.map { "\($0),400,\(soft.contains($0) ? "soft" : "any")" }.joined(separator: "\n")
        let site = try SiteModel(csv: csv, name: "site.csv", convention: .fujimotoMidorikawa2006)
        #expect(site.assumption.contains("\(soft.count) soft"))
        let result = try DamageSimulation(scenario: scenario, buildings: buildings, fragility: fragility, site: site)
            .run(events: 50, seed: 2)
        let baseline = try plain.run(events: 50, seed: 2)
        #expect(result.provenance.contains { $0.contains("on soft ground") })
        for (cell, before) in zip(result.cells, baseline.cells) {
            if soft.contains(cell.mesh) {
                #expect(cell.damage[0].mean < 1e-9)
            } else {
                #expect(cell.damage[0].mean == before.damage[0].mean)
            }
        }
        #expect(baseline.cells.contains { soft.contains($0.mesh) && $0.damage[0].mean > 0.01 })
        #expect(throws: SiteModelError.self) {
            try SiteModel(
                csv: "mesh_code,avs30,ground_class\n\(cells[0]),400,mud", name: "s.csv", convention: .midorikawa1994)
        }
    }

    /// 300 wooden and 100 reinforced-concrete buildings of 1965.
    static func mixedStock() throws -> [Building] {
        try buildings(300, year: 1965)
            + buildings(100, year: 1965, structure: .reinforcedConcrete).map { building in
                var copy = building
                copy.id = "rc-\(building.id)"
                return copy
            }
    }

    /// Non-wooden deaths follow TMG's t_n with the given night populations and the inventory's
    /// counts; without populations they are not computed (empty, never zero).
    @Test func nonWoodenDeathsNeedTheNightPopulations() throws {
        let buildings = try Self.mixedStock()
        let scenario = DamageSimulation.Scenario(
            name: "deaths", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        let fragility = try FragilitySet.bundledDefault()
        let without = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400
        ).run(events: 40, seed: 3)
        #expect(without.towns.allSatisfy { $0.nonWoodenDeaths == nil && $0.woodenDeaths != nil })
        #expect(without.townsCSV().split(whereSeparator: \.isNewline)[1].hasSuffix(","))
        let population = try DamageSimulation.NightPopulation(wooden: 600, nonWooden: 400)
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: buildings, fragility: fragility, site: .uniformAVS30of400,
            nightPopulation: population)
        let with = try simulation.run(events: 40, seed: 3)
        // t_n = 0.00840 × (400 · 300) / (600 · 100) = 0.0168 per collapsed non-wooden building.
        let rate = 0.00840 * (400.0 * 300) / (600.0 * 100)
        let nonWoodenCollapse = with.buildingProbabilities.enumerated()
            .filter { buildings[$0.offset].structure == .reinforcedConcrete }
            .reduce(0.0) { $0 + Double($1.element[0]) }
        let deaths = with.towns.compactMap(\.nonWoodenDeaths).reduce(0, +)
        #expect(nonWoodenCollapse > 0)
        #expect(abs(deaths - rate * nonWoodenCollapse) < 1e-4 * max(1, deaths))
        #expect(with.provenance.contains { $0.contains("t_n = 0.00840") })
        #expect(throws: SimulationError.self) { try DamageSimulation.NightPopulation(wooden: -1, nonWooden: 5) }
    }

    /// Collapse deaths scale with the occupancy at the event's hour, wooden and non-wooden
    /// apart, over the same collapses; the defaults say where they come from.
    @Test func deathsFollowTheOccupancyOfTheHour() throws {
        let buildings = try Self.mixedStock()
        let scenario = DamageSimulation.Scenario(
            name: "hours", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        let population = try DamageSimulation.NightPopulation(wooden: 600, nonWooden: 400)
        func deaths(_ occupancy: Occupancy) throws -> (wooden: Double, nonWooden: Double, provenance: [String]) {
            let simulation = try DamageSimulation(
                scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
                site: .uniformAVS30of400, nightPopulation: population, occupancy: occupancy)
            let result = try simulation.run(events: 40, seed: 3)
            return (
                result.towns.compactMap(\.woodenDeaths).reduce(0, +),
                result.towns.compactMap(\.nonWoodenDeaths).reduce(0, +), simulation.provenance
            )
        }
        let dawn = try deaths(.fiveAM)
        let noon = try deaths(try Occupancy.default(hour: 12))
        let given = try deaths(try Occupancy.given(wooden: 0.25, nonWooden: 3, hour: 9))
        #expect(dawn.wooden > 0 && dawn.nonWooden > 0)
        #expect(abs(noon.wooden - dawn.wooden * 2_840 / 4_489) < 1e-9 * dawn.wooden)
        #expect(abs(noon.nonWooden - dawn.nonWooden * 2_840 / 4_489) < 1e-9 * dawn.nonWooden)
        #expect(abs(given.wooden - dawn.wooden * 0.25) < 1e-9 * dawn.wooden)
        #expect(abs(given.nonWooden - dawn.nonWooden * 3) < 1e-9 * dawn.nonWooden)
        #expect(noon.provenance.contains { $0.contains("at 12 h: wooden 0.633, non-wooden 0.633, DERIVED") })
        #expect(given.provenance.contains { $0.contains("at 9 h: wooden 0.250, non-wooden 3.000, given") })
        // The defaults by hour: 1 at 5 h, the midday ratio at 10–15 h, the 5 a.m. stand-in else.
        #expect(try Occupancy.default(hour: 5) == .fiveAM)
        for hour in [10, 12, 15] { #expect(try Occupancy.default(hour: hour).basis == .derived) }
        let evening = try Occupancy.default(hour: 18)
        #expect(evening.basis == .derived && abs(evening.wooden - 3_220.0 / 4_489) < 1e-12)
        #expect(evening.provenance.contains("3,220 at 18:00 ÷ 4,489 at 5:00"))
        for hour in [0, 9, 16, 17, 19, 23] {
            let occupancy = try Occupancy.default(hour: hour)
            #expect(occupancy.basis == .fiveAMStandIn && occupancy.wooden == 1 && occupancy.nonWooden == 1)
            #expect(occupancy.provenance.contains("NOT FOUND"))
        }
        #expect(throws: SimulationError.self) { try Occupancy.default(hour: 24) }
        #expect(throws: SimulationError.self) { try Occupancy.given(wooden: -0.1, nonWooden: 1, hour: 12) }
        #expect(throws: SimulationError.self) { try Occupancy.given(wooden: 1, nonWooden: .nan, hour: 12) }
    }

    /// Fitted curves of different spread cross (the bundled wooden 新築 curve lies above the 中築
    /// one below I ≈ 5.23): a newer house must still never fail more readily than an older one
    /// beside it, and the run says where the cap acts.
    @Test func newerHousesNeverFailMoreReadilyThanOlderOnes() throws {
        let fragility = try FragilitySet.bundledDefault()
        let old = try #require(fragility.curve(era: .wooden1963to1971, ground: .any, state: .collapse))
        let new = try #require(fragility.curve(era: .woodenFrom2001, ground: .any, state: .collapse))
        #expect(new.probability(atIntensity: 5.0) > old.probability(atIntensity: 5.0))
        #expect(new.probability(atIntensity: 6.0) < old.probability(atIntensity: 6.0))
        let older = try Self.buildings(200, year: 1965)
        let newer = try Self.buildings(200, year: 2005).map { building in
            var copy = building
            copy.id = "new-\(building.id)"
            return copy
        }
        let scenario = DamageSimulation.Scenario(
            name: "weak", rupture: try Self.rupture(magnitude: 5.8), model: SiMidorikawa1999(.crustal))
        let simulation = try DamageSimulation(
            scenario: scenario, buildings: older + newer, fragility: fragility, site: .uniformAVS30of400)
        let result = try simulation.run(events: 200, seed: 4)
        // Not vacuous: somewhere the fitted newer curve lies above the older one.
        #expect(
            result.cells.contains {
                new.probability(atIntensity: $0.medianIntensity) > old.probability(atIntensity: $0.medianIntensity)
            })
        for index in 0..<200 {
            let (p1965, p2005) = (result.buildingProbabilities[index][0], result.buildingProbabilities[200 + index][0])
            #expect(p2005 <= p1965, "building \(index): \(p2005) > \(p1965)")
        }
        #expect(
            simulation.provenance.contains {
                $0.contains("fragility ordering (ASSUMED)")
                    && $0.contains("wooden_2001- above wooden_1963-1971 (collapse) for I up to 5.23")
            })
    }

    @Test func badInputNamesTheItem() throws {
        let scenario = DamageSimulation.Scenario(
            name: "bad", rupture: try Self.rupture(), model: SiMidorikawa1999(.crustal))
        var buildings = try Self.buildings(3)
        buildings[1].constructionYear = nil
        #expect(throws: SimulationError.self) {
            try DamageSimulation(
                scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
                site: .uniformAVS30of400)
        }
        do {
            _ = try DamageSimulation(
                scenario: scenario, buildings: buildings, fragility: try FragilitySet.bundledDefault(),
                site: .uniformAVS30of400)
        } catch {
            #expect("\(error)".contains("building b1 has no construction year"))
        }
        let slab = DamageSimulation.Scenario(
            name: "bad", rupture: try Self.rupture(), model: SiMidorikawa1999(.intraslab))
        #expect(throws: SimulationError.self) {
            try DamageSimulation(
                scenario: slab, buildings: try Self.buildings(3), fragility: try FragilitySet.bundledDefault(),
                site: .uniformAVS30of400)
        }
        let onlyWooden = try FragilitySet(
            csv:
                "era,ground,damage_state,form,mu,sigma,points,status,source\nwooden_1963-1971,any,collapse,normal,6,0.3,,x,y",
            name: "w.csv")
        do {
            _ = try DamageSimulation(
                scenario: scenario, buildings: try Self.buildings(3, year: 1990, structure: .reinforcedConcrete),
                fragility: onlyWooden, site: .uniformAVS30of400)
            Issue.record("a class without a function was accepted")
        } catch {
            #expect("\(error)".contains("no damage function for class non_wooden_1981-"))
        }
        #expect(throws: SiteModelError.self) {
            try SiteModel(csv: "mesh_code,avs30\n5339452,300", name: "s.csv", convention: .midorikawa1994)
        }
        #expect(throws: SiteModelError.self) {
            try SiteModel(csv: "mesh_code,avs30\n5339452311,nan", name: "s.csv", convention: .midorikawa1994)
        }
    }
}
