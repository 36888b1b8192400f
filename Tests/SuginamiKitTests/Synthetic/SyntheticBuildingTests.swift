import Testing

@testable import SuginamiKit

@Suite("Synthetic building stock")
struct SyntheticBuildingTests {
    @Test func allocationIsProportionalToHouseholdsAndExact() throws {
        let towns = try SuginamiDataset.bundled().towns
        let generator = SyntheticBuildingGenerator()
        let counts = generator.allocation(for: towns)
        #expect(counts.reduce(0, +) == 122_900)
        let households = Double(towns.reduce(0) { $0 + $1.households })
        for (town, count) in zip(towns, counts) {
            #expect(abs(Double(count) - Double(town.households) / households * 122_900) < 1)
        }
    }

    @Test func deterministicInsideTheTownAndFlagged() throws {
        let dataset = try SuginamiDataset.bundled()
        let generator = SyntheticBuildingGenerator(seed: 7, totalBuildings: 5_000)
        let town = dataset.towns[10]
        let a = generator.buildings(in: town, townIndex: 10, count: 300, stock: dataset.buildingStock)
        let b = generator.buildings(in: town, townIndex: 10, count: 300, stock: dataset.buildingStock)
        #expect(a == b)
        let other = SyntheticBuildingGenerator(seed: 8).buildings(
            in: town, townIndex: 10, count: 300, stock: dataset.buildingStock)
        #expect(a != other)
        for building in a {
            #expect(building.isSynthetic && building.id.hasPrefix("SYN-\(town.code)-"))
            #expect(town.boundary.contains(building.position))
            #expect(building.townCode == town.code)
            #expect(building.problems().isEmpty)
            #expect(building.footprint.map { $0.contains(building.position) } == true)
            #expect(building.structure == .wooden || building.structure == .nonWoodenUnspecified)
        }
    }

    @Test func mixFollowsTheStockTable() throws {
        let dataset = try SuginamiDataset.bundled()
        let generator = SyntheticBuildingGenerator(seed: 1)
        var buildings: [Building] = []
        for (index, town) in dataset.towns.prefix(40).enumerated() {
            buildings += generator.buildings(in: town, townIndex: index, count: 500, stock: dataset.buildingStock)
        }
        let stock = dataset.buildingStock
        for row in stock.rows {
            let expected = Double(row.buildings) / Double(stock.total)
            let observed =
                Double(
                    buildings.filter { building in
                        building.structure.isWooden == row.isWooden
                            && (row.yearFrom ?? 0) <= building.constructionYear!
                            && building.constructionYear! <= (row.yearTo ?? 9999)
                    }.count) / Double(buildings.count)
            // 20,000 draws: four standard errors of a proportion is below 0.014.
            #expect(abs(observed - expected) < 0.014, "\(row.classLabel): \(observed) vs \(expected)")
        }
    }
}

@Suite("Construction eras")
struct ConstructionEraTests {
    @Test(
        arguments: [
            (StructureClass.wooden, 1962, ConstructionEra.woodenBefore1963),
            (.wooden, 1963, .wooden1963to1971), (.firePreventiveWooden, 1980, .wooden1972to1980),
            (.wooden, 1981, .wooden1981to1990), (.wooden, 2000, .wooden1991to2000), (.wooden, 2001, .woodenFrom2001),
            (.reinforcedConcrete, 1971, .nonWoodenBefore1972), (.steel, 1972, .nonWooden1972to1980),
            (.nonWoodenUnspecified, 1981, .nonWoodenFrom1981),
        ])
    func boundariesFollowTheTMGClasses(structure: StructureClass, year: Int, era: ConstructionEra) throws {
        #expect(ConstructionEra(structure: structure, year: year) == era)
        let range = era.years
        #expect(range.from.map { year >= $0 } ?? true)
        #expect(range.to.map { year <= $0 } ?? true)
        // 新耐震 (the 1981 code) is what separates the 新築年 classes.
        #expect(era.meetsNewSeismicCode == (year >= 1981))
        let building = Building(
            id: "B", position: try GeoPoint(latitude: 35.7, longitude: 139.6), structure: structure,
            constructionYear: year, isSynthetic: false)
        #expect(building.era == era)
    }
}
