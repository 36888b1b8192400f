import Foundation

/// JSON checked by the letter of RFC 8259, for inputs that must be refused rather than guessed
/// at: Foundation's readers accept a trailing comma (`{"a":1,}`) and keep one of two equal keys
/// silently, and a document with either is more likely a mistake than an intent. Written by
/// hand because no package here reads JSON strictly. ``parse(_:)`` builds the values in the
/// same pass, for ``StrictDecoder``; ``check(_:)`` only checks.
public enum StrictJSON {
    /// Where and why a text is not strict JSON.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The byte offset of the problem, from 0.
        public var offset: Int
        /// What is wrong there.
        public var reason: String

        /// The line of the problem, from 1.
        public var line: Int
        /// The column (in bytes) of the problem, from 1.
        public var column: Int

        /// A problem at `offset`, on `line` at `column`.
        package init(offset: Int, reason: String, line: Int, column: Int) {
            self.offset = offset
            self.reason = reason
            self.line = line
            self.column = column
        }

        /// `at line L, column C (byte N): reason`.
        public var description: String {
            "not valid JSON at line \(line), column \(column) (byte \(offset)): \(reason)"
        }
    }

    /// Nesting deeper than this is refused (no request here needs more than a few levels).
    public static let maximumDepth = 32

    /// Checks that `bytes` are one JSON value with nothing after it but white space, no object
    /// with a key twice, no trailing comma, valid UTF-8 and escapes, finite numbers, and nesting
    /// no deeper than ``maximumDepth``.
    /// - Throws: ``SyntaxError`` at the first problem.
    public static func check(_ bytes: some Collection<UInt8>) throws(SyntaxError) {
        _ = try parse(bytes)
    }

    /// Reads `bytes` as one strict JSON value (see ``check(_:)``), for ``StrictDecoder``.
    /// - Throws: ``SyntaxError`` at the first problem.
    public static func parse(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> DocumentValue {
        let array = Array(bytes)
        let result = array.withUnsafeBufferPointer { buffer in
            Result { () throws(SyntaxError) -> DocumentValue in
                var reader = Reader(bytes: buffer)
                reader.skipSpace()
                let value = try reader.value(depth: 0)
                reader.skipSpace()
                guard reader.position == buffer.count else { throw reader.error("unexpected text after the value") }
                return value
            }
        }
        return try result.get()
    }

    /// A single pass over the bytes that builds the values as it checks them.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func error(_ reason: String) -> SyntaxError { error(reason, at: position) }

        func error(_ reason: String, at offset: Int) -> SyntaxError {
            let before = bytes[..<min(offset, bytes.count)]
            let line = before.count { $0 == 0x0A } + 1
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            return SyntaxError(offset: offset, reason: reason, line: line, column: offset - lineStart + 1)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while position < bytes.count {
                let byte = bytes[position]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                position += 1
            }
        }

        mutating func expect(_ word: StaticString) throws(SyntaxError) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count,
                word.withUTF8Buffer({ $0.elementsEqual(bytes[position..<position + count]) })
            else {
                throw error("expected \(word)")
            }
            position += count
        }

        mutating func value(depth: Int) throws(SyntaxError) -> DocumentValue {
            guard depth <= StrictJSON.maximumDepth else { throw error("nested deeper than \(StrictJSON.maximumDepth)") }
            guard let byte = current else { throw error("the text ends where a value should be") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character \(Self.show(byte))")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> DocumentValue {
            position += 1
            var members: [DocumentValue.Member] = []
            // Small objects are searched for a repeated key; a set only once they grow.
            var keys: Set<String>? = nil
            skipSpace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else {
                    throw error(members.isEmpty ? "expected a key in double quotes" : "expected a key after the comma")
                }
                let keyStart = position
                let key = try string()
                let repeated: Bool
                if keys != nil {
                    repeated = !keys!.insert(key).inserted
                } else {
                    repeated = members.contains { $0.key == key }
                    if members.count == 16 { keys = Set(members.map(\.key) + [key]) }
                }
                guard !repeated else { throw error("the key \"\(key.prefix(60))\" appears twice", at: keyStart) }
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw error("expected : after the key") }
                position += 1
                skipSpace()
                members.append(DocumentValue.Member(key: key, value: try value(depth: depth + 1)))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(members)
                default: throw error("expected , or } in the object")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> DocumentValue {
            position += 1
            var elements: [DocumentValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                if current == UInt8(ascii: "]") { throw error("a comma before ] (trailing commas are not JSON)") }
                elements.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(elements)
                default: throw error("expected , or ] in the array")
                }
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            position += 1
            // The common case, a string without escapes, is taken from the bytes as it is.
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    guard let text = String(validating: bytes[start..<position], as: UTF8.self) else {
                        throw error("the string is not valid UTF-8")
                    }
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                position += 1
            }
            var output = Array(bytes[start..<position])
            while true {
                guard let byte = current else { throw error("the text ends inside a string") }
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    guard let text = String(validating: output, as: UTF8.self) else {
                        throw error("the string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escape = current else { throw error("the text ends inside an escape") }
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                                bytes[position + 1] == UInt8(ascii: "u")
                            else { throw error("a high surrogate without its low surrogate") }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("a surrogate pair is broken") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone low surrogate") }
                        output.append(contentsOf: Array(String(unicode).utf8))
                    default: throw error("unknown escape \\\(Self.show(escape))")
                    }
                case 0x00..<0x20: throw error("a control character inside a string (escape it)")
                default:
                    output.append(byte)
                    position += 1
                }
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count,
                let value = UInt32(
                    String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw error("expected four hex digits after \\u") }
            position += 4
            return value
        }

        mutating func number() throws(SyntaxError) -> DocumentValue {
            let start = position
            func digits() -> Int {
                let from = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    position += 1
                }
                return position - from
            }
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else if digits() == 0 {
                throw error("expected a digit")
            }
            var integral = true
            if current == UInt8(ascii: ".") {
                integral = false
                position += 1
                guard digits() > 0 else { throw error("expected a digit after the decimal point") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                integral = false
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw error("expected a digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if integral, let value = Int(text) { return .integer(value) }
            guard let value = Double(text), value.isFinite else {
                throw error("the number is out of range", at: start)
            }
            return .number(value)
        }

        static func show(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "0x%02X", byte)
        }
    }
}
