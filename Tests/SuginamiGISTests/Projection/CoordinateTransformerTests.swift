import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("PROJ coordinate transformer")
struct CoordinateTransformerTests {
    /// PROJ's own `cs2cs` on the same point; -r/-s take and give coordinates in the
    /// visualisation order (lon/lat, easting/northing).
    func cs2cs(_ from: String, _ to: String, _ x: Double, _ y: Double) throws -> (Double, Double) {
        let numbers = try PROJPrograms.numbers("cs2cs", ["-r", "-s", "-f", "%.9f", from, to], input: "\(x) \(y)")
        return (numbers[0], numbers[1])
    }

    @Test(arguments: [(139.6366, 35.6995), (139.58, 35.66), (139.68, 35.73)])
    func matchesCs2csForPlaneRectangularZoneIX(longitude: Double, latitude: Double) throws {
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        let ours = try transformer.transform(longitude, latitude)
        let reference = try cs2cs("EPSG:6668", "EPSG:6677", longitude, latitude)
        #expect(abs(ours.x - reference.0) < 1e-6)
        #expect(abs(ours.y - reference.1) < 1e-6)
        // Zone IX's origin is 36°N 139°50′E: Suginami lies south-west of it.
        #expect(ours.x < 0 && ours.y < 0)
        let back = try transformer.inverse(ours.x, ours.y)
        #expect(abs(back.x - longitude) < 1e-9 && abs(back.y - latitude) < 1e-9)
    }

    /// Legacy registers are on Tokyo Datum (日本測地系): PROJ moves them by about 400–460 m in
    /// Tokyo (the TKY2JGD order of magnitude), and back again to within a centimetre.
    @Test func tokyoDatumToJGD2011() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:4301", to: "EPSG:6668")
        let tokyo = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        let moved = try transformer.transform(tokyo.longitude, tokyo.latitude)
        let shift = tokyo.distance(to: try GeoPoint(latitude: moved.y, longitude: moved.x))
        #expect(shift > 350 && shift < 500, "shift \(shift) m")
        let back = try transformer.inverse(moved.x, moved.y)
        let roundTrip = tokyo.distance(to: try GeoPoint(latitude: back.y, longitude: back.x))
        // PROJ goes through a 3-D Helmert and drops the height, so the way back misses by a few mm
        // (cs2cs there and back does the same).
        #expect(roundTrip < 0.01, "round trip \(roundTrip) m")
    }

    @Test func batchEqualsOneByOneAndMarksFailuresWithNaN() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        var xs = [139.6366, 139.58, 139.0, .nan]
        var ys = [35.6995, 35.66, 95.0, 35.7]
        xs.withUnsafeMutableBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in transformer.transform(xs: x, ys: y) }
        }
        for (index, (longitude, latitude)) in [(139.6366, 35.6995), (139.58, 35.66)].enumerated() {
            let one = try transformer.transform(longitude, latitude)
            #expect(xs[index] == one.x && ys[index] == one.y)
        }
        // Beyond the pole and NaN: NaN, and the good pairs before them still transformed.
        #expect(xs[2].isNaN && ys[2].isNaN && xs[3].isNaN && ys[3].isNaN)
    }

    @Test func copyGivesTheSameResult() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:3857")
        let copy = try transformer.makeCopy()
        let a = try transformer.transform(139.6366, 35.6995)
        let b = try copy.transform(139.6366, 35.6995)
        #expect(a.x == b.x && a.y == b.y)
    }

    @Test func unknownCRSIsAnError() {
        #expect(throws: CoordinateTransformerError.self) {
            try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:999999")
        }
    }

    @Test func latitudeBeyondThePoleIsAnError() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        #expect(throws: CoordinateTransformerError.self) { try transformer.transform(139.0, 95.0) }
        #expect(throws: CoordinateTransformerError.self) { try transformer.transform(.nan, 35.0) }
    }
}
