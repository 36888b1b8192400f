import Foundation

/// One element of an XML document, as ``XMLElementReader`` reads it: its name as written
/// (with its prefix, `pfif:person`), attributes, child elements, and the text directly inside.
public struct XMLElement: Sendable, Hashable {
    /// The name as written, prefix included.
    public var name: String
    /// The attributes, unescaped.
    public var attributes: [String: String]
    /// The child elements, in order.
    public var children: [XMLElement]
    /// The character data directly inside the element, unescaped (children's text excluded).
    public var text: String
    /// The line the element starts on (1-based), for messages.
    public var line: Int

    /// The name without its prefix (`person` for `pfif:person`).
    public var localName: Substring { name.split(separator: ":", maxSplits: 1).last ?? Substring(name) }

    /// The text of the first child with this local name, trimmed; `nil` without one.
    public func childText(_ localName: String) -> String? {
        children.first { $0.localName == localName }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

/// A strict reader of small XML documents (exchange files such as PFIF) into a tree of
/// ``XMLElement``.
///
/// Written by hand because Foundation's `XMLParser` on Linux ends the process on some invalid
/// input, and no package in the mirror parses XML: an outside file must get an error, never a
/// crash. It reads the declaration, comments, elements with quoted attributes, text, CDATA
/// sections, the five predefined entities and character references. A document type
/// declaration (and so any entity it could define) is refused, as are mismatched or unclosed
/// elements, nesting deeper than ``maximumDepth``, and invalid UTF-8, each with its line.
public enum XMLElementReader {
    /// How deep elements may nest.
    public static let maximumDepth = 64

    /// The root element of `data`.
    /// - Throws: `InputFileError` naming `file`, the line and what is wrong.
    public static func read(_ data: Data, file: String) throws(InputFileError) -> XMLElement {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputFileError(file: file, location: .file, reason: "not UTF-8 text (XML files must be UTF-8)")
        }
        var parser = Parser(bytes: Array(text.utf8), file: file)
        return try parser.document()
    }

    /// Replaces the predefined entities and character references in `raw`.
    /// - Throws: the reason, for an `&` that starts no entity XML defines.
    public static func unescape(_ raw: some Collection<UInt8>) throws(XMLTextError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        let bytes = Array(raw)
        var result = ""
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&") else {
                var end = index
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
                result += String(decoding: bytes[index..<end], as: UTF8.self)
                index = end
                continue
            }
            guard let semicolon = bytes[index...].firstIndex(of: UInt8(ascii: ";")), semicolon - index <= 10 else {
                throw XMLTextError(offset: index, reason: "an \"&\" that starts no entity (write &amp;)")
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                guard let number, let scalar = Unicode.Scalar(number), number != 0 else {
                    throw XMLTextError(offset: index, reason: "&\(entity); is not an entity XML defines")
                }
                result.unicodeScalars.append(scalar)
            }
            index = semicolon + 1
        }
        return result
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func fail(_ reason: String, at offset: Int? = nil) -> InputFileError {
            let end = min(offset ?? position, bytes.count)
            let line = bytes[..<end].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            return InputFileError(file: file, location: .line(line), reason: reason)
        }

        func starts(with prefix: String) -> Bool {
            let utf8 = Array(prefix.utf8)
            return position + utf8.count <= bytes.count && Array(bytes[position..<(position + utf8.count)]) == utf8
        }

        mutating func skip(past terminator: String, what: String) throws(InputFileError) {
            let start = position
            let utf8 = Array(terminator.utf8)
            while position + utf8.count <= bytes.count {
                if Array(bytes[position..<(position + utf8.count)]) == utf8 {
                    position += utf8.count
                    return
                }
                position += 1
            }
            throw fail("\(what) is not closed", at: start)
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        /// Skips the declaration, comments and space before or after the root.
        mutating func skipProlog() throws(InputFileError) {
            while true {
                skipSpace()
                if starts(with: "<?") {
                    try skip(past: "?>", what: "a processing instruction")
                } else if starts(with: "<!--") {
                    try skip(past: "-->", what: "a comment")
                } else if starts(with: "<!") {
                    throw fail("a document type declaration is not read (it could define entities)")
                } else {
                    return
                }
            }
        }

        mutating func document() throws(InputFileError) -> XMLElement {
            try skipProlog()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "<") else {
                throw fail("the document has no root element")
            }
            let root = try element(depth: 1)
            try skipProlog()
            guard position == bytes.count else { throw fail("text or a second root after the root element") }
            return root
        }

        mutating func name() throws(InputFileError) -> String {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                let isName =
                    (byte >= 0x80) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || [UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ".")].contains(byte)
                guard isName else { break }
                position += 1
            }
            guard position > start else { throw fail("a name is expected") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func unescaped(_ range: Range<Int>) throws(InputFileError) -> String {
            do {
                return try XMLElementReader.unescape(bytes[range])
            } catch {
                throw fail(error.reason, at: range.lowerBound + error.offset)
            }
        }

        mutating func element(depth: Int) throws(InputFileError) -> XMLElement {
            guard depth <= XMLElementReader.maximumDepth else {
                throw fail("elements nest deeper than \(XMLElementReader.maximumDepth)")
            }
            let start = position
            position += 1  // <
            let tag = try name()
            var element = XMLElement(name: tag, attributes: [:], children: [], text: "", line: 0)
            element.line = bytes[..<start].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            while true {
                skipSpace()
                guard position < bytes.count else { throw fail("<\(tag)> is not closed", at: start) }
                if starts(with: "/>") {
                    position += 2
                    return element
                }
                if bytes[position] == UInt8(ascii: ">") {
                    position += 1
                    break
                }
                let key = try name()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                    throw fail("attribute \(key) has no value")
                }
                position += 1
                skipSpace()
                guard position < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "'")].contains(bytes[position]) else {
                    throw fail("attribute \(key): the value must be quoted")
                }
                let quote = bytes[position]
                position += 1
                let valueStart = position
                while position < bytes.count, bytes[position] != quote {
                    guard bytes[position] != UInt8(ascii: "<") else { throw fail("attribute \(key): \"<\" in a value") }
                    position += 1
                }
                guard position < bytes.count else { throw fail("attribute \(key): the value is not closed") }
                guard element.attributes[key] == nil else { throw fail("attribute \(key) is given twice") }
                element.attributes[key] = try unescaped(valueStart..<position)
                position += 1
            }
            // Content: text, CDATA, comments and child elements, up to the closing tag.
            while true {
                let textStart = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                element.text += try unescaped(textStart..<position)
                guard position < bytes.count else { throw fail("<\(tag)> is not closed", at: start) }
                if starts(with: "</") {
                    position += 2
                    let closing = try name()
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
                        throw fail("</\(closing) is not closed with \">\"")
                    }
                    position += 1
                    guard closing == tag else { throw fail("</\(closing)> closes <\(tag)>") }
                    return element
                } else if starts(with: "<!--") {
                    try skip(past: "-->", what: "a comment")
                } else if starts(with: "<![CDATA[") {
                    position += 9
                    let cdataStart = position
                    try skip(past: "]]>", what: "a CDATA section")
                    element.text += String(decoding: bytes[cdataStart..<(position - 3)], as: UTF8.self)
                } else if starts(with: "<!") || starts(with: "<?") {
                    throw fail("a declaration or processing instruction inside <\(tag)>")
                } else {
                    element.children.append(try self.element(depth: depth + 1))
                }
            }
        }
    }
}

/// An `&` in XML text that starts no entity XML defines.
public struct XMLTextError: Error, Sendable, Hashable {
    /// The byte offset of the `&` in the text given.
    public var offset: Int
    /// Why.
    public var reason: String
}
