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
