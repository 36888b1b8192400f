import Foundation

/// A JSON value, as read from or written to GeoJSON.
///
/// Objects keep their key order, so exports list `type`, `id`, `geometry`, `properties` in
/// the order people expect; equality ignores key order, as JSON's does.
public enum JSONValue: Sendable, Codable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keys in order.
    case object([(key: String, value: JSONValue)])

    /// Decodes any JSON value.
    ///
    /// Everything goes through the single-value container, most frequent type first: asking for
    /// a keyed or unkeyed container first would throw (and build an error) for every scalar.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let text = try? single.decode(String.self) {
            self = .string(text)
        } else if let number = try? single.decode(Double.self) {
            self = .number(number)
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let array = try? single.decode([JSONValue].self) {
            self = .array(array)
        } else {
            // Sorted, so that re-serialising a parsed value gives the same bytes in every process.
            self = .object(
                try single.decode([String: JSONValue].self).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// Encodes the value (object keys in their order).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let values):
            var array = encoder.unkeyedContainer()
            for value in values { try array.encode(value) }
        case .object(let pairs):
            var object = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in pairs { try object.encode(value, forKey: AnyKey(stringValue: key)) }
        }
    }

    /// Parses JSON text.
    /// - Throws: `InputFileError` when the text is not JSON.
    public static func parse(_ data: Data, file: String) throws(InputFileError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw InputFileError(file: file, location: .file, reason: "not valid JSON (\(Self.describe(error)))")
        }
    }

    /// Parses JSON text by the letter of RFC 8259 (``StrictJSON``): a trailing comma, a key
    /// twice in one object and anything else Foundation's reader forgives are refused.
    /// - Throws: ``StrictJSON/SyntaxError`` with the line and column.
    public static func parseStrictly(_ bytes: [UInt8]) throws(StrictJSON.SyntaxError) -> JSONValue {
        try StrictJSON.check(bytes)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            // Foundation reads every text the check passes; this is the checker's gap, said as such.
            throw StrictJSON.SyntaxError(
                offset: 0, reason: "Foundation could not read it: \(error)", line: 1, column: 1)
        }
    }

    /// The value for a key of an object; `nil` when absent or not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// JSON text: compact, or indented by two spaces. Non-ASCII characters are written as they are.
    public func serialized(pretty: Bool = false) -> String {
        var output = ""
        write(into: &output, pretty: pretty, indent: 0)
        return output
    }

    private func write(into output: inout String, pretty: Bool, indent: Int) {
        let newline = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closingPad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += DecimalText.format(value)
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let values):
            guard !values.isEmpty else {
                output += "[]"
                return
            }
            output += "[" + newline
            for (index, value) in values.enumerated() {
                output += pad
                value.write(into: &output, pretty: pretty, indent: indent + 1)
                output += (index < values.count - 1 ? "," : "") + newline
            }
            output += closingPad + "]"
        case .object(let pairs):
            guard !pairs.isEmpty else {
                output += "{}"
                return
            }
            output += "{" + newline
            for (index, pair) in pairs.enumerated() {
                output += pad
                Self.writeString(pair.key, into: &output)
                output += pretty ? ": " : ":"
                pair.value.write(into: &output, pretty: pretty, indent: indent + 1)
                output += (index < pairs.count - 1 ? "," : "") + newline
            }
            output += closingPad + "}"
        }
    }

    private static func writeString(_ text: String, into output: inout String) {
        // Most strings need no escape: copied whole, not scalar by scalar.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += "\""
            output += text
            output += "\""
            return
        }
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20: output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// Objects compare as dictionaries: key order does not matter.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && a.allSatisfy { pair in b.contains { $0.key == pair.key && $0.value == pair.value } }
        default: false
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing key \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return context.debugDescription
        default: return "\(error)"
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
