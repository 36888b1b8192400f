/// A problem with one place in an open-data file: which file, which row or feature, which
/// column, and why.
public struct OpenDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the file.
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        /// The file as a whole (its encoding, its header, its top-level structure).
        case file
        /// A CSV record, counted from 1 after the header, with the line it starts on.
        case row(Int, line: Int)
        /// A GeoJSON feature, counted from 1.
        case feature(Int)
        /// A byte offset and line, for encoding errors.
        case line(Int)

        /// `row 3 (line 4)`, `feature 12`, `line 7`.
        public var description: String {
            switch self {
            case .file: "file"
            case .row(let row, let line): "row \(row) (line \(line))"
            case .feature(let index): "feature \(index)"
            case .line(let line): "line \(line)"
            }
        }
    }

    /// The file's name as the caller gave it.
    public var file: String
    /// Where in the file.
    public var location: Location
    /// The column or property concerned, if any.
    public var field: String?
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String, location: Location, field: String? = nil, reason: String) {
        self.file = file
        self.location = location
        self.field = field
        self.reason = reason
    }

    /// `shelters.csv: row 3 (line 4), column 緯度: latitude 123.4 is out of range (−90…90)`.
    public var description: String {
        var text = "\(file): \(location)"
        if let field { text += ", column \(field)" }
        return text + ": " + reason
    }
}

/// The result of an import: the records, and the rows that were skipped when the caller
/// asked to skip bad rows instead of failing.
public struct ImportResult<Record: Sendable>: Sendable {
    /// The records read, in file order.
    public var records: [Record]
    /// The rows left out, each with its reason (always empty unless skipping was asked for);
    /// at most 10,000 are listed.
    public var skipped: [OpenDataError]
    /// Rows left out beyond those listed in ``skipped``.
    public var skippedBeyondList = 0
}

/// How to read an open-data file.
public struct ImportOptions: Sendable {
    /// The text encoding; ``TextEncoding/automatic`` tells UTF-8 (with or without BOM) from
    /// Shift_JIS (CP932).
    public var encoding: TextEncoding
    /// `false` (the default): any bad row fails the whole import and nothing is returned.
    /// `true`: bad rows are left out and listed in ``ImportResult/skipped``.
    public var skipBadRows: Bool
    /// The 出典 and licence to attach to the records; each layout has a default.
    public var source: DataSource?

    /// Creates options.
    public init(encoding: TextEncoding = .automatic, skipBadRows: Bool = false, source: DataSource? = nil) {
        self.encoding = encoding
        self.skipBadRows = skipBadRows
        self.source = source
    }
}
