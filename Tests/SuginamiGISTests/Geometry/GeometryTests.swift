import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Polylines and polygon checks")
struct GeometryTests {
    func point(_ latitude: Double, _ longitude: Double) throws -> GeoPoint {
        try GeoPoint(latitude: latitude, longitude: longitude)
    }

    @Test func nearestPointOnAPolyline() throws {
        // An L: east along 35.70 N, then north along 139.64 E.
        let line = try Polyline([point(35.70, 139.62), point(35.70, 139.64), point(35.72, 139.64)])
        let beside = try line.nearestPoint(to: point(35.701, 139.63))
        #expect(beside.segment == 0)
        #expect(abs(beside.fraction - 0.5) < 1e-9)
        #expect(
            abs(beside.distance - Geodesic.grs80.distance(from: try point(35.701, 139.63), to: beside.point)) < 0.01)
        let beyondTheEnd = try line.nearestPoint(to: point(35.73, 139.65))
        #expect(beyondTheEnd.segment == 1 && beyondTheEnd.fraction == 1)
        #expect(beyondTheEnd.point == (try point(35.72, 139.64)))
        #expect(throws: GeometryError.self) { try Polyline([point(35.7, 139.6)]) }
    }

    @Test func douglasPeuckerKeepsEveryRemovedVertexWithinTolerance() throws {
        var random = SplitMix64(seed: 8)
        let points = try (0..<500).map { index in
            // ±5.5 m of noise around a straight street.
            try point(35.70 + (random.nextUnit() - 0.5) * 0.0001, 139.60 + Double(index) * 0.0001)
        }
        let line = try Polyline(points)
        let simple = line.simplified(tolerance: 10)
        #expect(simple.points.count < line.points.count / 3)
        #expect(simple.points.first == line.points.first && simple.points.last == line.points.last)
        for vertex in line.points {
            #expect(simple.nearestPoint(to: vertex).distance <= 10.01)
        }
        #expect(line.simplified(tolerance: 0).points == line.points)
        #expect(abs(line.length - Geodesic.grs80.length(of: points)) < 1e-9)
    }

    @Test func selfCrossingRingsAreFound() throws {
        let bowTie = try GeoPolygon(rings: [[point(0, 0), point(1, 1), point(1, 0), point(0, 1), point(0, 0)]])
        #expect(PolygonValidation.firstSelfCrossing(in: bowTie) == .init(ring: 0, firstEdge: 0, secondEdge: 2))
        let square = try GeoPolygon(rings: [[point(0, 0), point(0, 1), point(1, 1), point(1, 0), point(0, 0)]])
        #expect(PolygonValidation.firstSelfCrossing(in: square) == nil)
        for town in try SuginamiDataset.bundled().towns {
            for polygon in town.boundary.polygons {
                #expect(PolygonValidation.firstSelfCrossing(in: polygon) == nil, "\(town.name)")
            }
        }
    }
}
