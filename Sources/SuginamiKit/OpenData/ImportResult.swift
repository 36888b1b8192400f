import SuginamiCore

/// The result of an import: the records, and the rows that were skipped when the caller
/// asked to skip bad rows instead of failing.
public struct ImportResult<Record: Sendable>: Sendable {
    /// The records read, in file order.
    public var records: [Record]
    /// The rows left out, each with its reason (always empty unless skipping was asked for);
    /// at most 10,000 are listed.
    public var skipped: [InputFileError]
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
