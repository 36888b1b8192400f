/// 全国地方公共団体コード: the six-digit code of a Japanese local government, with its check digit.
///
/// The sixth digit is a check digit over the first five (総務省): with digits d1…d5,
/// S = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5 and the check digit is (11 − S mod 11) mod 10.
/// Suginami ward is `131156`.
public struct LocalGovernmentCode: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The six digits, leading zero kept (`011002` for Sapporo).
    public let rawValue: String

    /// Suginami ward, Tokyo (東京都杉並区).
    public static let suginami = LocalGovernmentCode(validated: "131156")

    /// Parses a six-digit code and checks its check digit.
    ///
    /// Published files sometimes drop the leading zero (`92011` for `092011`); pass
    /// `acceptingDroppedLeadingZero: true` to restore it.
    public init(_ text: String, acceptingDroppedLeadingZero: Bool = false) throws(LocalGovernmentCodeError) {
        var digits = text
        if acceptingDroppedLeadingZero, digits.count == 5 { digits = "0" + digits }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .notSixDigits(text)
        }
        let expected = Self.checkDigit(forFiveDigits: String(digits.prefix(5)))
        guard digits.last == expected else {
            throw .badCheckDigit(text, expected: expected)
        }
        rawValue = digits
    }

    /// Builds the full code from the five-digit 団体コード by appending the check digit.
    public init(fiveDigitCode: String) throws(LocalGovernmentCodeError) {
        guard fiveDigitCode.count == 5, fiveDigitCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .notSixDigits(fiveDigitCode)
        }
        rawValue = fiveDigitCode + String(Self.checkDigit(forFiveDigits: fiveDigitCode))
    }

    private init(validated: String) { rawValue = validated }

    /// Decodes a code from a string and validates it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the code as its six-digit string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The five-digit code without the check digit (`13115`).
    public var fiveDigitCode: String { String(rawValue.prefix(5)) }

    /// The prefecture part (`13` is Tokyo).
    public var prefectureCode: String { String(rawValue.prefix(2)) }

    /// The six digits.
    public var description: String { rawValue }

    /// Orders codes by their digits.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    static func checkDigit(forFiveDigits digits: String) -> Character {
        let weights = [6, 5, 4, 3, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return Character(String((11 - sum % 11) % 10))
    }
}

/// Why a local government code was rejected.
public enum LocalGovernmentCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not six ASCII digits.
    case notSixDigits(String)
    /// The sixth digit does not match the check digit computed from the first five.
    case badCheckDigit(String, expected: Character)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .notSixDigits(let text): "local government code \"\(text)\" is not six digits"
        case .badCheckDigit(let text, let expected):
            "local government code \"\(text)\" has a bad check digit (expected \(expected) as the sixth digit)"
        }
    }
}
