import Foundation

/// An instant written in RFC 3339 with its UTC offset (`2026-11-20T09:00:00+09:00`).
///
/// A time without an offset is ambiguous by up to a day across time zones, and an audit trail
/// must not guess, so such text is rejected. The original text is kept for reports.
public struct Timestamp: Sendable, Hashable, Comparable, TextCodedValue {
    /// The text as written.
    public let text: String
    /// The instant.
    public let date: Date

    /// Parses RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, _ expected: Character) -> Bool {
            index < bytes.count && bytes[index] == expected.asciiValue!
        }
        guard bytes.count >= 20, let year = number(0..<4), byte(4, "-"), let month = number(5..<7), byte(7, "-"),
            let day = number(8..<10), byte(10, "T") || byte(10, "t"), let hour = number(11..<13), byte(13, ":"),
            let minute = number(14..<16), byte(16, ":"), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, ".") {
            var scale = 0.1
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if byte(index, "Z") || byte(index, "z") {
            index += 1
        } else if byte(index, "+") || byte(index, "-") {
            let sign = byte(index, "-") ? -1 : 1
            guard let offsetHours = number(index + 1..<index + 3), byte(index + 3, ":"),
                let offsetMinutes = number(index + 4..<index + 6), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let daysInMonth = [
            31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        ]
        guard (1...daysInMonth[month - 1]).contains(day) else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), so no calendar object is needed.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        self.text = text
        self.date = Date(timeIntervalSince1970: seconds)
    }

    /// A timestamp for an instant, written in UTC.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let text = Date(timeIntervalSince1970: seconds).formatted(.iso8601)
        self.text = text
        self.date = Date(timeIntervalSince1970: seconds)
    }

    /// What a timestamp looks like, for error messages.
    public static let expectation = "an RFC 3339 time with a UTC offset (e.g. 2026-11-20T09:00:00+09:00)"

    /// Earlier instants first.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }

    /// Equal instants, whatever their offsets.
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date == rhs.date }

    /// Hashes the instant.
    public func hash(into hasher: inout Hasher) { hasher.combine(date) }

    /// The text as written.
    public var description: String { text }

    /// Whole days from this instant to a later one (negative if `other` is earlier).
    public func days(until other: Timestamp) -> Double { other.date.timeIntervalSince(date) / 86_400 }
}
