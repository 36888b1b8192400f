import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Static point index (k-d tree)")
struct StaticPointIndexTests {
    static func randomPoints(_ count: Int, seed: UInt64) -> [PlanePoint] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            // Rounded to 10 m so that duplicates and ties occur.
            PlanePoint(
                northing: (random.nextUnit() * 10_000).rounded(.down) * 10,
                easting: (random.nextUnit() * 1_000).rounded(.down) * 10)
        }
    }

    @Test(arguments: [1, 2, 7, 100, 5_000])
    func matchesBruteForce(count: Int) {
        let points = Self.randomPoints(count, seed: UInt64(count))
        let index = StaticPointIndex(points: points)
        #expect(index.count == count)
        var random = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let query = PlanePoint(
                northing: random.nextUnit() * 110_000 - 5_000, easting: random.nextUnit() * 11_000 - 500)
            let ranked = points.indices.map { index -> (Double, Int) in
                let dx = points[index].easting - query.easting
                let dy = points[index].northing - query.northing
                return ((dx * dx + dy * dy).squareRoot(), index)
            }.sorted { $0 < $1 }
            let nearest = index.nearest(to: query)
            #expect(nearest?.item == ranked[0].1)
            #expect(nearest.map { abs($0.distance - ranked[0].0) < 1e-9 } == true)
            let k = min(5, count)
            #expect(index.nearest(k, to: query).map(\.item) == ranked.prefix(k).map(\.1))
            let radius = 700.0
            #expect(index.within(radius, of: query).map(\.item) == ranked.filter { $0.0 <= radius }.map(\.1))
            let box = index.items(
                minEasting: query.easting - 300, maxEasting: query.easting + 300, minNorthing: query.northing - 2_000,
                maxNorthing: query.northing + 2_000)
            let expectedBox = points.indices.filter {
                abs(points[$0].easting - query.easting) <= 300 && abs(points[$0].northing - query.northing) <= 2_000
            }
            #expect(box == expectedBox)
        }
    }

    @Test func emptyAndNonFiniteInput() {
        let empty = StaticPointIndex(points: [])
        #expect(empty.nearest(to: PlanePoint(northing: 0, easting: 0)) == nil)
        #expect(empty.nearest(3, to: PlanePoint(northing: 0, easting: 0)).isEmpty)
        let index = StaticPointIndex(points: [
            PlanePoint(northing: .nan, easting: 0), PlanePoint(northing: 5, easting: 5),
            PlanePoint(northing: 0, easting: .infinity),
        ])
        #expect(index.count == 1)
        #expect(index.nearest(to: PlanePoint(northing: 0, easting: 0))?.item == 1)
        #expect(index.nearest(to: PlanePoint(northing: .nan, easting: 0)) == nil)
        #expect(index.within(-1, of: PlanePoint(northing: 0, easting: 0)).isEmpty)
    }
}
