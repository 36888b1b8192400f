/// A problem with one place in a file given from outside: which file, which row, feature or
/// entry, which field, and why.
///
/// Every entry point of the SDK that reads a file (open data, scenarios, fragility and site
/// tables, fire parameters, mitigation scenarios, road networks, closures and areas) throws
/// this one shape, so a program needs one `catch` to tell its user what to fix.
public struct InputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the file.
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        /// The file as a whole (its encoding, its header, its top-level structure).
        case file
        /// A CSV record, counted from 1 after the header, with the line it starts on.
        case row(Int, line: Int)
        /// A GeoJSON feature, counted from 1.
        case feature(Int)
        /// A line of a text file (counted from 1), for encoding and syntax errors.
        case line(Int)
        /// An entry of a structured document, e.g. `measures[2].towns[0]` in JSON or YAML.
        case entry(String)

        /// `row 3 (line 4)`, `feature 12`, `line 7`.
        public var description: String {
            switch self {
            case .file: "file"
            case .row(let row, let line): "row \(row) (line \(line))"
            case .feature(let index): "feature \(index)"
            case .line(let line): "line \(line)"
            case .entry(let path): path
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

    /// `shelters.csv: row 3 (line 4), column 緯度: latitude 123.4 is out of range (−90…90)`;
    /// a problem with the whole file reads `shelters.csv: reason`.
    public var description: String {
        var text = file
        if location != .file { text += ": \(location)" }
        if let field { text += location == .file ? ": \(field)" : ", \(fieldWord) \(field)" }
        return text + ": " + reason
    }

    /// What a field is called where it is.
    private var fieldWord: String {
        switch location {
        case .row: "column"
        case .feature: "property"
        case .file, .line, .entry: "field"
        }
    }
}
