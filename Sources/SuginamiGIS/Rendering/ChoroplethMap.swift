import Foundation
import SuginamiKit

/// A choropleth map rendered to PNG by the SDK itself: areas (250 m cells or towns) coloured by
/// a value in classes of a colour-blind-safe scale, with town borders, the ward outline, a
/// legend, a scale bar, a north arrow, a title and the attribution. Drawn in the plane
/// rectangular zone IX (the ward's official zone), so distances on the map are true.
public struct ChoroplethMap: Sendable {
    /// One area and its value (`nil`: no data, drawn light grey).
    public struct Area: Sendable {
        /// The shape.
        public var shape: GeoMultiPolygon
        /// The value.
        public var value: Double?

        /// Creates an area.
        public init(shape: GeoMultiPolygon, value: Double?) {
            self.shape = shape
            self.value = value
        }
    }

    /// The title (ASCII; the font has Latin capitals, digits and punctuation).
    public var title: String
    /// The legend's heading, with the unit.
    public var legendTitle: String
    /// The colour scale: ``ColorScale/viridis`` for amounts, ``ColorScale/purpleOrange`` for
    /// changes that can be negative.
    public var scale: ColorScale
    /// The areas.
    public var areas: [Area]
    /// Town borders (also the ward outline, drawn around their union).
    public var borders: [GeoMultiPolygon]
    /// Attribution lines.
    public var attribution: [String]
    /// Class breaks chosen by the caller (six for ``ColorScale/viridis``, eight for
    /// ``ColorScale/purpleOrange``), where equal classes would hide what matters (a load of 1
    /// is where a relief centre overflows).
    public var classBreaks: [Double]?
    /// Names written on the map (e.g. the towns that matter most), centred on their points.
    public var labels: [(point: GeoPoint, text: String)]

    /// Creates a map.
    public init(
        title: String, legendTitle: String, scale: ColorScale, areas: [Area], borders: [GeoMultiPolygon],
        attribution: [String], classBreaks: [Double]? = nil, labels: [(point: GeoPoint, text: String)] = []
    ) {
        self.title = title
        self.legendTitle = legendTitle
        self.scale = scale
        self.areas = areas
        self.borders = borders
        self.attribution = attribution
        self.classBreaks = classBreaks
        self.labels = labels
    }

    /// Class breaks: the caller's, else for amounts five equal classes from 0 to a round
    /// maximum; for changes seven classes of a round width, the middle one centred on 0.
    public var breaks: [Double] {
        if let classBreaks, classBreaks.count == (scale == .viridis ? 6 : 8) { return classBreaks }
        let values = areas.compactMap(\.value).filter(\.isFinite)
        switch scale {
        case .viridis:
            let top = Self.roundUp(max(values.max() ?? 0, 1e-9))
            return (0...5).map { top * Double($0) / 5 }
        case .purpleOrange:
            // Seven classes of width s centred on 0, so no change falls in the pale middle one.
            let step = Self.roundUp(max(values.map(abs).max() ?? 0, 1e-9) / 3.5)
            return (0...7).map { step * (Double($0) - 3.5) }
        }
    }

    /// The next round number (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ) at or above `value`.
    static func roundUp(_ value: Double) -> Double {
        let power = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where step * power >= value * (1 - 1e-12) {
            return step * power
        }
        return 10 * power
    }

    /// Renders the map.
    /// - Throws: ``PNGEncoder/Failure`` (only for a zero size).
    public func png(width: Int = 1_200, height: Int = 900) throws(PNGEncoder.Failure) -> Data {
        let canvas = render(width: width, height: height)
        return try PNGEncoder.encode(width: width, height: height, rgba: canvas.pixels)
    }

    /// Lines broken so that none is wider than `characters` columns (a character outside ASCII
    /// takes two, as on a terminal): at spaces, and anywhere in a run without spaces (Japanese
    /// has none).
    static func wrapped(_ lines: [String], characters: Int) -> [String] {
        func columns(_ text: Substring) -> Int { text.reduce(0) { $0 + ($1.isASCII ? 1 : 2) } }
        var result: [String] = []
        for line in lines {
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(word)
                while columns(word) > characters {
                    if !current.isEmpty {
                        result.append(current)
                        current = ""
                    }
                    var cut = word.startIndex
                    var used = 0
                    while cut < word.endIndex, used + columns(word[cut...cut]) <= characters {
                        used += columns(word[cut...cut])
                        cut = word.index(after: cut)
                    }
                    result.append(String(word[..<cut]))
                    word = word[cut...]
                }
                if current.isEmpty {
                    current = String(word)
                } else if columns(Substring(current)) + 1 + columns(word) <= characters {
                    current += " " + word
                } else {
                    result.append(current)
                    current = String(word)
                }
            }
            result.append(current)
        }
        return result
    }

    /// Draws the map on a canvas.
    public func render(width: Int = 1_200, height: Int = 900) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let projection = TransverseMercator(zone: .ix)
        func project(_ point: GeoPoint) -> (x: Double, y: Double) {
            let p = projection.forwardCoordinates(latitude: point.latitude, longitude: point.longitude)
            return (p.easting, p.northing)
        }
        // Attribution lines wrapped at spaces to the canvas width (12 pixels a character at scale 2).
        let attribution = Self.wrapped(self.attribution, characters: max(10, (width - 40) / 12))
        let all = (areas.map(\.shape) + borders).flatMap { $0.polygons.flatMap(\.exterior) }.map(project)
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(), let minY = all.map(\.y).min(),
            let maxY = all.map(\.y).max()
        else { return canvas }
        // The map frame: left part, under the title, above the attribution.
        let frame = (
            x: 20.0, y: 60.0, width: Double(width) * 0.72,
            height: Double(height) - 60 - 30 - 22.0 * Double(max(1, attribution.count))
        )
        let metresPerPixel = max((maxX - minX) / frame.width, (maxY - minY) / frame.height) * 1.04
        let offsetX = frame.x + (frame.width - (maxX - minX) / metresPerPixel) / 2
        let offsetY = frame.y + (frame.height - (maxY - minY) / metresPerPixel) / 2
        func pixel(_ point: GeoPoint) -> (x: Double, y: Double) {
            let p = project(point)
            return (offsetX + (p.x - minX) / metresPerPixel, offsetY + (maxY - p.y) / metresPerPixel)
        }
        func rings(_ shape: GeoMultiPolygon) -> [[(x: Double, y: Double)]] {
            shape.polygons.flatMap { $0.rings.map { $0.map(pixel) } }
        }
        let breaks = breaks
        let classCount = breaks.count - 1
        func classColor(_ index: Int) -> RGBA { scale.color((Double(index) + 0.5) / Double(classCount)) }
        func classOf(_ value: Double) -> Int {
            let index = breaks.dropFirst().firstIndex { value <= $0 } ?? breaks.count - 1
            return min(max(index - 1, 0), classCount - 1)
        }
        for area in areas {
            canvas.fill(rings: rings(area.shape), color: area.value.map { classColor(classOf($0)) } ?? .noData)
        }
        for border in borders {
            for ring in rings(border) {
                for (a, b) in zip(ring, ring.dropFirst() + ring.prefix(1)) { canvas.line(from: a, to: b, color: .grey) }
            }
        }
        // The ward outline: the edge of the union of the towns, from a mask closed by 3 pixels
        // first, because neighbouring town polygons leave slivers between them.
        var union = Canvas(width: width, height: height, background: RGBA(0, 0, 0, 0))
        for border in borders { union.fill(rings: rings(border), color: .black) }
        var inside = (0..<(width * height)).map { union.pixels[$0 * 4 + 3] > 0 }
        inside = Self.morph(
            Self.morph(inside, width: width, height: height, radius: 3, dilate: true), width: width, height: height,
            radius: 3, dilate: false)
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) where inside[y * width + x] {
                if !inside[y * width + x - 1] || !inside[y * width + x + 1] || !inside[(y - 1) * width + x]
                    || !inside[(y + 1) * width + x]
                {
                    canvas.rectangle(x: x - 1, y: y - 1, width: 3, height: 3, color: .black)
                }
            }
        }
        // Labels, with a white halo so that they read on any class colour; a label that would
        // overlap one already drawn is left out (the list comes most important first).
        var placed: [(x0: Int, y0: Int, x1: Int, y1: Int)] = []
        for label in labels {
            let (x, y) = project(label.point)
            let px = Int(offsetX + (x - minX) / metresPerPixel)
            let py = Int(offsetY + (maxY - y) / metresPerPixel)
            var probe = Canvas(width: 1, height: 1)
            let half = probe.text(label.text, x: 0, y: 0, scale: 2) / 2
            let box = (x0: px - half - 2, y0: py - 10, x1: px + half + 2, y1: py + 12)
            guard !placed.contains(where: { box.x0 < $0.x1 && $0.x0 < box.x1 && box.y0 < $0.y1 && $0.y0 < box.y1 })
            else { continue }
            placed.append(box)
            for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)] {
                canvas.text(label.text, x: px - half + dx, y: py - 8 + dy, scale: 2, color: .white)
            }
            canvas.text(label.text, x: px - half, y: py - 8, scale: 2, color: .black)
        }
        // Title.
        canvas.text(title, x: 20, y: 16, scale: 3)
        // Legend.
        let legendX = Int(frame.x + frame.width) + 30
        var legendY = 90
        canvas.text(legendTitle, x: legendX, y: legendY, scale: 2)
        legendY += 30
        for index in (0..<classCount).reversed() {
            canvas.rectangle(x: legendX, y: legendY, width: 36, height: 24, color: .black)
            canvas.rectangle(x: legendX + 1, y: legendY + 1, width: 34, height: 22, color: classColor(index))
            canvas.text(
                "\(Self.label(breaks[index])) - \(Self.label(breaks[index + 1]))", x: legendX + 46, y: legendY + 5,
                scale: 2)
            legendY += 30
        }
        canvas.rectangle(x: legendX, y: legendY, width: 36, height: 24, color: .black)
        canvas.rectangle(x: legendX + 1, y: legendY + 1, width: 34, height: 22, color: .noData)
        canvas.text("NO DATA", x: legendX + 46, y: legendY + 5, scale: 2)
        // North arrow (grid north; the convergence here is about 0.2°).
        let arrowX = frame.x + frame.width - 30
        let arrowY = frame.y + 10
        canvas.fill(
            rings: [[(arrowX, arrowY), (arrowX - 12, arrowY + 40), (arrowX, arrowY + 30), (arrowX + 12, arrowY + 40)]],
            color: .black)
        canvas.text("N", x: Int(arrowX) - 5, y: Int(arrowY) + 46, scale: 2)
        // Scale bar: a round length near a quarter of the frame.
        let target = frame.width / 4 * metresPerPixel
        let length = Self.roundUp(target) > target * 1.5 ? Self.roundUp(target) / 2 : Self.roundUp(target)
        let barPixels = length / metresPerPixel
        let barX = frame.x + 10
        let barY = frame.y + frame.height - 20
        canvas.rectangle(x: Int(barX), y: Int(barY), width: Int(barPixels), height: 6, color: .black)
        canvas.rectangle(
            x: Int(barX + barPixels / 2), y: Int(barY) + 1, width: Int(barPixels / 2) - 1, height: 4, color: .white)
        canvas.text("0", x: Int(barX) - 4, y: Int(barY) - 18, scale: 2)
        canvas.text(
            length >= 1_000 ? "\(Self.label(length / 1_000)) KM" : "\(Int(length)) M", x: Int(barX + barPixels) - 10,
            y: Int(barY) - 18, scale: 2)
        // Attribution.
        for (index, line) in attribution.enumerated() {
            canvas.text(
                line, x: 20, y: height - 22 * (attribution.count - index) - 4, scale: 2, color: RGBA(60, 60, 60))
        }
        return canvas
    }

    /// Dilation or erosion of a mask by a square of side 2r + 1 (separable running max/min).
    static func morph(_ mask: [Bool], width: Int, height: Int, radius: Int, dilate: Bool) -> [Bool] {
        var rows = mask
        for y in 0..<height {
            for x in 0..<width {
                var value = !dilate
                for dx in max(0, x - radius)...min(width - 1, x + radius) where mask[y * width + dx] == dilate {
                    value = dilate
                    break
                }
                rows[y * width + x] = value
            }
        }
        var result = rows
        for y in 0..<height {
            for x in 0..<width {
                var value = !dilate
                for dy in max(0, y - radius)...min(height - 1, y + radius) where rows[dy * width + x] == dilate {
                    value = dilate
                    break
                }
                result[y * width + x] = value
            }
        }
        return result
    }

    /// A short number: no trailing zeros, thousands without separators.
    static func label(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
