import CZlib
import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("PNG maps")
struct MapRenderingTests {
    static func towns() throws -> [Town] { try SuginamiDataset.bundled().towns }

    @Test func choroplethColoursEachTownByItsClassAndDrawsTheFurniture() throws {
        let towns = try Self.towns()
        let values = towns.indices.map { Double($0 % 10) * 12.5 }
        let map = ChoroplethMap(
            title: "TEST MAP", legendTitle: "VALUE", scale: .viridis,
            areas: zip(towns, values).map { ChoroplethMap.Area(shape: $0.boundary, value: $1) },
            borders: towns.map(\.boundary), attribution: ["TOWNS: E-STAT 2020", "SYNTHETIC VALUES"])
        #expect(map.breaks == [0, 25, 50, 75, 100, 125])
        let canvas = map.render()
        // The colours of the classes appear, and the ward outline is black.
        var colours = Set<RGBA>()
        for y in stride(from: 0, to: canvas.height, by: 3) {
            for x in stride(from: 0, to: canvas.width, by: 3) { colours.insert(canvas.pixel(x: x, y: y)) }
        }
        for index in 0..<5 { #expect(colours.contains(ColorScale.viridis.color((Double(index) + 0.5) / 5))) }
        #expect(colours.contains(.black))
        // PNG: signature, size, and the IDAT inflates back to the canvas rows.
        let png = try map.png()
        try png.write(to: FileManager.default.temporaryDirectory.appendingPathComponent("suginami-test-map.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let bytes = [UInt8](png)
        let width = Int(bytes[16]) << 24 | Int(bytes[17]) << 16 | Int(bytes[18]) << 8 | Int(bytes[19])
        #expect(width == 1_200)
        let idatLength = Int(bytes[33]) << 24 | Int(bytes[34]) << 16 | Int(bytes[35]) << 8 | Int(bytes[36])
        #expect(String(decoding: bytes[37..<41], as: UTF8.self) == "IDAT")
        let compressed = Array(bytes[41..<(41 + idatLength)])
        var size = uLong(900 * (1_200 * 4 + 1))
        var raw = [UInt8](repeating: 0, count: Int(size))
        #expect(uncompress(&raw, &size, compressed, uLong(compressed.count)) == Z_OK)
        let row = 450
        let start = row * (1_200 * 4 + 1)
        #expect(raw[start] == 0)
        #expect(
            Array(raw[(start + 1)..<(start + 1 + 4_800)]) == Array(canvas.pixels[(row * 4_800)..<((row + 1) * 4_800)]))
    }

    /// An attribution longer than the map is wide wraps instead of running off the canvas (it
    /// once trapped in the rectangle fill), and drawing off the canvas draws nothing.
    @Test func longAttributionWrapsAndOffCanvasDrawingIsClipped() throws {
        let towns = try Self.towns()
        let credit =
            "BUILDINGS: 3D CITY MODEL (PROJECT PLATEAU) TOKYO 23 WARDS 2020 (MLIT), CC BY 4.0, PROCESSED; "
            + "STRUCTURE AND AGE ASSUMED | SCENARIO: TOSHIN-NANBU-CHOKKA-M7.3 | SUGINAMIKIT"
        let map = ChoroplethMap(
            title: "TEST MAP", legendTitle: "VALUE", scale: .viridis,
            areas: towns.map { ChoroplethMap.Area(shape: $0.boundary, value: 1) }, borders: towns.map(\.boundary),
            attribution: [credit])
        let canvas = map.render(width: 600, height: 500)
        #expect(canvas.pixels.count == 600 * 500 * 4)
        let lines = ChoroplethMap.wrapped([credit], characters: 46)
        #expect(lines.count > 1 && lines.allSatisfy { $0.count <= 46 })
        #expect(lines.joined(separator: " ") == credit)
        #expect(ChoroplethMap.wrapped(["ABCDEFGHIJ"], characters: 4) == ["ABCD", "EFGH", "IJ"])
        #expect(ChoroplethMap.wrapped(["出典：国土交通省"], characters: 6) == ["出典：", "国土交", "通省"])
        var blank = Canvas(width: 10, height: 10)
        let before = blank.pixels
        blank.rectangle(x: 20, y: 2, width: 5, height: 5, color: .black)
        blank.rectangle(x: 2, y: -9, width: 5, height: 5, color: .black)
        blank.text("OFF", x: 50, y: 50)
        #expect(blank.pixels == before)
    }

    /// Japanese is drawn in Noto Sans CJK JP through FreeType (installed by `make deps`): ink
    /// where the text is, and not the fallback's question marks.
    @Test func japaneseTextIsDrawnWithRealGlyphs() throws {
        #expect(GlyphFont.shared != nil, "FreeType could not open \(GlyphFont.defaultPath)")
        func drawn(_ text: String) -> (canvas: Canvas, width: Int) {
            var canvas = Canvas(width: 200, height: 40)
            let width = canvas.text(text, x: 4, y: 4, scale: 3, color: .black)
            return (canvas, width)
        }
        let japanese = drawn("焼失棟数")
        let fallback = drawn("????")
        #expect(japanese.canvas.pixels != fallback.canvas.pixels)
        // Four full-width glyphs of a 24-pixel em: about 96 pixels, ink inside, none below.
        #expect((88...100).contains(japanese.width), "\(japanese.width)")
        let dark = (0..<(200 * 40)).filter { japanese.canvas.pixels[$0 * 4] < 128 }
        #expect(dark.count > 300)
        #expect(dark.allSatisfy { $0 % 200 >= 4 && $0 % 200 < 4 + japanese.width && $0 / 200 < 32 })
        // The same glyph twice is the same ink, shifted.
        let twice = drawn("焼焼").canvas
        for y in 0..<40 {
            for x in 4..<28 {
                #expect(twice.pixel(x: x, y: y) == twice.pixel(x: x + 24, y: y))
            }
        }
        // A map's Japanese title and town names are drawn, not question marks.
        let towns = try Self.towns()
        let map = ChoroplethMap(
            title: "都心南部直下：焼失棟数", legendTitle: "棟", scale: .viridis,
            areas: towns.map { ChoroplethMap.Area(shape: $0.boundary, value: 1) }, borders: towns.map(\.boundary),
            attribution: ["出典：国土交通省"], labels: [(towns[0].boundary.polygons[0].approximateCentroid, towns[0].name)])
        var other = map
        other.title = "??????????"
        #expect(map.render(width: 600, height: 500).pixels != other.render(width: 600, height: 500).pixels)
    }

    /// The caller's breaks win when they fit the scale (a relief centre's load classes around 1).
    @Test func givenBreaksAreUsedWhenTheyFitTheScale() throws {
        let towns = try Self.towns()
        let areas = towns.indices.map { ChoroplethMap.Area(shape: towns[$0].boundary, value: Double($0) / 7) }
        func map(_ breaks: [Double]?) -> ChoroplethMap {
            ChoroplethMap(
                title: "T", legendTitle: "L", scale: .viridis, areas: areas, borders: [], attribution: [],
                classBreaks: breaks)
        }
        #expect(map([0, 0.5, 1, 2, 4, 20]).breaks == [0, 0.5, 1, 2, 4, 20])
        #expect(map([0, 1, 2]).breaks == map(nil).breaks)
        #expect(map(nil).breaks == [0, 4, 8, 12, 16, 20])
    }

    @Test func divergingBreaksAreSymmetric() throws {
        let towns = try Self.towns().prefix(3)
        let map = ChoroplethMap(
            title: "CHANGE", legendTitle: "D", scale: .purpleOrange,
            areas: zip(towns, [-3.0, 1, 7]).map { ChoroplethMap.Area(shape: $0.boundary, value: $1) },
            borders: towns.map(\.boundary), attribution: [])
        // max |value| 7 → class width roundUp(2) = 2, breaks −7 … 7, the middle class −1 … 1.
        #expect(map.breaks == [-7, -5, -3, -1, 1, 3, 5, 7])
        #expect(ChoroplethMap.label(2.5) == "2.5" && ChoroplethMap.label(1_000) == "1000")
    }
}
