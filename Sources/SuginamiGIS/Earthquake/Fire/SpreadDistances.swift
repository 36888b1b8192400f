import Foundation
import SuginamiKit

/// 延焼限界距離: the largest gap (m) between two buildings across which fire spreads, by
/// fire-resistance class and wind speed, as data with a status and source per row.
///
/// File format (UTF-8 CSV, `#` lines are comments):
///
/// ```
/// wind_max_ms,fire_resistance,distance_m,status,source
/// 6,bare_wooden,12,official,"…"
/// inf,bare_wooden,15,official,"…"
/// ```
///
/// A row holds for wind speeds up to `wind_max_ms` (inclusive; `inf` for any); every class
/// needs a row whose band covers the wind of a run. Two buildings are linked when the gap
/// between them is below the *smaller* of their two distances: fire must be able to leave the
/// one and enter the other (so a 耐火 building at 0 m is never linked and breaks clusters).
///
/// The bundled set (`Resources/fire-spread-distances.csv`) holds SECONDARY, wind-independent
/// values (裸木造 12 m, 防火造 6 m, 準耐火造 3 m, 耐火造 0 m); TMG's own wind-dependent table
/// was not found.
public struct SpreadDistances: Sendable, Hashable {
    /// One row.
    public struct Row: Sendable, Hashable {
        /// Upper wind speed of the band, m/s (`.infinity` for any).
        public var windMax: Double
        /// The class.
        public var fireResistance: FireResistanceClass
        /// The distance, m.
        public var distance: Double
        /// Its status.
        public var status: String
        /// Its source.
        public var source: String
    }

    /// The rows.
    public let rows: [Row]
    /// The file name.
    public let name: String

    /// Parses and checks a table.
    /// - Throws: ``FireInputError`` naming the file, line and field: an unknown class, a
    ///   negative, NaN or non-numeric value, a duplicate band, a missing status or source.
    public init(csv text: String, name: String) throws(FireInputError) {
        let table: CSVTable
        do {
            table = try CSVTable(parsingCommented: text, file: name)
        } catch {
            throw FireInputError(source: name, reason: "\(error)")
        }
        let expected = ["wind_max_ms", "fire_resistance", "distance_m", "status", "source"]
        guard table.header == expected else {
            throw FireInputError(source: name, line: 1, reason: "header must be \(expected.joined(separator: ","))")
        }
        var rows: [Row] = []
        for (index, record) in table.records.enumerated() {
            let line = table.lines[index]
            func fail(_ field: String, _ reason: String) -> FireInputError {
                FireInputError(source: name, line: line, field: field, reason: reason)
            }
            guard record.count == expected.count else { throw fail("", "expected \(expected.count) fields") }
            let wind = record[0] == "inf" ? Double.infinity : Double(record[0])
            guard let wind, wind >= 0, !wind.isNaN else {
                throw fail("wind_max_ms", "\"\(record[0])\" is not a non-negative speed or inf")
            }
            guard let resistance = FireResistanceClass(rawValue: record[1]) else {
                throw fail(
                    "fire_resistance",
                    "\"\(record[1])\" is not one of \(FireResistanceClass.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard let distance = Double(record[2]), distance.isFinite, distance >= 0 else {
                throw fail("distance_m", "\"\(record[2])\" is not a non-negative distance")
            }
            guard !record[3].isEmpty else { throw fail("status", "required") }
            guard !record[4].isEmpty else { throw fail("source", "required") }
            guard !rows.contains(where: { $0.windMax == wind && $0.fireResistance == resistance }) else {
                throw fail("fire_resistance", "\(resistance.rawValue) appears twice for wind up to \(record[0])")
            }
            rows.append(
                Row(windMax: wind, fireResistance: resistance, distance: distance, status: record[3], source: record[4])
            )
        }
        guard !rows.isEmpty else { throw FireInputError(source: name, line: 2, reason: "no rows") }
        self.rows = rows
        self.name = name
    }

    /// A table of checked rows (``scaled(by:)``).
    init(rows: [Row], name: String) {
        self.rows = rows
        self.name = name
    }

    /// The bundled SECONDARY set.
    public static func bundledDefault() throws(FireInputError) -> SpreadDistances {
        guard
            let url = Bundle.suginamiGIS?.url(
                forResource: "fire-spread-distances", withExtension: "csv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { throw FireInputError(source: "fire-spread-distances.csv", reason: "bundled resource is missing") }
        return try SpreadDistances(csv: text, name: "fire-spread-distances.csv (bundled, SECONDARY)")
    }

    /// The row for a class at a wind speed: the narrowest band that covers it.
    /// - Throws: ``FireInputError`` when no band covers the wind for that class.
    public func row(for resistance: FireResistanceClass, windSpeed: Double) throws(FireInputError) -> Row {
        let candidates = rows.filter { $0.fireResistance == resistance && windSpeed <= $0.windMax }
        guard let row = candidates.min(by: { $0.windMax < $1.windMax }) else {
            throw FireInputError(
                source: name, field: "fire_resistance",
                reason: "no distance for \(resistance.rawValue) at wind \(windSpeed) m/s")
        }
        return row
    }
}
