import Foundation

/// Building counts by structure (木造/非木造) and construction period, as published in the TMG
/// 2022 damage estimate for all of Tokyo (excluding the islands), from the 2020 固定資産課税台帳.
public struct BuildingStockTable: Sendable, Hashable {
    /// One row of the table.
    public struct Row: Sendable, Hashable {
        /// `true` for 木造, `false` for 非木造.
        public var isWooden: Bool
        /// The published class label (旧築年, 中築年①, …).
        public var classLabel: String
        /// First year of the class; `nil` for "and before".
        public var yearFrom: Int?
        /// Last year of the class; `nil` for "and after".
        public var yearTo: Int?
        /// Number of buildings.
        public var buildings: Int
    }

    /// The rows, in published order.
    public var rows: [Row]

    /// Parses the table's CSV (`structure,age_class,year_from,year_to,buildings,share_percent`).
    public init(csv data: Data, file: String) throws(InputFileError) {
        let table = try CSVTable(parsing: try TextEncoding.utf8.decode(data, file: file), file: file)
        let expected = ["structure", "age_class", "year_from", "year_to", "buildings", "share_percent"]
        guard table.header == expected else {
            throw InputFileError(
                file: file, location: .row(0, line: 1), reason: "header is not \(expected.joined(separator: ","))")
        }
        var rows: [Row] = []
        for (offset, record) in table.records.enumerated() {
            let location = InputFileError.Location.row(offset + 1, line: table.lines[offset])
            guard record.count == expected.count else {
                throw InputFileError(
                    file: file, location: location, reason: "wrong column count: \(record.count) fields")
            }
            let fields = RecordFields(header: expected, record: record)
            do throws(FieldError) {
                let isWooden: Bool
                switch record[0] {
                case "木造": isWooden = true
                case "非木造": isWooden = false
                default: throw FieldError(field: "structure", reason: "\"\(record[0])\" is neither 木造 nor 非木造")
                }
                guard let buildings = try fields.integer("buildings", range: 0...Int.max) else {
                    throw FieldError(field: "buildings", reason: "is required but empty")
                }
                rows.append(
                    Row(
                        isWooden: isWooden, classLabel: try fields.requiredString("age_class"),
                        yearFrom: try fields.integer("year_from", range: 1800...2100),
                        yearTo: try fields.integer("year_to", range: 1800...2100), buildings: buildings))
            } catch {
                throw InputFileError(file: file, location: location, field: error.field, reason: error.reason)
            }
        }
        self.rows = rows
    }

    /// All buildings in the table.
    public var total: Int { rows.reduce(0) { $0 + $1.buildings } }
}
