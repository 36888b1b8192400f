import Foundation

/// The text encodings Japanese open data come in.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, Codable {
    /// Tell UTF-8 from Shift_JIS: a UTF-8 BOM or valid UTF-8 means UTF-8, anything else is
    /// read as Shift_JIS (CP932) and rejected if it is not valid there either.
    case automatic
    /// UTF-8, with or without a byte-order mark.
    case utf8
    /// Shift_JIS as Windows writes it (CP932, with the NEC and IBM extensions such as ①).
    case shiftJIS = "shift_jis"

    /// Decodes file bytes to text.
    /// - Throws: `InputFileError` naming the first line that is not valid in the encoding.
    public func decode(_ data: Data, file: String) throws(InputFileError) -> String {
        switch self {
        case .utf8: return try Self.decodeUTF8(data, file: file)
        case .shiftJIS: return try Self.decodeShiftJIS(data, file: file)
        case .automatic:
            if data.starts(with: Self.utf8BOM) || String(validating: data, as: UTF8.self) != nil {
                return try Self.decodeUTF8(data, file: file)
            }
            if let text = String(data: data, encoding: .shiftJIS) { return text }
            let utf8Line = Self.firstInvalidLine(data) { String(validating: $0, as: UTF8.self) != nil }
            let shiftJISLine = Self.firstInvalidLine(data) { String(data: $0, encoding: .shiftJIS) != nil }
            // The encoding that holds out longer is most likely the intended one: point there.
            throw InputFileError(
                file: file, location: .line(max(utf8Line, shiftJISLine)),
                reason: "the file is neither UTF-8 (first invalid byte on line \(utf8Line)) "
                    + "nor Shift_JIS/CP932 (first invalid byte on line \(shiftJISLine))")
        }
    }

    /// Encodes text for writing; UTF-8 files are written without a BOM.
    /// - Throws: `InputFileError` when a character has no Shift_JIS form.
    public func encode(_ text: String, file: String) throws(InputFileError) -> Data {
        switch self {
        case .utf8, .automatic: return Data(text.utf8)
        case .shiftJIS:
            guard let data = text.data(using: .shiftJIS) else {
                let line =
                    text.split(separator: "\n", omittingEmptySubsequences: false)
                    .firstIndex { $0.data(using: .shiftJIS) == nil }.map { $0 + 1 } ?? 1
                throw InputFileError(
                    file: file, location: .line(line), reason: "a character on this line has no Shift_JIS (CP932) form")
            }
            return data
        }
    }

    static let utf8BOM = Data([0xEF, 0xBB, 0xBF])

    private static func decodeUTF8(_ data: Data, file: String) throws(InputFileError) -> String {
        let body = data.starts(with: utf8BOM) ? data.dropFirst(3) : data[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            let line = firstInvalidLine(Data(body)) { String(validating: $0, as: UTF8.self) != nil }
            throw InputFileError(file: file, location: .line(line), reason: "invalid UTF-8 on this line")
        }
        return text
    }

    private static func decodeShiftJIS(_ data: Data, file: String) throws(InputFileError) -> String {
        // Foundation's .shiftJIS on Linux is CP932 (it round-trips ① and 髙).
        guard let text = String(data: data, encoding: .shiftJIS) else {
            let line = firstInvalidLine(data) { String(data: $0, encoding: .shiftJIS) != nil }
            throw InputFileError(file: file, location: .line(line), reason: "invalid Shift_JIS (CP932) on this line")
        }
        return text
    }

    /// The 1-based number of the first line that fails `isValid`. Splitting at 0x0A is safe in
    /// both encodings: the byte never occurs inside a multi-byte character.
    private static func firstInvalidLine(_ data: Data, isValid: (Data) -> Bool) -> Int {
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !isValid(Data(line)) {
            return index + 1
        }
        return 1
    }
}
