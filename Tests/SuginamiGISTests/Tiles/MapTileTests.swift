import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Web Mercator tiles")
struct MapTileTests {
    /// World pixels agree with PROJ's EPSG:3857 metres, scaled to the tile grid.
    @Test func worldPixelsMatchPROJWebMercator() throws {
        let transformer = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:3857")
        let halfWorld = 20_037_508.342_789_244
        var random = SplitMix64(seed: 3857)
        for _ in 0..<500 {
            let point = try GeoPoint(latitude: -85 + random.nextUnit() * 170, longitude: -180 + random.nextUnit() * 360)
            let zoom = Int(random.nextUnit() * 21)
            let metres = try transformer.transform(point.longitude, point.latitude)
            let size = 256 * Double(1 << zoom)
            let expectedX = (metres.x + halfWorld) / (2 * halfWorld) * size
            let expectedY = (halfWorld - metres.y) / (2 * halfWorld) * size
            let ours = try MapTile.worldPixel(of: point, zoom: zoom)
            #expect(abs(ours.x - expectedX) < 1e-6 && abs(ours.y - expectedY) < 1e-6)
        }
    }

    @Test func tileOfAPointContainsIt() throws {
        let wardOffice = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        for zoom in 0...20 {
            let tile = try MapTile(containing: wardOffice, zoom: zoom)
            #expect(tile.bounds.contains(wardOffice))
            let pixel = try tile.pixel(of: wardOffice)
            #expect((0..<256).contains(pixel.x) && (0..<256).contains(pixel.y))
            if let parent = tile.parent { #expect(parent.children.contains(tile)) }
        }
        // Computed independently: int((lon+180)/360·2¹⁴), int((1 − asinh(tan φ)/π)/2·2¹⁴) in Python.
        #expect(try MapTile(containing: wardOffice, zoom: 14).description == "14/14547/6450")
        #expect(try MapTile(z: 0, x: 0, y: 0).bounds.maxLatitude == MapTile.maximumLatitude)
    }

    @Test func badInputIsRefused() throws {
        #expect(throws: MapTileError.zoomOutOfRange(31)) { try MapTile(z: 31, x: 0, y: 0) }
        #expect(throws: MapTileError.tileOutOfRange(z: 2, x: 4, y: 0)) { try MapTile(z: 2, x: 4, y: 0) }
        #expect(throws: MapTileError.tileOutOfRange(z: 2, x: 0, y: -1)) { try MapTile(z: 2, x: 0, y: -1) }
        #expect(throws: MapTileError.latitudeBeyondMercator(89)) {
            try MapTile(containing: try GeoPoint(latitude: 89, longitude: 0), zoom: 3)
        }
        let eastEdge = try MapTile(containing: try GeoPoint(latitude: 0, longitude: 180), zoom: 4)
        #expect(eastEdge.x == 15)
    }
}
