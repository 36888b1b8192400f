/// An RGBA raster to draw maps on: filled polygons (even–odd, scanline), lines of a width,
/// rectangles and text (FreeType's Noto Sans CJK JP where installed, else a 5 × 7 bitmap font).
///
/// The polygons, lines and rectangles are drawn here rather than by a graphics library: they
/// are a few dozen lines, exact for the maps' needs, and keep the PNGs byte-for-byte
/// reproducible across machines; text, which needs real fonts, goes through FreeType.
public struct Canvas: Sendable {
    /// Size in pixels.
    public let width: Int
    /// Size in pixels.
    public let height: Int
    /// Pixels, row-major RGBA.
    public private(set) var pixels: [UInt8]

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: RGBA = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 4)
        for index in 0..<(width * height) {
            pixels[index * 4] = background.r
            pixels[index * 4 + 1] = background.g
            pixels[index * 4 + 2] = background.b
            pixels[index * 4 + 3] = background.a
        }
    }

    /// The colour at a pixel.
    public func pixel(x: Int, y: Int) -> RGBA {
        let index = (y * width + x) * 4
        return RGBA(pixels[index], pixels[index + 1], pixels[index + 2], pixels[index + 3])
    }

    mutating func set(_ x: Int, _ y: Int, _ color: RGBA) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = (y * width + x) * 4
        pixels[index] = color.r
        pixels[index + 1] = color.g
        pixels[index + 2] = color.b
        pixels[index + 3] = color.a
    }

    /// Fills rings (pixel coordinates) by the even–odd rule, sampling pixel centres.
    mutating func fill(rings: [[(x: Double, y: Double)]], color: RGBA) {
        let ys = rings.flatMap { $0.map(\.y) }
        guard let top = ys.min(), let bottom = ys.max() else { return }
        var crossings: [Double] = []
        for row in max(0, Int(top.rounded(.down)))...min(height - 1, Int(bottom.rounded(.up))) {
            let y = Double(row) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for ring in rings where ring.count > 2 {
                var previous = ring[ring.count - 1]
                for point in ring {
                    if (point.y > y) != (previous.y > y) {
                        crossings.append(
                            previous.x + (y - previous.y) / (point.y - previous.y) * (point.x - previous.x))
                    }
                    previous = point
                }
            }
            crossings.sort()
            var pair = 0
            while pair + 1 < crossings.count {
                let from = max(0, Int((crossings[pair] - 0.5).rounded(.up)))
                let to = min(width - 1, Int((crossings[pair + 1] - 0.5).rounded(.down)))
                if from <= to { for x in from...to { set(x, row, color) } }
                pair += 2
            }
        }
    }

    /// A line of `thickness` pixels (square brush).
    mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: RGBA, thickness: Int = 1) {
        let steps = max(1, Int(max(abs(b.x - a.x), abs(b.y - a.y)).rounded(.up)))
        let half = thickness / 2
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let x = Int((a.x + (b.x - a.x) * t).rounded(.down))
            let y = Int((a.y + (b.y - a.y) * t).rounded(.down))
            for dx in -half...(thickness - 1 - half) {
                for dy in -half...(thickness - 1 - half) { set(x + dx, y + dy, color) }
            }
        }
    }

    /// A filled rectangle.
    mutating func rectangle(x: Int, y: Int, width w: Int, height h: Int, color: RGBA) {
        // Clipped to the canvas: a rectangle wholly outside draws nothing.
        let rows = max(0, y)..<max(max(0, y), min(height, y + h))
        let columns = max(0, x)..<max(max(0, x), min(width, x + w))
        for row in rows {
            for column in columns { set(column, row, color) }
        }
    }

    /// Blends `color` over a pixel with a coverage of 0–255.
    mutating func blend(_ x: Int, _ y: Int, _ color: RGBA, coverage: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let index = (y * width + x) * 4
        let a = UInt32(coverage)
        for (offset, channel) in [color.r, color.g, color.b].enumerated() {
            let old = UInt32(pixels[index + offset])
            pixels[index + offset] = UInt8((old * (255 - a) + UInt32(channel) * a + 127) / 255)
        }
        pixels[index + 3] = 255
    }

    /// Text with its top-left at (x, y), about 8 × `scale` pixels tall: through FreeType in
    /// Noto Sans CJK JP where installed (any Japanese), else in the bitmap font (characters it
    /// lacks drawn as `?`). Returns the width drawn.
    @discardableResult
    mutating func text(_ string: String, x: Int, y: Int, scale: Int = 2, color: RGBA = .black) -> Int {
        if let font = GlyphFont.shared {
            let size = 8 * scale
            let baseline = y + size * 7 / 8
            var pen = x
            for scalar in string.unicodeScalars {
                guard let glyph = font.glyph(scalar, size: size) ?? font.glyph("?", size: size) else { continue }
                for row in 0..<glyph.rows {
                    for column in 0..<glyph.width {
                        blend(
                            pen + glyph.left + column, baseline - glyph.top + row, color,
                            coverage: glyph.coverage[row * glyph.width + column])
                    }
                }
                pen += glyph.advance
            }
            return pen - x
        }
        var cursor = x
        for character in string {
            let rows = BitmapFont.glyph(character) ?? BitmapFont.glyph("?")!
            for (row, bits) in rows.enumerated() {
                for column in 0..<BitmapFont.width where bits & (0x10 >> UInt8(column)) != 0 {
                    rectangle(
                        x: cursor + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
            cursor += (BitmapFont.width + 1) * scale
        }
        return cursor - x
    }
}
