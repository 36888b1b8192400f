import Foundation
import SuginamiCore

/// A tornado chart: per assumption a bar from the value at its low setting to the value at its
/// high setting, around a baseline line, widest first. Drawn on ``Canvas`` with the bitmap font
/// (upper-case ASCII labels), like the maps.
public struct TornadoChart: Sendable {
    /// One bar.
    public struct Bar: Sendable, Hashable {
        /// Its label, e.g. `SPREAD-LIMIT DISTANCES`.
        public var label: String
        /// The low setting, e.g. `X0.5`.
        public var lowLabel: String
        /// The high setting.
        public var highLabel: String
        /// The value at the low setting.
        public var low: Double
        /// The value at the high setting.
        public var high: Double

        /// Creates a bar.
        public init(label: String, lowLabel: String, highLabel: String, low: Double, high: Double) {
            self.label = label
            self.lowLabel = lowLabel
            self.highLabel = highLabel
            self.low = low
            self.high = high
        }
    }

    /// The title.
    public var title: String
    /// What the values are.
    public var unit: String
    /// The baseline value.
    public var baseline: Double
    /// The bars, drawn in this order from the top.
    public var bars: [Bar]
    /// Lines under the chart.
    public var notes: [String]

    /// Creates a chart.
    public init(title: String, unit: String, baseline: Double, bars: [Bar], notes: [String]) {
        self.title = title
        self.unit = unit
        self.baseline = baseline
        self.bars = bars
        self.notes = notes
    }

    /// The chart as PNG.
    /// - Throws: ``PNGEncoder/Failure`` (only for a zero size).
    public func png(width: Int = 1_200, height: Int = 560) throws(PNGEncoder.Failure) -> Data {
        try PNGEncoder.encode(width: width, height: height, rgba: render(width: width, height: height).pixels)
    }

    /// Draws the chart.
    public func render(width: Int = 1_200, height: Int = 560) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        canvas.text(title, x: 20, y: 16, scale: 3)
        let left = 360
        let right = width - 140
        let top = 90
        let rowHeight = 76
        let values: [Double] = bars.flatMap { bar -> [Double] in [bar.low, bar.high] } + [baseline, 0]
        let maximum = max(1, values.max() ?? 1) * 1.05
        func x(_ value: Double) -> Int { left + Int(Double(right - left) * max(0, value) / maximum) }
        let lowColour = RGBA(0, 114, 178)  // blue and orange: told apart with any colour vision
        let highColour = RGBA(230, 159, 0)
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            canvas.text(bar.label, x: 20, y: y + 14, scale: 2)
            let base = x(baseline)
            for (value, colour) in [(bar.low, lowColour), (bar.high, highColour)] {
                let end = x(value)
                canvas.rectangle(x: min(base, end), y: y, width: max(1, abs(end - base)), height: 40, color: colour)
            }
            canvas.text(
                "\(bar.lowLabel) \(Self.format(bar.low))", x: min(x(bar.low), x(bar.high), base), y: y + 44, scale: 2,
                color: lowColour)
            canvas.text(
                "\(bar.highLabel) \(Self.format(bar.high))", x: max(x(bar.low), x(bar.high), base) + 6, y: y + 14,
                scale: 2, color: RGBA(150, 100, 0))
        }
        let bottom = top + bars.count * rowHeight
        canvas.line(
            from: (Double(x(baseline)), Double(top - 10)), to: (Double(x(baseline)), Double(bottom)), color: .black,
            thickness: 2)
        canvas.text("BASELINE \(Self.format(baseline)) \(unit)", x: x(baseline) - 60, y: top - 30, scale: 2)
        canvas.line(from: (Double(left), Double(bottom + 4)), to: (Double(right), Double(bottom + 4)), color: .grey)
        canvas.text("0", x: left - 6, y: bottom + 12, scale: 2)
        canvas.text(Self.format(maximum), x: right - 40, y: bottom + 12, scale: 2)
        let notes = ChoroplethMap.wrapped(self.notes, characters: max(10, (width - 40) / 12))
        for (index, note) in notes.enumerated() {
            canvas.text(note, x: 20, y: height - 22 * (notes.count - index) - 4, scale: 2, color: RGBA(60, 60, 60))
        }
        return canvas
    }

    static func format(_ value: Double) -> String {
        value.isFinite && abs(value) < 1e15 ? DigitGrouping.grouped(Int(value.rounded())) : "—"
    }
}
