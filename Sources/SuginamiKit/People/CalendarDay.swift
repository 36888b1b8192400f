import Foundation

/// A day on the calendar, without a time or a time zone: a date of birth, as the roster writes
/// it (`1941-03-09`).
public struct CalendarDay: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The year.
    public let year: Int
    /// 1…12.
    public let month: Int
    /// 1…31, within the month.
    public let day: Int

    /// A day that exists on the Gregorian calendar, from 1868 (明治) to 9999.
    /// - Throws: ``CalendarDayError`` naming the part that is not a day.
    public init(year: Int, month: Int, day: Int) throws(CalendarDayError) {
        guard (1868...9999).contains(year) else { throw .year(year) }
        guard (1...12).contains(month) else { throw .month(month) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let days = calendar.range(of: .day, in: .month, for: first)!.count
        guard (1...days).contains(day) else { throw .day(day, daysInMonth: days) }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// A day from `YYYY-MM-DD`.
    /// - Throws: ``CalendarDayError`` for text of another shape or a day that does not exist.
    public init(iso text: String) throws(CalendarDayError) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { throw .notADate(text) }
        try self.init(year: year, month: month, day: day)
    }

    /// Reads `YYYY-MM-DD`, checked as ``init(iso:)`` checks it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(iso: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Writes `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Whole years of age on `day`.
    public func age(on day: CalendarDay) -> Int {
        day.year - year - ((day.month, day.day) < (month, self.day) ? 1 : 0)
    }

    /// Earlier first.
    public static func < (left: Self, right: Self) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }

    /// `1941-03-09`.
    public var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

/// Why text or numbers are not a calendar day.
public enum CalendarDayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `YYYY-MM-DD`.
    case notADate(String)
    /// A year outside 1868…9999.
    case year(Int)
    /// A month outside 1…12.
    case month(Int)
    /// A day the month does not have.
    case day(Int, daysInMonth: Int)

    /// A phrase saying what is wrong.
    public var description: String {
        switch self {
        case .notADate(let text): "\"\(text)\" is not a date (YYYY-MM-DD)"
        case .year(let year): "year \(year) is outside 1868–9999"
        case .month(let month): "month \(month) is not 1–12"
        case .day(let day, let days): "day \(day) is not in a month of \(days) days"
        }
    }
}
