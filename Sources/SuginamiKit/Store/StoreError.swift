import Foundation

/// A store operation refused because of what was asked of it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record failed validation; nothing of the batch was written.
    case invalidRecord(id: String, problems: [String])
    /// The same id appears twice in one batch.
    case duplicateID(String)
    /// A count or limit that must be positive was not.
    case invalidArgument(String)
    /// The file is not a SuginamiKit store, and is left untouched.
    case notAStore(path: String, reason: String)
    /// Another process held the database's write lock for longer than the store waits.
    case busy(path: String)
    /// A new store was asked for where a file already exists.
    case alreadyExists(path: String)
    /// An import that may not replace stored records met these ids.
    case alreadyStored([String])
    /// A `--database` value that names no store this SDK opens.
    case invalidLocation(String)
    /// The database server cannot be reached or is restarting: nothing was changed; the same
    /// request may be sent again after a short wait.
    case unavailable(location: String, reason: String)
    /// The database server has no room left to write: nothing was changed.
    case storageFull(location: String, reason: String)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .invalidRecord(let id, let problems): "record \(id): \(problems.joined(separator: "; "))"
        case .duplicateID(let id): "id \(id) appears more than once in the batch"
        case .invalidArgument(let text): text
        case .notAStore(let path, let reason): "\(path) is not a SuginamiKit database: \(reason)"
        case .busy(let path):
            "\(path) is being written by another process (waited \(Int(SuginamiStore.busyTimeout)) s); "
                + "nothing was changed, try again when it has finished"
        case .alreadyExists(let path): "\(path) already exists"
        case .alreadyStored(let ids):
            "\(ids.count) record(s) are already stored (\(ids.prefix(5).joined(separator: ", "))"
                + (ids.count > 5 ? ", …" : "") + "); nothing was imported"
        case .invalidLocation(let text): text
        case .unavailable(let location, let reason):
            "the database \(location) cannot be reached (\(reason)); nothing was changed, try again shortly"
        case .storageFull(let location, let reason):
            "the database \(location) has no room left to write (\(reason)); nothing was changed"
        }
    }
}
