import Foundation
import SuginamiGIS

/// The fields of a JSON request body, read strictly: the body must be one JSON object
/// (``StrictJSON``: no trailing commas, no repeated keys), each field of the right type and
/// range, and a field the endpoint does not know is refused by name rather than ignored, so a
/// misspelt `ocupancy` is never silently lost.
struct RequestFields {
    private let pairs: [String: JSONValue]
    private var read = Set<String>()

    /// Parses `body`.
    /// - Throws: ``APIError/badRequest(_:)`` when it is empty, not JSON or not an object.
    init(_ body: [UInt8]) throws(APIError) {
        guard !body.isEmpty else { throw .badRequest("the request needs a JSON object as its body") }
        let value: JSONValue
        do {
            value = try JSONValue.parseStrictly(body)
        } catch {
            throw .badRequest("the body is \(error.description)")
        }
        guard case .object(let pairs) = value else { throw .badRequest("the body must be a JSON object") }
        self.pairs = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    private mutating func value(_ name: String) -> JSONValue? {
        read.insert(name)
        guard let value = pairs[name], value != .null else { return nil }
        return value
    }

    private static func invalid(_ name: String, _ reason: String) -> APIError { .badRequest("\(name): \(reason)") }

    /// A string field of 1 to `maximumLength` characters, nil when absent or null.
    mutating func string(_ name: String, maximumLength: Int) throws(APIError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw Self.invalid(name, "must be a string") }
        guard text.count <= maximumLength else {
            throw Self.invalid(name, "has \(text.count) characters; at most \(maximumLength)")
        }
        return text
    }

    /// A required string field.
    mutating func requiredString(_ name: String, maximumLength: Int) throws(APIError) -> String {
        guard let text = try string(name, maximumLength: maximumLength) else { throw Self.invalid(name, "is required") }
        return text
    }

    /// A time of observation in ISO 8601, within the last 30 days and at most 5 minutes ahead of
    /// `now` (clocks differ); nil when absent or null.
    mutating func observedTime(_ name: String, now: Date) throws(APIError) -> Date? {
        guard let text = try string(name, maximumLength: 40) else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw Self.invalid(name, "\(text) is not an ISO 8601 time (2026-12-04T05:30:00+09:00)")
        }
        guard date <= now.addingTimeInterval(300), date >= now.addingTimeInterval(-30 * 86_400) else {
            throw Self.invalid(name, "\(text) is in the future or more than 30 days ago")
        }
        return date
    }

    /// One of an enumeration's raw values.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws(APIError)
        -> Value? where Value.RawValue == String
    {
        guard let text = try string(name, maximumLength: 100) else { return nil }
        guard let choice = Value(rawValue: text) else {
            throw Self.invalid(
                name,
                "\(text.prefix(40)) is not one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    /// A whole number in `range`.
    mutating func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = value(name) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, let whole = Int(exactly: number),
            range.contains(whole)
        else { throw Self.invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return whole
    }

    /// `true` or `false`.
    mutating func bool(_ name: String) throws(APIError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw Self.invalid(name, "must be true or false") }
        return flag
    }

    /// An object read with its own fields (`needs: {…}`), its names prefixed in errors.
    mutating func object<Result>(_ name: String, _ body: (inout RequestFields) throws(APIError) -> Result)
        throws(APIError) -> Result?
    {
        guard let value = value(name) else { return nil }
        guard case .object(let inner) = value else { throw Self.invalid(name, "must be an object") }
        var fields = RequestFields(pairs: Dictionary(inner, uniquingKeysWith: { first, _ in first }))
        do {
            let result = try body(&fields)
            try fields.finish()
            return result
        } catch {
            throw Self.prefixed(error, with: name)
        }
    }

    /// A position, `[longitude, latitude]` (the SDK's one order, as GeoJSON writes it).
    mutating func position(_ name: String) throws(APIError) -> GeoPoint? {
        guard let value = value(name) else { return nil }
        return try Self.position(value, name: name)
    }

    /// A line, `[[longitude, latitude], …]`.
    mutating func line(_ name: String, maximumPoints: Int) throws(APIError) -> [GeoPoint]? {
        guard let value = value(name) else { return nil }
        guard case .array(let items) = value, (2...maximumPoints).contains(items.count) else {
            throw Self.invalid(name, "must be 2 to \(maximumPoints) positions [[longitude, latitude], …]")
        }
        var points: [GeoPoint] = []
        for (index, item) in items.enumerated() { points.append(try Self.position(item, name: "\(name)[\(index)]")) }
        return points
    }

    private static func position(_ value: JSONValue, name: String) throws(APIError) -> GeoPoint {
        guard case .array(let items) = value, items.count == 2, case .number(let longitude) = items[0],
            case .number(let latitude) = items[1]
        else { throw invalid(name, "must be [longitude, latitude], two numbers") }
        do {
            return try GeoPoint(latitude: latitude, longitude: longitude)
        } catch {
            throw invalid(name, error.description)
        }
    }

    /// Refuses the fields that were never asked for.
    func finish() throws(APIError) {
        let unknown = pairs.keys.filter { !read.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw .badRequest(
                "unknown field\(unknown.count == 1 ? "" : "s") \(unknown.map { $0.prefix(40) }.joined(separator: ", ")); "
                    + "this endpoint takes \(read.sorted().joined(separator: ", "))")
        }
    }

    private init(pairs: [String: JSONValue]) { self.pairs = pairs }

    private static func prefixed(_ error: APIError, with name: String) -> APIError {
        guard case .badRequest(let text) = error else { return error }
        return .badRequest(text.hasPrefix("unknown field") ? "\(name): \(text)" : "\(name).\(text)")
    }
}
