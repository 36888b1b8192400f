import Foundation
import Testing

@testable import SuginamiKit

@Suite("Building register import and export")
struct BuildingRegisterTests {
    func sample() throws -> [Building] {
        let dataset = try SuginamiDataset.bundled()
        var buildings = SyntheticBuildingGenerator(seed: 5).buildings(
            in: dataset.towns[0], townIndex: 0, count: 50, stock: dataset.buildingStock)
        // A register carries what the synthetic stock leaves unknown.
        buildings[0].structure = .reinforcedConcrete
        buildings[0].fireResistance = .fireResistant
        buildings[1].structure = .firePreventiveWooden
        buildings[1].fireResistance = .firePreventive
        buildings[1].seismicRetrofit = .retrofitted
        buildings[1].use = .detachedHouse
        return buildings.map { building in
            var building = building
            building.footprint = nil  // the register layout carries points only
            return building
        }
    }

    @Test(arguments: [TextEncoding.utf8, .shiftJIS])
    func csvRoundTrip(encoding: TextEncoding) throws {
        let buildings = try sample()
        let csv = try BuildingRegisterFormat.csv(buildings, encoding: encoding)
        let read = try BuildingRegisterFormat.readCSV(csv, file: "register.csv")
        #expect(read.records == buildings)
        #expect(try BuildingRegisterFormat.csv(read.records, encoding: encoding) == csv)
    }

    @Test func geoPackageRoundTripValidates() throws {
        let buildings = try sample()
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("register.gpkg")
        try BuildingRegisterFormat.writeGeoPackage(buildings, to: url)
        let validation = try TestSupport.run("/usr/bin/python3", ["-m", "osgeo_utils.samples.validate_gpkg", url.path])
        #expect(validation.status == 0, "\(validation.stdout) \(validation.stderr)")
        #expect(try BuildingRegisterFormat.read(contentsOf: url).records == buildings)
    }

    @Test func japaneseStructureNamesAreAccepted() throws {
        let csv = "id,latitude,longitude,structure,fire_resistance\nB1,35.7,139.63,木造,裸木造\nB2,35.7,139.63,鉄骨造,耐火\n"
        let read = try BuildingRegisterFormat.readCSV(Data(csv.utf8), file: "r.csv").records
        #expect(read.map(\.structure) == [.wooden, .steel])
        #expect(read.map(\.fireResistance) == [.bareWooden, .fireResistant])
        #expect(read.allSatisfy { !$0.isSynthetic })
    }

    @Test func badRowsNameTheColumn() throws {
        let header = "id,latitude,longitude,structure,construction_year,floors\n"
        func error(_ row: String) -> InputFileError? {
            do {
                _ = try BuildingRegisterFormat.readCSV(Data((header + row + "\n").utf8), file: "r.csv")
                return nil
            } catch { return error }
        }
        #expect(error("B1,35.7,139.63,brick,,")?.field == "structure")
        #expect(error("B1,35.7,139.63,wooden,1750,")?.reason == "1750 is outside 1800…2100")
        #expect(error("B1,35.7,139.63,wooden,,0")?.field == "floors")
        #expect(error("B1,95,139.63,wooden,,")?.field == "latitude")
        #expect(error("B1,35.7,139.63,wooden,,\nB1,35.7,139.63,wooden,,")?.reason.hasPrefix("duplicate id B1") == true)
        let unknown = try? BuildingRegisterFormat.readCSV(
            Data("id,latitude,longitude,structure,colour\n".utf8), file: "r.csv")
        #expect(unknown == nil)
    }
}

@Suite("Building store checks")
struct BuildingStoreCheckTests {
    @Test func unknownTownCodeIsRefusedAndNothingIsWritten() async throws {
        let store = try TestSupport.makeStore()
        let dataset = try SuginamiDataset.bundled()
        try await store.save(Array(dataset.towns.prefix(1)))
        let buildings = SyntheticBuildingGenerator(seed: 2).buildings(
            in: dataset.towns[1], townIndex: 1, count: 10, stock: dataset.buildingStock)
        await #expect(
            throws: StoreError.invalidRecord(
                id: buildings[0].id, problems: ["townCode \(dataset.towns[1].code) is not a town in the store"])
        ) {
            try await store.insert(buildings)
        }
        #expect(try await store.buildingCount() == 0)
    }
}
