/// Why a disaster-operations request was refused. Each case says what to fix, in a sentence.
public enum OperationsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field of the request is missing or wrong: the field's name and why.
    case invalid(field: String, reason: String)
    /// The caller's token may not do this (HTTP 403).
    case forbidden(String)
    /// No such report, facility or token (HTTP 404).
    case notFound(String)
    /// The thing is not in a state the action applies to (HTTP 409).
    case conflict(String)
    /// An idempotency key reused with another request (HTTP 422).
    case keyReused(String)

    /// A sentence.
    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .forbidden(let text), .notFound(let text), .conflict(let text): text
        case .keyReused(let key):
            "the Idempotency-Key \(key.prefix(100)) was already used for a different request; "
                + "use a new key for a new request"
        }
    }
}
