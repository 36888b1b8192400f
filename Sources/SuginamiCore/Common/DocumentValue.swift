/// A value of a structured document (JSON, or YAML read into the same shape), as
/// ``StrictJSON/parse(_:)`` builds it and ``StrictDecoder`` decodes it.
///
/// Objects keep their members in document order, so that problems are reported in the order a
/// reader meets them.
public enum DocumentValue: Sendable, Hashable {
    /// `null` (YAML: `null`, `~` or nothing).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent that fits an `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    /// A string (YAML: a quoted or block scalar).
    case string(String)
    /// A YAML plain scalar: its type is what is decoded from it (`443` reads as a number or as
    /// text, `true` as a flag or as text), as YAML's core schema resolves it.
    case scalar(String)
    /// An array.
    case array([DocumentValue])
    /// An object, members in document order, each key once.
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: DocumentValue

        /// A member.
        public init(key: String, value: DocumentValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of a key of an object; nil when absent or not an object.
    public subscript(key: String) -> DocumentValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

extension Array where Element == any CodingKey {
    /// `flows[3].ports[0]`: a coding path as people read it in an error message.
    public var pathText: String {
        var text = ""
        for key in self {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}
