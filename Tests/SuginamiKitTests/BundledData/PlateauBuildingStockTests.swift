import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiKit

/// The bundled real footprints and the priors that give them the attributes PLATEAU lacks.
@Suite("PLATEAU building stock")
struct PlateauBuildingStockTests {
    /// Read once: 118,522 footprints take a few seconds in a debug build.
    static let stock: Result<PlateauBuildingStock, any Error> = Result {
        let dataset = try SuginamiDataset.bundled()
        return try PlateauBuildingStock.bundled(towns: dataset.towns, table: dataset.buildingStock)
    }

    @Test func everyFootprintIsAValidRealBuildingOfABundledTown() throws {
        let stock = try Self.stock.get()
        let towns = Set(try SuginamiDataset.bundled().towns.map(\.code))
        #expect(stock.footprints.count == 118_522)
        #expect(Set(stock.footprints.map(\.id)).count == stock.footprints.count)
        for footprint in stock.footprints {
            #expect(footprint.id.hasPrefix("13115-bldg-"))
            #expect(towns.contains(footprint.townCode))
            #expect(footprint.footprint.rings.allSatisfy { $0.count >= 4 && $0.first == $0.last })
            #expect((0.5...400).contains(footprint.height))
        }
        // The source's roof-edge areas: the bundle keeps outlines to 1e-6 degrees (about 0.1 m).
        let areas = stock.footprints.map { $0.footprint.approximateArea }.sorted()
        #expect((40...150).contains(areas[areas.count / 2]))
        // Deep flood depths mark the valley floors: a minority of buildings, never all.
        let deep = stock.footprints.filter { ($0.floodDepth ?? 0) >= 0.5 }.count
        #expect((5_000...20_000).contains(deep))
    }

    /// Every bundled outline is a valid polygon to GDAL (rounding to 1e-6 degrees broke three,
    /// which the bundling script repairs).
    @Test func everyOutlineIsValidToGDAL() throws {
        let stock = try Self.stock.get()
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("footprints.geojson")
        let writer = try GeoJSONFeatureWriter(url)
        for footprint in stock.footprints {
            try writer.append(
                .object([
                    ("type", .string("Feature")),
                    ("geometry", GeoJSON.geometry(try GeoMultiPolygon([footprint.footprint]))),
                    ("properties", .object([("id", .string(footprint.id))])),
                ]))
        }
        try writer.finish()
        let check = try Programs.invalidGeometries(url)
        #expect(check.total == 118_522 && check.invalid == 0, "\(check)")
    }

    @Test func recordsAreRealInOutlineAndSayWhatIsAssumed() throws {
        let stock = try Self.stock.get()
        let buildings = Array(stock.buildings().prefix(2_000))
        for (building, footprint) in zip(buildings, stock.footprints) {
            #expect(!building.isSynthetic)
            #expect(building.id == footprint.id)
            #expect(building.footprint == footprint.footprint)
            #expect(building.townCode == footprint.townCode)
            #expect(building.assumedAttributes == BuildingAttributePriors.assumedAttributes)
            #expect(!building.assumedAttributes.contains(.footprint))
            #expect(building.footprint?.boundingBox.contains(building.position) == true)
            #expect(building.problems().isEmpty)
            #expect(building.floors == BuildingAttributePriors.floors(height: footprint.height))
            let year = try #require(building.constructionYear)
            #expect(
                building.fireResistance
                    == BuildingAttributePriors.fireResistance(structure: building.structure, year: year))
        }
    }

    @Test func theWoodenShareIsTokyosAndTheRelationsAreTheSamples() throws {
        let stock = try Self.stock.get()
        let buildings = stock.buildings()
        let wooden = Double(buildings.filter(\.structure.isWooden).count) / Double(buildings.count)
        // The calibration sets the expectation to the table's share; one draw lands within a point.
        #expect(abs(wooden - stock.priors.tableWoodenShare) < 0.01)
        #expect(abs(stock.priors.tableWoodenShare - 1_972_044.0 / 2_804_581.0) < 1e-12)
        // Low, small buildings are mostly wooden; tall, large ones mostly not.
        let priors = stock.priors
        #expect(priors.woodenProbability(height: 6, footprintArea: 40) > 0.8)
        #expect(priors.woodenProbability(height: 25, footprintArea: 400) < 0.25)
        // Low wooden houses are older than three-storey ones.
        func meanYear(_ heights: ClosedRange<Double>) -> Double {
            let years = zip(buildings, stock.footprints)
                .filter { $0.0.structure.isWooden && heights.contains($0.1.height) }
                .compactMap(\.0.constructionYear)
            return Double(years.reduce(0, +)) / Double(max(1, years.count))
        }
        #expect(meanYear(0...6.9) + 3 < meanYear(10...13))
    }

    @Test func storeysFromHeightFollowTheSample() {
        // The sample's median heights per storey count (learn_priors.py).
        for (height, floors) in [(5.1, 1), (7.5, 2), (9.8, 3), (14.0, 4), (17.7, 5), (2.0, 1), (94.4, 28)] {
            #expect(BuildingAttributePriors.floors(height: height) == floors, "height \(height)")
        }
    }

    @Test func theFireResistanceRuleIsTheStatedOne() {
        #expect(BuildingAttributePriors.fireResistance(structure: .wooden, year: 1962) == .bareWooden)
        #expect(BuildingAttributePriors.fireResistance(structure: .wooden, year: 1963) == .firePreventive)
        #expect(BuildingAttributePriors.fireResistance(structure: .wooden, year: 2000) == .firePreventive)
        #expect(BuildingAttributePriors.fireResistance(structure: .wooden, year: 2001) == .quasiFireResistant)
        #expect(BuildingAttributePriors.fireResistance(structure: .nonWoodenUnspecified, year: 1950) == .fireResistant)
    }

    @Test func drawsDependOnTheIdAndSeedOnly() throws {
        let table = try SuginamiDataset.bundled().buildingStock
        let priors = BuildingAttributePriors(stock: table, seed: 1)
        let a = priors.attributes(id: "13115-bldg-42", height: 7.5, footprintArea: 60)
        #expect(a == priors.attributes(id: "13115-bldg-42", height: 7.5, footprintArea: 60))
        let others = (0..<50).map { BuildingAttributePriors(stock: table, seed: UInt64($0 + 2)) }
            .map { $0.attributes(id: "13115-bldg-42", height: 7.5, footprintArea: 60) }
        #expect(others.contains { $0 != a })
    }

    @Test(arguments: StoreBackend.allCases)
    func theStoreKeepsWhichFieldsAreAssumed(_ backend: StoreBackend) async throws {
        let stock = try Self.stock.get()
        let dataset = try SuginamiDataset.bundled()
        let store = try await backend.makeStore()
        let part = PlateauBuildingStock(
            footprints: Array(stock.footprints.prefix(500)), priors: stock.priors)
        try await store.save(dataset.towns)
        try await store.insert(part.buildings())
        let read = try await store.buildings()
        #expect(read.count == 500)
        #expect(Set(read) == Set(part.buildings()))
        let summary = try await store.summary()
        #expect(summary.buildingsWithAssumedAttributes == 500)
        #expect(summary.syntheticBuildings == 0)
    }

    @Test func aDamagedFileIsRefusedNamingRowAndField() {
        let header = "building_id,town_code,height_m,flood_depth_m,footprint\n"
        let good = "13115-bldg-1,13115001001,7.5,,_q}acA_gogiG?gEgE??fEfE?\n"
        func problem(_ text: String) -> InputFileError? {
            do {
                _ = try PlateauFootprints.read(Data(text.utf8), file: "b.csv")
                return nil
            } catch { return error }
        }
        #expect(problem(header + good) == nil)
        let cases: [(String, String?, String)] = [
            ("id,town\n", nil, "header"),
            (header + good + good, "building_id", "twice"),
            (header + good.replacingOccurrences(of: "13115001001", with: "1311500100x"), "town_code", "11-digit"),
            (header + good.replacingOccurrences(of: ",7.5,", with: ",tall,"), "height_m", "height"),
            (header + good.replacingOccurrences(of: ",7.5,", with: ",-3,"), "height_m", "height"),
            (header + good.replacingOccurrences(of: ",7.5,,", with: ",7.5,NaN,"), "flood_depth_m", "depth"),
            (header + good.replacingOccurrences(of: "fE?\n", with: "fE_\n"), "footprint", "ends"),
            (header + good.replacingOccurrences(of: "_q}", with: "_q!"), "footprint", "not part"),
            (header + good.replacingOccurrences(of: "??fEfE?", with: "??fE"), "footprint", "ring"),
        ]
        for (text, field, reason) in cases {
            let error = problem(text)
            #expect(error?.field == field, "\(text)")
            #expect(error?.description.contains(reason) == true, "\(error?.description ?? "accepted"): \(text)")
            if field != nil { #expect(error?.location != .file) }
        }
    }

    @Test func polyline6DecodesGooglesExampleAtSixDecimals() throws {
        // Google's documented example, read at 1e-6 instead of 1e-5: the same digits, one place on.
        let points = try Polyline6.decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@")
        #expect(points.map(\.latitude) == [3.85, 4.07, 4.3252])
        #expect(points.map(\.longitude) == [-12.02, -12.095, -12.6453])
    }
}
