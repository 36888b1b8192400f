import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Geodesics and the local plane")
struct GeodesicTests {
    /// PROJ's own `geod` program on the same pair: an independent path through libproj.
    func geodCommand(_ a: GeoPoint, _ b: GeoPoint) throws -> Double {
        let numbers = try PROJPrograms.numbers(
            "geod", ["+ellps=GRS80", "-I", "-f", "%.6f"],
            input: "\(a.latitude) \(a.longitude) \(b.latitude) \(b.longitude)")
        return try #require(numbers.last)
    }

    @Test func distancesMatchPROJGeod() throws {
        let office = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        for other in [
            try GeoPoint(latitude: 35.7046, longitude: 139.6200), try GeoPoint(latitude: 43.0642, longitude: 141.3469),
        ] {
            // geod prints distances to the millimetre.
            #expect(abs(Geodesic.grs80.distance(from: office, to: other) - (try geodCommand(office, other))) < 1e-3)
        }
    }

    @Test func directInvertsInverse() throws {
        let start = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        let end = try GeoPoint(latitude: 35.66, longitude: 139.69)
        let path = Geodesic.grs80.inverse(from: start, to: end)
        let reached = try Geodesic.grs80.destination(from: start, azimuth: path.azimuth1, distance: path.distance)
        #expect(Geodesic.grs80.distance(from: reached, to: end) < 1e-6)
    }

    @Test func wardAreaOnTheEllipsoid() throws {
        let towns = try SuginamiDataset.bundled().towns
        let area = towns.reduce(0) { $0 + Geodesic.grs80.area(of: $1.boundary) } / 1e6
        // The simplified polygons fall a little short of the official 34.06 km².
        #expect(area > 33.7 && area < 34.06)
        // SuginamiKit's spherical planar estimate is within 1 %.
        let planar = towns.reduce(0) { $0 + $1.boundary.approximateArea } / 1e6
        #expect(abs(planar - area) / area < 1e-2)
    }

    @Test func localPlaneErrorStaysWithinTheDocumentedBound() throws {
        let origin = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        let plane = LocalPlane(origin: origin)
        var random = SplitMix64(seed: 10)
        var worst = 0.0
        var worstProjected = 0.0
        for _ in 0..<2_000 {
            // Pairs within 10 km of the origin.
            let a = try Geodesic.grs80.destination(
                from: origin, azimuth: random.nextUnit() * 360, distance: random.nextUnit() * 10_000)
            let b = try Geodesic.grs80.destination(
                from: origin, azimuth: random.nextUnit() * 360, distance: random.nextUnit() * 10_000)
            let exact = Geodesic.grs80.distance(from: a, to: b)
            guard exact > 100 else { continue }
            worst = max(worst, abs(plane.distance(from: a, to: b) - exact) / exact)
            let p = plane.project(a)
            let q = plane.project(b)
            let projected = ((p.east - q.east) * (p.east - q.east) + (p.north - q.north) * (p.north - q.north))
                .squareRoot()
            worstProjected = max(worstProjected, abs(projected - exact) / exact)
        }
        #expect(worst < 2e-5, "worst relative error \(worst)")
        #expect(worstProjected < 1.5e-3, "worst relative error of projected distances \(worstProjected)")
    }
}
