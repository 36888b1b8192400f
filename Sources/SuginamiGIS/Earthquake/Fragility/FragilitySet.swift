import Foundation
import SuginamiKit

/// Damage functions by construction class (構造 × 建築年代, × ground class where the source has
/// it), loaded from a CSV file at run time, each row with its status and source.
///
/// File format (UTF-8 CSV, `#` lines are comments):
///
/// ```
/// era,ground,damage_state,form,mu,sigma,points,status,source
/// wooden_-1962,any,collapse,normal,6.2469,0.2688,,derived,"probit fit to … (see FRAGILITY.md)"
/// non_wooden_1981-,soft,half,table,,,5.0:0.0;5.5:0.02;6.0:0.10;7.0:0.35,official,"TMG 2022 p. 6-7"
/// ```
///
/// - `era`: a `ConstructionEra` raw value; `ground`: `any`, `soft` or `hard`;
///   `damage_state`: `half`, `large_half` or `collapse` (each "or worse").
/// - `form`: `normal` (Φ((I − μ)/σ), with `mu` and `sigma` in JMA intensity) or `table`
///   (`points` as `I:rate` pairs separated by `;`, intensities increasing, rates non-decreasing
///   in [0, 1]).
/// - `status` and `source` are required: every number in a run is traceable.
///
/// States must nest: P(half) ≥ P(large_half) ≥ P(collapse) for every intensity (checked from 4
/// to 7.5 at 0.01 steps). A state may be absent for a class (the default set has only 全壊); a
/// run reports absent states as not modelled, never as zero.
public struct FragilitySet: Sendable, Hashable {
    /// One function and where it came from.
    public struct Entry: Sendable, Hashable {
        /// The class.
        public var era: ConstructionEra
        /// The ground class.
        public var ground: GroundClass
        /// The state.
        public var state: DamageState
        /// The function.
        public var curve: FragilityCurve
        /// `official`, `derived`, `assumption`…
        public var status: String
        /// The source line.
        public var source: String
    }

    /// The medians accepted for the normal form, on the JMA instrumental intensity scale
    /// (which runs 0 to about 7.5): below 3 a building would fail at shaking that rattles dishes;
    /// above 7.5 the state is practically never reached, which a set may say on purpose, but
    /// beyond 20 the number is another unit or a typo.
    public static let medianRange = 3.0...20.0
    /// The spreads (σ) accepted for the normal form: published functions use 0.2–1.
    public static let spreadRange = 0.01...3.0

    /// The entries, in file order.
    public let entries: [Entry]
    /// The file name, for provenance.
    public let name: String

    /// Parses and validates a fragility file.
    /// - Throws: ``FragilityError`` naming the file, line and field.
    public init(csv text: String, name: String) throws(FragilityError) {
        let table: CSVTable
        do {
            table = try CSVTable(parsingCommented: text, file: name)
        } catch {
            throw FragilityError(file: name, line: 0, field: "", reason: "\(error)")
        }
        let expected = ["era", "ground", "damage_state", "form", "mu", "sigma", "points", "status", "source"]
        guard table.header == expected else {
            throw FragilityError(
                file: name, line: 1, field: "", reason: "header must be \(expected.joined(separator: ","))")
        }
        var entries: [Entry] = []
        var seen = Set<String>()
        for (row, record) in table.records.enumerated() {
            let line = table.lines[row]
            func fail(_ field: String, _ reason: String) -> FragilityError {
                FragilityError(file: name, line: line, field: field, reason: reason)
            }
            if record.allSatisfy(\.isEmpty) { continue }
            guard let era = ConstructionEra(rawValue: record[0]) else {
                throw fail(
                    "era",
                    "\"\(record[0])\" is not one of \(ConstructionEra.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard let ground = GroundClass(rawValue: record[1]) else {
                throw fail("ground", "\"\(record[1])\" is not any, soft or hard")
            }
            guard let state = DamageState(rawValue: record[2]) else {
                throw fail("damage_state", "\"\(record[2])\" is not half, large_half or collapse")
            }
            let curve: FragilityCurve
            switch record[3] {
            case "normal":
                guard let mu = Double(record[4]), mu.isFinite else {
                    throw fail("mu", "\"\(record[4])\" is not a number")
                }
                guard Self.medianRange.contains(mu) else {
                    throw fail(
                        "mu",
                        "\(record[4]) is outside \(Self.medianRange.lowerBound)–\(Self.medianRange.upperBound) on the "
                            + "JMA intensity scale: not a damage function's median (another unit, or a typo?)")
                }
                guard let sigma = Double(record[5]), sigma.isFinite, sigma > 0 else {
                    throw fail("sigma", "\"\(record[5])\" is not a positive number")
                }
                guard Self.spreadRange.contains(sigma) else {
                    throw fail(
                        "sigma",
                        "\(record[5]) is outside \(Self.spreadRange.lowerBound)–\(Self.spreadRange.upperBound) intensity "
                            + "units: not a damage function's spread")
                }
                curve = .normal(mu: mu, sigma: sigma)
            case "table":
                var points: [(intensity: Double, rate: Double)] = []
                for pair in record[6].split(separator: ";") {
                    let parts = pair.split(separator: ":").compactMap { Double($0) }
                    guard parts.count == 2, (0...Self.medianRange.upperBound).contains(parts[0]),
                        (0...1).contains(parts[1])
                    else {
                        throw fail(
                            "points",
                            "\"\(pair)\" is not intensity:rate with an intensity in 0–\(Self.medianRange.upperBound) "
                                + "and a rate in [0, 1]")
                    }
                    if let last = points.last {
                        guard parts[0] > last.intensity else { throw fail("points", "intensities must increase") }
                        guard parts[1] >= last.rate else { throw fail("points", "rates must not decrease") }
                    }
                    points.append((parts[0], parts[1]))
                }
                guard points.count >= 2 else { throw fail("points", "a table needs at least two points") }
                curve = .table(points)
            default:
                throw fail("form", "\"\(record[3])\" is not normal or table")
            }
            guard !record[7].isEmpty else { throw fail("status", "every row needs a status") }
            guard !record[8].isEmpty else { throw fail("source", "every row needs a source") }
            guard seen.insert("\(era.rawValue)|\(ground.rawValue)|\(state.rawValue)").inserted else {
                throw fail(
                    "era", "a second \(state.rawValue) function for \(era.rawValue) on \(ground.rawValue) ground")
            }
            entries.append(
                Entry(era: era, ground: ground, state: state, curve: curve, status: record[7], source: record[8]))
        }
        guard !entries.isEmpty else { throw FragilityError(file: name, line: 0, field: "", reason: "no functions") }
        self.entries = entries
        self.name = name
        try checkNesting()
    }

    /// The derived default set shipped with the SDK (`Resources/fragility-derived.csv`).
    public static func bundledDefault() throws(FragilityError) -> FragilitySet {
        guard
            let url = Bundle.suginamiGIS?.url(
                forResource: "fragility-derived", withExtension: "csv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw FragilityError(
                file: "fragility-derived.csv", line: 0, field: "", reason: "bundled resource is missing")
        }
        return try FragilitySet(csv: text, name: "fragility-derived.csv")
    }

    /// The function for a class, state and ground: the ground-specific one, else `any`.
    public func curve(era: ConstructionEra, ground: GroundClass, state: DamageState) -> FragilityCurve? {
        let exact = entries.first { $0.era == era && $0.ground == ground && $0.state == state }
        return (exact ?? entries.first { $0.era == era && $0.ground == .any && $0.state == state })?.curve
    }

    private func checkNesting() throws(FragilityError) {
        for era in ConstructionEra.allCases {
            for ground in GroundClass.allCases {
                let curves = DamageState.allCases.compactMap { state in
                    entries.first { $0.era == era && $0.ground == ground && $0.state == state }.map {
                        (state, $0.curve)
                    }
                }
                guard curves.count > 1 else { continue }
                for step in 0...350 {
                    let intensity = 4 + Double(step) / 100
                    for (milder, worse) in zip(curves, curves.dropFirst())
                    where milder.1.probability(atIntensity: intensity) + 1e-9
                        < worse.1.probability(atIntensity: intensity)
                    {
                        throw FragilityError(
                            file: name, line: 0, field: "damage_state",
                            reason: "\(era.rawValue) (\(ground.rawValue)): P(\(worse.0.rawValue)) exceeds "
                                + "P(\(milder.0.rawValue)) at intensity \(intensity)")
                    }
                }
            }
        }
    }
}

/// A problem in a fragility file.
public struct FragilityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The line (0 when the problem is the file as a whole).
    public var line: Int
    /// The field.
    public var field: String
    /// Why.
    public var reason: String

    /// `file:line: field: reason`.
    public var description: String {
        "\(file)\(line > 0 ? ":\(line)" : ""): \(field.isEmpty ? "" : "\(field): ")\(reason)"
    }
}
