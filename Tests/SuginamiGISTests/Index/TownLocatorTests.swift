import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Town lookup")
struct TownLocatorTests {
    @Test func agreesWithTestingEveryTown() throws {
        let towns = try SuginamiDataset.bundled().towns.sorted { $0.code < $1.code }
        let locator = TownLocator(towns: towns)
        var random = SplitMix64(seed: 139)
        var inside = 0
        for _ in 0..<20_000 {
            // The ward's box and a margin around it.
            let point = try GeoPoint(
                latitude: 35.65 + random.nextUnit() * 0.10, longitude: 139.57 + random.nextUnit() * 0.13)
            let expected = towns.first { $0.boundary.contains(point) }
            #expect(locator.town(containing: point)?.code == expected?.code)
            if expected != nil { inside += 1 }
        }
        // The ward (34 km²) covers about a quarter of the 130 km² box.
        #expect(inside > 4_000)
        #expect(TownLocator(towns: []).town(containing: try GeoPoint(latitude: 35.7, longitude: 139.6)) == nil)
    }

    @Test func everyGSISiteIsPlaced() throws {
        let dataset = try SuginamiDataset.bundled()
        let locator = TownLocator(towns: dataset.towns)
        for site in dataset.facilities where site.kind == .emergencyEvacuationSite {
            #expect(locator.town(containing: site.position) != nil, "\(site.name)")
        }
    }
}
