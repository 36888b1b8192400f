import CProj
import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

/// The pure-Swift Gauss-Krüger against the real PROJ (libproj, through the system library),
/// over each zone's whole area of use as PROJ's database gives it.
@Suite("Transverse Mercator (plane rectangular zones) against PROJ")
struct TransverseMercatorTests {
    /// A zone's area of use from proj.db, and a PROJ transformer to it.
    struct Reference {
        let box: (west: Double, south: Double, east: Double, north: Double)
        let transformer: CoordinateTransformer

        init(zone: PlaneRectangularZone) throws {
            let context = proj_context_create()
            defer { proj_context_destroy(context) }
            let crs = try #require(proj_create(context, "EPSG:\(zone.epsgCode)"))
            defer { proj_destroy(crs) }
            var west = 0.0
            var south = 0.0
            var east = 0.0
            var north = 0.0
            #expect(proj_get_area_of_use(context, crs, &west, &south, &east, &north, nil) == 1)
            box = (west, south, east, north)
            transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:\(zone.epsgCode)")
        }
    }

    @Test(arguments: PlaneRectangularZone.allCases)
    func withinOneMicrometreOfPROJOverTheZone(zone: PlaneRectangularZone) throws {
        let reference = try Reference(zone: zone)
        let projection = zone.projection
        var worstForward = 0.0
        var worstBatch = 0.0
        var worstInverse = 0.0
        var gridLatitudes: [Double] = []
        var gridLongitudes: [Double] = []
        var projReference: [(x: Double, y: Double)] = []
        let steps = 24
        for i in 0...steps {
            for j in 0...steps {
                let latitude =
                    reference.box.south + (reference.box.north - reference.box.south) * Double(i) / Double(steps)
                let longitude =
                    reference.box.west + (reference.box.east - reference.box.west) * Double(j) / Double(steps)
                let point = try GeoPoint(latitude: latitude, longitude: longitude)
                let ours = try projection.forward(point).point
                let theirs = try reference.transformer.transform(longitude, latitude)  // (easting, northing)
                worstForward = max(worstForward, hypot(ours.easting - theirs.x, ours.northing - theirs.y))
                gridLatitudes.append(latitude)
                gridLongitudes.append(longitude)
                projReference.append(theirs)
                let batch = projection.forwardCoordinates(latitude: latitude, longitude: longitude)
                worstBatch = max(worstBatch, hypot(batch.easting - theirs.x, batch.northing - theirs.y))
                // Inverse: both from the same plane coordinates, compared as ground distance.
                let back = try projection.inverse(PlanePoint(northing: theirs.y, easting: theirs.x))
                let projBack = try reference.transformer.inverse(theirs.x, theirs.y)
                worstInverse = max(
                    worstInverse, back.distance(to: try GeoPoint(latitude: projBack.y, longitude: projBack.x)))
            }
        }
        // The buffer batch (its polynomial lane) over the same grid.
        let (northings, eastings) = projection.forwardBatch(latitudes: gridLatitudes, longitudes: gridLongitudes)
        let worstBuffer =
            projReference.indices.map {
                hypot(eastings[$0] - projReference[$0].x, northings[$0] - projReference[$0].y)
            }.max() ?? .infinity
        #expect(worstBuffer < 1e-6, "zone \(zone): the buffer batch differs by \(worstBuffer) m")
        #expect(worstForward < 1e-6, "zone \(zone): forward differs by \(worstForward) m")
        #expect(worstBatch < 1e-6, "zone \(zone): the batch kernel differs by \(worstBatch) m")
        #expect(worstInverse < 1e-6, "zone \(zone): inverse differs by \(worstInverse) m")
    }

    @Test func convergenceAndScaleMatchPROJFactors() throws {
        let context = proj_context_create()
        defer { proj_context_destroy(context) }
        for zone in [PlaneRectangularZone.ix, .i, .xiii] {
            // proj_factors wants the projection itself, not the CRS: the zone's definition as a
            // PROJ string, which is what EPSG defines it as (projinfo EPSG:6677 -o PROJ).
            let definition =
                "+proj=tmerc +lat_0=\(zone.origin.latitude) +lon_0=\(zone.origin.longitude) +k=0.9999 +x_0=0 +y_0=0 +ellps=GRS80"
            let crs = try #require(proj_create(context, definition))
            defer { proj_destroy(crs) }
            for (dLat, dLon) in [(-0.5, -1.2), (0.3, 0.0), (0.8, 1.5)] {
                let latitude = zone.origin.latitude + dLat
                let longitude = zone.origin.longitude + dLon
                let factors = proj_factors(crs, proj_coord(longitude * .pi / 180, latitude * .pi / 180, 0, 0))
                #expect(factors.meridional_scale > 0.99, "proj_factors failed")
                let ours = try zone.projection.forward(try GeoPoint(latitude: latitude, longitude: longitude))
                #expect(abs(ours.scaleFactor - factors.meridional_scale) < 1e-9)
                #expect(abs(ours.meridianConvergence - factors.meridian_convergence * 180 / .pi) < 1e-9)
            }
        }
        // On the central meridian: no convergence, scale 0.9999.
        let onMeridian = try PlaneRectangularZone.ix.projection.forward(
            try GeoPoint(latitude: 35.7, longitude: 139 + 50.0 / 60))
        #expect(abs(onMeridian.meridianConvergence) < 1e-12)
        #expect(abs(onMeridian.scaleFactor - 0.9999) < 1e-4)
    }

    @Test func batchEqualsScalarAndMarksBadInputWithNaN() throws {
        let projection = PlaneRectangularZone.ix.projection
        let latitudes = [35.6995, 35.66, .nan, 95, 35.7]
        let longitudes = [139.6366, 139.58, 139.6, 139.6, 260]
        var northings = [Double](repeating: 0, count: 5)
        var eastings = [Double](repeating: 0, count: 5)
        latitudes.withUnsafeBufferPointer { lat in
            longitudes.withUnsafeBufferPointer { lon in
                northings.withUnsafeMutableBufferPointer { n in
                    eastings.withUnsafeMutableBufferPointer { e in
                        projection.forward(latitudes: lat, longitudes: lon, northings: n, eastings: e)
                    }
                }
            }
        }
        for index in 0..<2 {
            let scalar = try projection.forward(try GeoPoint(latitude: latitudes[index], longitude: longitudes[index]))
            // The batch kernel computes the same series by another route: equal to the nanometre.
            #expect(
                abs(northings[index] - scalar.point.northing) < 1e-9
                    && abs(eastings[index] - scalar.point.easting) < 1e-9)
        }
        #expect(northings[2...].allSatisfy(\.isNaN) && eastings[2...].allSatisfy(\.isNaN))
    }

    @Test func batchLaneIsExactAcrossItsEdge() throws {
        let projection = PlaneRectangularZone.ix.projection
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        let lane = 0.2 * 180 / Double.pi
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        for latitude in [-89.99, -45, 0, 20.4, 35.7, 45.6, 89.99] {
            for offset in [-25, -lane - 1e-9, -lane + 1e-9, -5, 0, 3, lane - 1e-9, lane + 1e-9, 25] {
                latitudes.append(latitude)
                longitudes.append(projection.centralMeridian + offset)
            }
        }
        let (northings, eastings) = projection.forwardBatch(latitudes: latitudes, longitudes: longitudes)
        for index in latitudes.indices {
            let place = "at \(latitudes[index]), \(longitudes[index])"
            if abs(longitudes[index] - projection.centralMeridian) < lane {
                // The polynomial lane, to its edge and up to the poles, within 1 µm of PROJ.
                let theirs = try transformer.transform(longitudes[index], latitudes[index])
                #expect(hypot(eastings[index] - theirs.x, northings[index] - theirs.y) < 1e-6, "\(place)")
            } else {
                // Beyond it, exactly the general kernel.
                let general = projection.forwardCoordinates(latitude: latitudes[index], longitude: longitudes[index])
                #expect(northings[index] == general.northing && eastings[index] == general.easting, "\(place)")
            }
        }
    }

    @Test func badInputIsAnError() throws {
        let projection = PlaneRectangularZone.ix.projection
        #expect(throws: ProjectionError.self) {
            try projection.forward(try GeoPoint(latitude: 35, longitude: -60))
        }
        #expect(throws: ProjectionError.notFinite) { try projection.inverse(PlanePoint(northing: .nan, easting: 0)) }
        #expect(throws: ProjectionError.self) {
            try projection.inverse(PlanePoint(northing: 1e9, easting: 0))
        }
    }

    @Test func zoneTable() {
        #expect(PlaneRectangularZone.ix.epsgCode == 6677)
        #expect(PlaneRectangularZone.xix.epsgCode == 6687)
        #expect(PlaneRectangularZone.ix.origin.longitude == 139 + 50.0 / 60)
        #expect(PlaneRectangularZone.ix.description == "IX")
    }
}

@Suite("Plane measures and the inverse batch")
struct PlaneMeasureTests {
    @Test func inverseBatchEqualsScalarAndMarksBadInput() throws {
        let projection = PlaneRectangularZone.ix.projection
        let northings = [-33_321.17, -37_000.0, .nan, 1e9]
        let eastings = [-17_803.48, -22_000.0, 0, 0]
        var latitudes = [Double](repeating: 0, count: 4)
        var longitudes = [Double](repeating: 0, count: 4)
        northings.withUnsafeBufferPointer { n in
            eastings.withUnsafeBufferPointer { e in
                latitudes.withUnsafeMutableBufferPointer { lat in
                    longitudes.withUnsafeMutableBufferPointer { lon in
                        projection.inverse(northings: n, eastings: e, latitudes: lat, longitudes: lon)
                    }
                }
            }
        }
        for index in 0..<2 {
            let scalar = try projection.inverse(PlanePoint(northing: northings[index], easting: eastings[index]))
            #expect(latitudes[index] == scalar.latitude && longitudes[index] == scalar.longitude)
        }
        #expect(latitudes[2...].allSatisfy(\.isNaN) && longitudes[2...].allSatisfy(\.isNaN))
    }

    @Test func wardAreaInThePlaneAgreesWithTheEllipsoid() throws {
        let towns = try SuginamiDataset.bundled().towns
        let projection = PlaneRectangularZone.ix.projection
        var plane = 0.0
        var ellipsoid = 0.0
        for town in towns {
            for polygon in town.boundary.polygons {
                plane += PlaneMeasures.area(ofRings: polygon.rings.map { projection.forward($0) })
            }
            ellipsoid += Geodesic.grs80.area(of: town.boundary)
        }
        // Zone IX's scale in Suginami is about 0.9999, so plane areas are about 0.02 % smaller.
        #expect(abs(plane / ellipsoid - 1) < 5e-4, "plane \(plane) vs ellipsoid \(ellipsoid)")
        let square = [
            PlanePoint(northing: 0, easting: 0), PlanePoint(northing: 0, easting: 10),
            PlanePoint(northing: 10, easting: 10),
            PlanePoint(northing: 10, easting: 0),
        ]
        #expect(PlaneMeasures.area(of: square) == 100)
        #expect(PlaneMeasures.length(of: square) == 30)
        #expect(PlaneMeasures.area(ofRings: [square, Array(square.prefix(3))]) == 50)
    }
}

extension TransverseMercator {
    /// The buffer batch over arrays, for tests.
    func forwardBatch(latitudes: [Double], longitudes: [Double]) -> (northings: [Double], eastings: [Double]) {
        var northings = [Double](repeating: 0, count: latitudes.count)
        var eastings = [Double](repeating: 0, count: latitudes.count)
        latitudes.withUnsafeBufferPointer { lat in
            longitudes.withUnsafeBufferPointer { lon in
                northings.withUnsafeMutableBufferPointer { n in
                    eastings.withUnsafeMutableBufferPointer { e in
                        forward(latitudes: lat, longitudes: lon, northings: n, eastings: e)
                    }
                }
            }
        }
        return (northings, eastings)
    }
}
