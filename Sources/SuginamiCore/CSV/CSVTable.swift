import Foundation

/// A CSV file read into records of fields (RFC 4180: quoted fields may hold commas, quotes
/// and line breaks; CRLF or LF line ends).
///
/// Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) are
/// written behind an apostrophe, and the apostrophe is dropped again when a file is read, so
/// exports are safe to open in a spreadsheet and still round-trip (``write(header:records:)``).
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
    /// - Throws: ``InputFileError`` for an unterminated quoted field or text after a closing
    ///   quote, naming the line; for a file without a header.
    public init(parsing text: String, file: String) throws(InputFileError) {
        var records: [[String]] = []
        var lines: [Int] = []
        var reader = CSVRecordReader(file: file)
        let collect = { (record: [String], line: Int) throws(InputFileError) in
            records.append(record)
            lines.append(line)
        }
        try reader.read(text, emit: collect)
        try reader.finish(emit: collect)
        guard let header = records.first else {
            throw InputFileError(file: file, location: .file, reason: "the file is empty (no header row)")
        }
        self.header = header
        self.records = Array(records.dropFirst())
        self.lines = Array(lines.dropFirst())
    }

    /// Parses CSV text whose lines starting with `#` are comments (where a data file says
    /// where its numbers come from), as the SDK's parameter files are. Line numbers still count
    /// the comment lines. Every record must have as many fields as the header (blank lines
    /// aside): these are the SDK's own formats, read by position.
    /// - Throws: ``InputFileError`` as ``init(parsing:file:)``, and for a record of another width.
    public init(parsingCommented text: String, file: String) throws(InputFileError) {
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("#") ? "" : String($0)
        }.joined(separator: "\n")
        try self.init(parsing: body, file: file)
        for (record, line) in zip(records, lines) where record.count != header.count && record != [""] {
            throw InputFileError(
                file: file, location: .line(line),
                reason: "\(record.count) fields, but the header has \(header.count) (\(header.joined(separator: ",")))")
        }
    }

    /// Writes records as CSV with CRLF line ends, quoting only the fields that need it.
    public static func write(header: [String], records: [[String]]) -> String {
        var text = ""
        for record in [header] + records { text += line(record) }
        return text
    }

    /// One record as a CSV line with its CRLF, as ``write(header:records:)`` writes it: for
    /// files written a record at a time.
    public static func line(_ record: [String]) -> String {
        record.map(quoted).joined(separator: ",") + "\r\n"
    }

    package static func quoted(_ field: String) -> String {
        let field = guarded(field)
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Formula injection

    /// The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
    package static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A cell a spreadsheet would run as a formula, prefixed with `'` (which spreadsheets show as
    /// text and hide); numbers such as `-12.5` stay as they are. A cell that already starts with
    /// apostrophes before such a character gets one more, so that ``unguarded(_:)`` restores
    /// every cell exactly.
    package static func guarded(_ field: String) -> String {
        let scalars = field.unicodeScalars
        guard let first = scalars.first else { return field }
        if formulaStarts.contains(first) { return Double(field) == nil ? "'" + field : field }
        return startsWithApostrophesBeforeFormula(field) ? "'" + field : field
    }

    /// The inverse of ``guarded(_:)``, applied to every field read: one `'` is dropped from a
    /// field of apostrophes followed by a formula character.
    package static func unguarded(_ field: String) -> String {
        startsWithApostrophesBeforeFormula(field) ? String(field.unicodeScalars.dropFirst()) : field
    }

    private static func startsWithApostrophesBeforeFormula(_ field: String) -> Bool {
        let scalars = field.unicodeScalars
        guard scalars.first == "'", let next = scalars.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(next)
    }
}
