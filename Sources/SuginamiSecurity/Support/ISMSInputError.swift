/// One problem in an input file (inventory, evidence manifest, catalogue or waivers): which
/// file, where in it, and why.
public struct ISMSInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, as given.
    public var file: String
    /// Where in the document, e.g. `flows[12].ports[0]`, or a line and column for syntax errors.
    public var location: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String, location: String, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    /// `file: location: reason`.
    public var description: String { location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)" }
}

/// Every problem found in the inputs of an assessment. When this is thrown no verdict is given.
public struct ISMSValidationFailure: Error, Sendable, CustomStringConvertible {
    /// The problems, in document order.
    public var errors: [ISMSInputError]

    /// Creates a failure from its problems.
    public init(_ errors: [ISMSInputError]) { self.errors = errors }

    /// One problem a line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects problems while validating a document, each with its location.
struct ProblemList {
    let file: String
    private(set) var errors: [ISMSInputError] = []

    init(file: String) { self.file = file }

    mutating func add(_ location: String, _ reason: String) {
        errors.append(ISMSInputError(file: file, location: location, reason: reason))
    }

    /// Throws all collected problems, if any.
    func throwIfAny() throws(ISMSValidationFailure) {
        if !errors.isEmpty { throw ISMSValidationFailure(errors) }
    }
}
