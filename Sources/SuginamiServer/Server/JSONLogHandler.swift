import Foundation
import Logging
import SuginamiGIS

/// Log records as JSON objects, one a line on standard error, for a log collector (journald,
/// Fluent Bit, Loki) to read without parsing text:
/// `{"time":"2026-12-04T01:00:00Z","level":"info","label":"refd","message":"serving","url":"http://127.0.0.1:8080/"}`.
///
/// Written here because swift-log ships only a text handler, which besides re-renders all of
/// its metadata whenever one key changes, and Hummingbird sets a request id on every request's
/// logger: that alone was 4 % of the daemon's CPU time per request.
public struct JSONLogHandler: LogHandler {
    /// Metadata every record of this logger carries.
    public var metadata: Logger.Metadata = [:]
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    /// The logger's label.
    public let label: String
    private static let lock = NSLock()

    /// A handler for the logger labelled `label` (the form `LoggingSystem.bootstrap` takes).
    public init(label: String) { self.label = label }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one record: time, level, label, message, the error if any, then the metadata by key.
    public func log(event: LogEvent) {
        var pairs: [(key: String, value: JSONValue)] = [
            ("time", .string(Date().formatted(.iso8601))), ("level", .string(event.level.rawValue)),
            ("label", .string(label)), ("message", .string(event.message.description)),
        ]
        if let error = event.error { pairs.append(("error", .string(String(describing: error)))) }
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        for key in merged.keys.sorted() where !["time", "level", "label", "message", "error"].contains(key) {
            pairs.append((key, Self.json(merged[key]!)))
        }
        let text = JSONValue.object(pairs).serialized() + "\n"
        // One write per record, so that the lines of concurrent requests never interleave.
        Self.lock.withLock { FileHandle.standardError.write(Data(text.utf8)) }
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let item): .string(item.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let pairs): .object(pairs.keys.sorted().map { ($0, json(pairs[$0]!)) })
        }
    }
}
