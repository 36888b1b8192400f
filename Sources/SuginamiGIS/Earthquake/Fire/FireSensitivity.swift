import Foundation
import SuginamiCore
import SuginamiKit

/// How much the expected burnt count moves when each assumption that drives it moves: the
/// tornado of the report. A run's confidence interval covers Monte Carlo noise only; this is the
/// rest, one assumption at a time.
///
/// Each assumption is set low and high and the run repeated over the first ``events`` events
/// with the run's seed, so every variant shares the baseline's random numbers (the differences
/// are the assumption's, not noise):
/// - spread-limit distances ×0.5 and ×1.5 (the SECONDARY source's factor for large fires);
/// - non-collapse ignition ×0.5 and ×2 of the run's rate (when no table was given);
/// - wind 4 m/s (TMG's normal wind) and 12 m/s, the reach following the speed.
public struct FireSensitivity: Sendable, Hashable {
    /// One assumption, low and high.
    public struct Row: Sendable, Hashable {
        /// Its name.
        public var assumption: String
        /// 日本語の名前.
        public var japaneseName: String
        /// The low and high settings, as text.
        public var low: String
        /// The low and high settings, as text.
        public var high: String
        /// Expected burnt buildings at the low setting.
        public var burntLow: Double
        /// Expected burnt buildings at the high setting.
        public var burntHigh: Double

        /// The span between the two, for ordering the tornado.
        public var swing: Double { abs(burntHigh - burntLow) }
    }

    /// The baseline's expected burnt count over the same events.
    public var baseline: Double
    /// The events each variant ran.
    public var events: Int
    /// The rows, widest swing first.
    public var rows: [Row]

    /// Runs the variants.
    /// - Parameters:
    ///   - simulate: runs the engine with a fire model and returns the expected burnt count
    ///     over the first `events` events.
    ///   - model: builds the fire model of the run's buildings for parameters and distances.
    public static func measure(
        parameters: FireParameters, distances: SpreadDistances, baseline: Double, events: Int,
        model: (FireParameters, SpreadDistances) throws -> FireModel,
        simulate: (FireModel) throws -> Double
    ) throws -> FireSensitivity {
        func burnt(_ parameters: FireParameters, _ distances: SpreadDistances) throws -> Double {
            try simulate(try model(parameters, distances))
        }
        var rows: [Row] = []
        rows.append(
            Row(
                assumption: "spread-limit distances", japaneseName: "延焼限界距離", low: "×0.5", high: "×1.5",
                burntLow: try burnt(parameters, distances.scaled(by: 0.5)),
                burntHigh: try burnt(parameters, distances.scaled(by: 1.5))))
        if parameters.nonCollapseRates == nil, parameters.effectiveNonCollapseIgnitionPerCollapse > 0 {
            let rate = parameters.effectiveNonCollapseIgnitionPerCollapse
            var low = parameters
            low.nonCollapseIgnitionPerCollapse = rate * 0.5
            var high = parameters
            high.nonCollapseIgnitionPerCollapse = min(1, rate * 2)
            rows.append(
                Row(
                    assumption: "non-collapse ignition", japaneseName: "非倒壊建物の出火率", low: "×0.5", high: "×2",
                    burntLow: try burnt(low, distances), burntHigh: try burnt(high, distances)))
        }
        var calm = parameters
        calm.windSpeed = 4
        var strong = parameters
        strong.windSpeed = 12
        rows.append(
            Row(
                assumption: "wind speed", japaneseName: "風速", low: "4 m/s", high: "12 m/s",
                burntLow: try burnt(calm, distances), burntHigh: try burnt(strong, distances)))
        return FireSensitivity(baseline: baseline, events: events, rows: rows.sorted { $0.swing > $1.swing })
    }

    /// `fire-sensitivity.csv`: one row an assumption.
    public func csv() -> String {
        CSVTable.write(
            header: ["assumption", "low", "high", "burnt_low", "burnt_baseline", "burnt_high", "events"],
            records: rows.map {
                [
                    $0.assumption, $0.low, $0.high, String(format: "%.1f", $0.burntLow),
                    String(format: "%.1f", baseline), String(format: "%.1f", $0.burntHigh), String(events),
                ]
            })
    }

    /// Lines for the run's provenance.
    var provenance: [String] {
        [
            "fire sensitivity: over the first \(events) events with the run's seed (shared random numbers), "
                + "expected burnt \(String(format: "%.0f", baseline)) at the run's settings; "
                + rows.map {
                    "\($0.assumption) \($0.low) → \(String(format: "%.0f", $0.burntLow)), \($0.high) → "
                        + String(format: "%.0f", $0.burntHigh)
                }.joined(separator: "; ")
        ]
    }
}

extension SpreadDistances {
    /// Every distance times `factor`, the rows' status and source saying so.
    public func scaled(by factor: Double) -> SpreadDistances {
        SpreadDistances(
            rows: rows.map {
                var row = $0
                row.distance *= factor
                row.status += " ×\(factor)"
                return row
            }, name: "\(name) ×\(factor)")
    }
}
