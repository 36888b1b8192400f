import Foundation

/// A CSV file read into records of fields (RFC 4180: quoted fields may hold commas, quotes
/// and line breaks; CRLF or LF line ends).
///
/// Written here rather than taken from a package: the CSV packages in reach (CSV.swift,
/// SwiftCSV) report malformed input without its line, and the open-data rules require every
/// error to name the row and line.
public struct CSVTable: Sendable, Hashable {
    /// The header's fields.
    public var header: [String]
    /// The records after the header.
    public var records: [[String]]
    /// The line (1-based) each record starts on.
    public var lines: [Int]

    /// Parses CSV text. Blank lines are ignored.
    /// - Throws: ``OpenDataError`` for an unterminated quoted field or text after a closing
    ///   quote, naming the line; for a file without a header.
    public init(parsing text: String, file: String) throws(OpenDataError) {
        var records: [[String]] = []
        var lines: [Int] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedOnLine = 1
        var afterClosingQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(fields)
                lines.append(recordLine)
            }
            fields = []
        }

        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterClosingQuote = false
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
                afterClosingQuote = false
            case "\n":
                endRecord()
                line += 1
                recordLine = line
                afterClosingQuote = false
            case "\"" where field.isEmpty && !afterClosingQuote:
                inQuotes = true
                quoteOpenedOnLine = line
            default:
                if afterClosingQuote || scalar == "\"" {
                    throw OpenDataError(
                        file: file, location: .line(line),
                        reason: "a quote inside an unquoted field, or text after a closing quote (RFC 4180)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw OpenDataError(
                file: file, location: .line(quoteOpenedOnLine), reason: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else {
            throw OpenDataError(file: file, location: .file, reason: "the file is empty (no header row)")
        }
        self.header = header
        self.records = Array(records.dropFirst())
        self.lines = Array(lines.dropFirst())
    }

    /// Parses CSV text whose lines starting with `#` are comments (where a data file says
    /// where its numbers come from). Line numbers still count the comment lines.
    /// - Throws: ``OpenDataError`` as ``init(parsing:file:)``.
    public init(parsingCommented text: String, file: String) throws(OpenDataError) {
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("#") ? "" : String($0)
        }.joined(separator: "\n")
        try self.init(parsing: body, file: file)
    }

    /// Writes records as CSV with CRLF line ends, quoting only the fields that need it.
    public static func write(header: [String], records: [[String]]) -> String {
        var text = ""
        for record in [header] + records {
            text += record.map(quoted).joined(separator: ",")
            text += "\r\n"
        }
        return text
    }

    static func quoted(_ field: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
