import Foundation
import GRDB
import Testing

@testable import SuginamiKit

@Suite("SuginamiKit GeoJSON and GeoPackage")
struct GeoJSONAndGeoPackageTests {
    @Test func geoJSONRoundTripOfEveryBundledFacility() throws {
        let facilities = try SuginamiDataset.bundled().facilities
        let data = try FacilityExporter.data(facilities, format: .geoJSON)
        let root = try JSONValue.parse(data, file: "all.geojson")
        #expect(root["type"] == .string("FeatureCollection"))
        if case .string(let attribution)? = root["attribution"] {
            #expect(attribution.contains("国土地理院"))
        } else {
            Issue.record("the collection carries no attribution")
        }
        // RFC 7946: coordinates are [longitude, latitude].
        let first = try #require(facilities.first)
        guard case .array(let features)? = root["features"],
            case .array(let position)? = features[0]["geometry"]?["coordinates"]
        else {
            Issue.record("no coordinates")
            return
        }
        #expect(position == [.number(first.position.longitude), .number(first.position.latitude)])
        let read = try FacilityImporter.read(data, file: "all.geojson", format: .geoJSON)
        #expect(read.records == facilities)
        #expect(try FacilityExporter.data(read.records, format: .geoJSON) == data)
    }

    @Test func geoJSONFeatureWithWrongTypeNamesTheField() throws {
        let facility = try #require(try SuginamiDataset.bundled().facilities.first { $0.capacity != nil })
        let text = String(decoding: try FacilityExporter.data([facility], format: .geoJSON), as: UTF8.self)
            .replacingOccurrences(of: "\"capacity\": \(facility.capacity!)", with: "\"capacity\": \"many\"")
        let error = try #require(TestSupport.importError(Data(text.utf8), file: "f.geojson", format: .geoJSON))
        #expect(error.location == .feature(1))
        #expect(error.field == "capacity")
    }

    @Test func geoPackagePassesGDALValidationAndReadsBack() throws {
        let facilities = try SuginamiDataset.bundled().facilities
        let directory = try TestSupport.temporaryDirectory()
        let url = directory.appendingPathComponent("facilities.gpkg")
        try FacilityExporter.write(facilities, to: url)

        // GDAL's own validator (Debian python3-gdal), run with Debian's Python that has it.
        let validation = try TestSupport.run(
            "/usr/bin/python3", ["-m", "osgeo_utils.samples.validate_gpkg", url.path])
        #expect(validation.status == 0, "validate_gpkg: \(validation.stdout) \(validation.stderr)")
        #expect(!validation.stderr.contains("Error"))

        let info = try TestSupport.run("/usr/bin/ogrinfo", ["-ro", "-so", "-al", url.path])
        #expect(info.status == 0)
        #expect(info.stdout.contains("Feature Count: \(facilities.count)"))
        #expect(info.stdout.contains("Geometry: Point"))
        #expect(info.stdout.contains("JGD2011"))

        let read = try FacilityImporter.read(contentsOf: url)
        #expect(read.records == facilities)
    }

    @Test func geoPackageMultiPolygonLayerOfTownsValidates() throws {
        let towns = try SuginamiDataset.bundled().towns
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("towns.gpkg")
        try GeoPackageWriter.write(
            [
                GeoPackageLayer(
                    name: "towns", description: TownReader.boundaryAttribution, geometryType: "MULTIPOLYGON",
                    columns: [.init("code", "TEXT"), .init("name", "TEXT"), .init("population", "INTEGER")],
                    features: towns.map {
                        .init(geometry: .multiPolygon($0.boundary), values: [$0.code, $0.name, $0.population.total])
                    })
            ], to: url)
        let validation = try TestSupport.run("/usr/bin/python3", ["-m", "osgeo_utils.samples.validate_gpkg", url.path])
        #expect(validation.status == 0, "\(validation.stdout) \(validation.stderr)")
        let info = try TestSupport.run("/usr/bin/ogrinfo", ["-ro", "-so", url.path, "towns"])
        #expect(info.stdout.contains("Feature Count: 139"))
    }

    @Test func notAGeoPackage() throws {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("plain.gpkg")
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: "CREATE TABLE t(x)") }
        try queue.close()
        #expect(
            throws: InputFileError(
                file: "plain.gpkg", location: .file, reason: "not a GeoPackage (application_id is 0)")
        ) {
            try FacilityImporter.read(contentsOf: url)
        }
    }
}
