import Foundation

/// One cell of a tabular record: text, an integer (GeoJSON numbers) or null.
enum CellValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case null
}

/// The cells of one record by column name, with typed readers whose errors name the column.
///
/// CSV cells arrive as text; GeoJSON properties keep their JSON type. Empty text and null
/// both read as absent.
struct RecordFields {
    var cells: [String: CellValue]

    init(cells: [String: CellValue]) { self.cells = cells }

    /// CSV has no null: an empty field means "none" (the standard's general rule).
    init(header: [String], record: [String]) {
        cells = Dictionary(
            zip(header, record.map { $0.isEmpty ? CellValue.null : .text($0) }), uniquingKeysWith: { first, _ in first }
        )
    }

    init(properties: JSONValue) {
        var cells: [String: CellValue] = [:]
        if case .object(let pairs) = properties {
            for (key, value) in pairs {
                switch value {
                case .null: cells[key] = .null
                case .string(let text): cells[key] = .text(text)
                case .bool(let flag): cells[key] = .text(flag ? "1" : "")
                case .number(let number):
                    cells[key] =
                        number == number.rounded() && abs(number) < 1e15 ? .integer(Int(number)) : .text("\(number)")
                case .array, .object: cells[key] = .text(value.serialized())
                }
            }
        }
        self.cells = cells
    }

    /// The text of a cell; `nil` when absent, null or empty.
    func string(_ column: String) -> String? {
        switch cells[column] {
        case .text(let text) where !text.isEmpty: text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The text of a cell, keeping an empty string apart from null or absence (GSI's GeoJSON
    /// publishes both for the same column, and a faithful export must give back the same).
    func textKeepingEmpty(_ column: String) -> String? {
        switch cells[column] {
        case .text(let text): text
        case .integer(let value): String(value)
        case .null, nil: nil
        }
    }

    func requiredString(_ column: String) throws(FieldError) -> String {
        guard let text = string(column), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FieldError(field: column, reason: "is required but empty")
        }
        return text
    }

    /// A `1`/empty flag as the open-data layouts use them.
    func flag(_ column: String) throws(FieldError) -> Bool {
        switch cells[column] {
        case nil, .null: return false
        // A GeoPackage BOOLEAN column holds 0 or 1; registers written by the SDK hold both.
        case .integer(0): return false
        case .integer(1): return true
        case .text("1"): return true
        case .text(""): return false
        case .text(let other):
            throw FieldError(field: column, reason: "unknown flag value \"\(other)\" (expected 1 or empty)")
        case .integer(let other):
            throw FieldError(field: column, reason: "unknown flag value \(other) (expected 1, 0 or empty)")
        }
    }

    func integer(_ column: String, range: ClosedRange<Int> = Int.min...Int.max) throws(FieldError) -> Int? {
        guard let text = string(column) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw FieldError(field: column, reason: "\"\(text)\" is not a whole number")
        }
        guard range.contains(value) else {
            throw FieldError(field: column, reason: "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func decimal(_ column: String) throws(FieldError) -> Double? {
        guard let text = string(column) else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw FieldError(field: column, reason: "\"\(text)\" is not a decimal number")
        }
        return value
    }

    func position(latitude: String, longitude: String) throws(FieldError) -> GeoPoint {
        guard let lat = try decimal(latitude) else {
            throw FieldError(field: latitude, reason: "is required but empty")
        }
        guard let lon = try decimal(longitude) else {
            throw FieldError(field: longitude, reason: "is required but empty")
        }
        do {
            return try GeoPoint(latitude: lat, longitude: lon)
        } catch {
            switch error {
            case .latitudeOutOfRange: throw FieldError(field: latitude, reason: error.description)
            case .longitudeOutOfRange: throw FieldError(field: longitude, reason: error.description)
            }
        }
    }

    func governmentCode(_ column: String) throws(FieldError) -> LocalGovernmentCode? {
        guard let text = string(column) else { return nil }
        do {
            return try LocalGovernmentCode(text, acceptingDroppedLeadingZero: true)
        } catch {
            throw FieldError(field: column, reason: error.description)
        }
    }
}

extension CellValue {
    /// A string or null, as a layout writes an optional text.
    static func optionalText(_ text: String?, nullWhenAbsent: Bool = false) -> CellValue {
        if let text { return .text(text) }
        return nullWhenAbsent ? .null : .text("")
    }

    static func flag(_ value: Bool?) -> CellValue { .text(value == true ? "1" : "") }

    /// The cell as CSV text.
    var csvText: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .null: ""
        }
    }

    /// The cell as a JSON value.
    var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .integer(let value): .number(Double(value))
        case .null: .null
        }
    }
}
