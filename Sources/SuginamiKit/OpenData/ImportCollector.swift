/// A record an import can validate: an id unique within the file, and field checks.
protocol ImportableRecord: Sendable {
    var id: String { get }
    func validationProblems() -> [FieldProblem]
}

extension Facility: ImportableRecord {
    func validationProblems() -> [FieldProblem] { problems() }
}

extension Building: ImportableRecord {
    func validationProblems() -> [FieldProblem] { problems() }
}

/// Gathers the records of one import, rejecting invalid records and duplicate ids, and either
/// fails at the first bad row or, when asked, skips it and lists it.
struct ImportCollector<Record: ImportableRecord> {
    let file: String
    let options: ImportOptions
    private var records: [Record] = []
    private var skipped: [OpenDataError] = []
    private var firstLocation: [String: OpenDataError.Location] = [:]

    init(file: String, options: ImportOptions) {
        self.file = file
        self.options = options
    }

    /// Builds one record; a field error becomes an error at `location`, thrown or skipped.
    mutating func take(
        at location: OpenDataError.Location, _ build: () throws(FieldError) -> Record
    ) throws(OpenDataError) {
        switch Result(catching: build) {
        case .success(let record): try accept(record, at: location)
        case .failure(let error):
            try fail(OpenDataError(file: file, location: location, field: error.field, reason: error.reason))
        }
    }

    mutating func accept(_ record: Record, at location: OpenDataError.Location) throws(OpenDataError) {
        if let problem = record.validationProblems().first {
            try fail(OpenDataError(file: file, location: location, field: problem.field, reason: problem.reason))
            return
        }
        if let earlier = firstLocation[record.id] {
            try fail(
                OpenDataError(
                    file: file, location: location, field: "id",
                    reason: "duplicate id \(record.id) (first used at \(earlier))"))
            return
        }
        firstLocation[record.id] = location
        records.append(record)
    }

    mutating func fail(_ error: OpenDataError) throws(OpenDataError) {
        guard options.skipBadRows else { throw error }
        skipped.append(error)
    }

    var result: ImportResult<Record> { ImportResult(records: records, skipped: skipped) }
}
