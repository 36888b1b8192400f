/// Why a fire model input was refused: the file (or item) and line, the field, and why.
public struct FireInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or item (a building id, a scenario name).
    public var source: String
    /// The line (1-based), or 0 when it is not about a line.
    public var line: Int
    /// The field, or "".
    public var field: String
    /// Why.
    public var reason: String

    /// Creates an error.
    public init(source: String, line: Int = 0, field: String = "", reason: String) {
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// `source:line: field: reason`.
    public var description: String {
        (line > 0 ? "\(source):\(line): " : "\(source): ") + (field.isEmpty ? "" : "\(field): ") + reason
    }
}
