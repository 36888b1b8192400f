/// A record with an id and field checks, validated the same way by imports and by the store.
package protocol ValidatableRecord: Sendable {
    var id: String { get }
    func validationProblems() -> [FieldProblem]
}

extension Facility: ValidatableRecord {
    package func validationProblems() -> [FieldProblem] { problems() }
}

extension Building: ValidatableRecord {
    package func validationProblems() -> [FieldProblem] { problems() }
}

extension Collection where Element: ValidatableRecord {
    /// Checks a batch before the store writes it: every record valid, no id twice.
    package func validateForStore() throws(StoreError) {
        var seen = Set<String>()
        for record in self {
            let problems = record.validationProblems()
            guard problems.isEmpty else {
                throw .invalidRecord(id: record.id, problems: problems.map(\.description))
            }
            guard seen.insert(record.id).inserted else { throw .duplicateID(record.id) }
        }
    }
}

/// Checks a CSV header against a layout: no column twice, none unknown (its data would be
/// lost), none of the required ones missing.
func checkCSVHeader(_ header: [String], columns: [String], required: Set<String>, file: String, layoutName: String)
    throws(InputFileError)
{
    var seen = Set<String>()
    for column in header {
        guard seen.insert(column).inserted else {
            throw InputFileError(
                file: file, location: .row(0, line: 1), field: column, reason: "appears twice in the header")
        }
        guard columns.contains(column) else {
            throw InputFileError(
                file: file, location: .row(0, line: 1), field: column,
                reason: "unknown column for \(layoutName) (its data would be lost)")
        }
    }
    for column in columns where required.contains(column) && !seen.contains(column) {
        throw InputFileError(
            file: file, location: .row(0, line: 1), field: column, reason: "required column is missing")
    }
}

/// Gathers the records of one import, rejecting invalid records and duplicate ids, and either
/// fails at the first bad row or, when asked, skips it and lists it.
package struct ImportCollector<Record: ValidatableRecord> {
    let file: String
    let options: ImportOptions
    /// Whether the collector itself refuses a second use of an id. A streaming import turns it
    /// off and checks ids in the store instead, since a map of every id would not fit in its
    /// memory budget.
    let tracksDuplicateIDs: Bool
    private var records: [Record] = []
    private var locations: [InputFileError.Location] = []
    private var skipped: [InputFileError] = []
    /// Skipped rows beyond ``listedSkipLimit``: counted, not listed.
    private(set) var skippedBeyondList = 0
    private var firstLocation: [String: InputFileError.Location] = [:]

    /// How many skipped rows are listed one by one; the rest are counted.
    static var listedSkipLimit: Int { 10_000 }

    package init(file: String, options: ImportOptions, tracksDuplicateIDs: Bool = true) {
        self.file = file
        self.options = options
        self.tracksDuplicateIDs = tracksDuplicateIDs
    }

    /// Builds one record; a field error becomes an error at `location`, thrown or skipped.
    mutating func take(
        at location: InputFileError.Location, _ build: () throws(FieldError) -> Record
    ) throws(InputFileError) {
        switch Result(catching: build) {
        case .success(let record): try accept(record, at: location)
        case .failure(let error):
            try fail(InputFileError(file: file, location: location, field: error.field, reason: error.reason))
        }
    }

    /// Builds a record from every CSV row, after checking the row has one field per column.
    mutating func collectRows(
        of table: CSVTable, header: [String], _ build: (RecordFields, _ row: Int) throws(FieldError) -> Record
    ) throws(InputFileError) {
        for (offset, record) in table.records.enumerated() {
            try takeRow(record, row: offset + 1, line: table.lines[offset], header: header, build)
        }
    }

    /// Builds a record from one CSV row, after checking it has one field per column.
    mutating func takeRow(
        _ record: [String], row: Int, line: Int, header: [String],
        _ build: (RecordFields, _ row: Int) throws(FieldError) -> Record
    ) throws(InputFileError) {
        let location = InputFileError.Location.row(row, line: line)
        guard record.count == header.count else {
            try fail(
                InputFileError(
                    file: file, location: location,
                    reason: "wrong column count: \(record.count) fields where the header has \(header.count)"))
            return
        }
        let fields = RecordFields(header: header, record: record)
        try take(at: location) { () throws(FieldError) in try build(fields, row) }
    }

    mutating func accept(_ record: Record, at location: InputFileError.Location) throws(InputFileError) {
        if let problem = record.validationProblems().first {
            try fail(InputFileError(file: file, location: location, field: problem.field, reason: problem.reason))
            return
        }
        if tracksDuplicateIDs {
            if let earlier = firstLocation[record.id] {
                try fail(
                    InputFileError(
                        file: file, location: location, field: "id",
                        reason: "duplicate id \(record.id) (first used at \(earlier))"))
                return
            }
            firstLocation[record.id] = location
        }
        records.append(record)
        locations.append(location)
    }

    package mutating func fail(_ error: InputFileError) throws(InputFileError) {
        guard options.skipBadRows else { throw error }
        if skipped.count < Self.listedSkipLimit {
            skipped.append(error)
        } else {
            skippedBeyondList += 1
        }
    }

    /// How many records wait to be taken by ``drain()``.
    package var pendingCount: Int { records.count }

    /// The records gathered since the last call, with where each came from; the collector
    /// keeps only its list of skipped rows.
    package mutating func drain() -> [(record: Record, location: InputFileError.Location)] {
        defer {
            records.removeAll(keepingCapacity: true)
            locations.removeAll(keepingCapacity: true)
        }
        return Array(zip(records, locations))
    }

    package var result: ImportResult<Record> {
        ImportResult(records: records, skipped: skipped, skippedBeyondList: skippedBeyondList)
    }
}
