import Crypto
import Foundation

/// One entry of the audit log (監査ログ): who changed what, when, chained to the entry before
/// it by SHA-256, so that editing, inserting or deleting an entry anywhere in the log is found
/// by ``AuditChain/verify(_:expectedHead:)``.
///
/// The entry's fields are written once as ``payload`` (compact JSON, keys in a fixed order), and
/// ``hash`` is `SHA-256(previousHash ‖ payload)` in hex. Tokens, photos and residents' contact
/// details never go in: a token appears by its public id, a document by its digest.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// 1, 2, 3… with no gaps.
    public var sequence: Int64
    /// The fields, as hashed: `{"sequence":…,"time":…,"action":…,"subject":…,"actor":…,"detail":…}`.
    public var payload: String
    /// The previous entry's ``hash`` (64 zeros for the first).
    public var previousHash: String
    /// `SHA-256(previousHash ‖ payload)`, hex.
    public var hash: String

    /// An entry as stored.
    package init(sequence: Int64, payload: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The `previousHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The next entry after one whose hash is `previousHash`.
    package static func make(
        sequence: Int64, time: Date, action: String, subject: String, actor: Actor, detail: String,
        previousHash: String
    ) -> AuditEntry {
        var principal: [(key: String, value: JSONValue)] = []
        if let who = actor.principal {
            principal = [
                ("token", .string(who.tokenID)), ("role", .string(who.role.rawValue)),
                ("facility", who.facilityID.map(JSONValue.string) ?? .null),
            ]
        }
        let payload = JSONValue.object([
            ("sequence", .number(Double(sequence))),
            ("time", .string(time.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))),
            ("action", .string(Self.oneLine(action))),
            ("subject", .string(Self.oneLine(subject))),
            ("actor", .object(principal + [("source", .string(Self.oneLine(actor.source)))])),
            ("detail", .string(Self.oneLine(detail))),
        ]).serialized()
        return AuditEntry(
            sequence: sequence, payload: payload, previousHash: previousHash,
            hash: hash(previous: previousHash, payload: payload))
    }

    /// `SHA-256(previous ‖ payload)` in hex.
    static func hash(previous: String, payload: String) -> String {
        SHA256.hash(data: Data((previous + payload).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Text with line breaks and other control characters made visible, so that no value can
    /// forge a line in a log that is read line by line.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.prefix(2_000).unicodeScalars.map { $0.properties.generalCategory == .control ? "␤" : $0 }))
    }
}

/// The last entry of an audit log as someone outside the machine kept it: its sequence number
/// and hash (`refd audit head` prints it; `sequence:hash`).
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    /// The entry's sequence number.
    public var sequence: Int64
    /// Its hash.
    public var hash: String

    /// A head.
    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Reads `sequence:hash`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence >= 0, parts[1].count == 64,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(sequence: sequence, hash: parts[1].lowercased())
    }

    /// `sequence:hash`.
    public var description: String { "\(sequence):\(hash)" }
}

/// Checks an audit log.
public enum AuditChain {
    /// What a check found.
    public struct Verification: Sendable, Hashable {
        /// Entries read.
        public var entries: Int
        /// The last entry's head (nil for an empty log).
        public var head: AuditHead?
        /// The first problem; nil when the log is intact.
        public var problem: Problem?

        /// Whether the log is intact.
        public var isIntact: Bool { problem == nil }
    }

    /// Where a log is broken, and how.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The entry's sequence number.
        public var sequence: Int64
        /// What is wrong there.
        public var reason: String

        /// `entry N: reason`.
        public var description: String { "entry \(sequence): \(reason)" }
    }

    /// Recomputes every hash in order and checks the links, the numbering and each payload's
    /// own sequence number; with `expectedHead` (kept elsewhere), also that the log still holds
    /// that entry unchanged, which finds a log cut short or rewritten from some point on.
    public static func verify(_ entries: [AuditEntry], expectedHead: AuditHead? = nil) -> Verification {
        var previous = AuditEntry.genesis
        var expected: Int64 = 1
        for entry in entries {
            func broken(_ reason: String) -> Verification {
                Verification(
                    entries: entries.count, head: entries.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) },
                    problem: Problem(sequence: entry.sequence, reason: reason))
            }
            guard entry.sequence == expected else {
                return broken("entry \(expected) is missing (the next entry is \(entry.sequence))")
            }
            guard entry.previousHash == previous else {
                return broken("it does not link to the entry before it (an entry was changed, removed or inserted)")
            }
            guard AuditEntry.hash(previous: previous, payload: entry.payload) == entry.hash else {
                return broken("its content does not match its hash (the entry was edited)")
            }
            guard entry.payload.hasPrefix("{\"sequence\":\(entry.sequence),") else {
                return broken("its content names another sequence number")
            }
            previous = entry.hash
            expected += 1
        }
        let head = entries.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) }
        if let expectedHead {
            guard let kept = entries.first(where: { $0.sequence == expectedHead.sequence }) else {
                return Verification(
                    entries: entries.count, head: head,
                    problem: Problem(
                        sequence: expectedHead.sequence,
                        reason:
                            "the log ends at \(head?.sequence ?? 0) but entry \(expectedHead.sequence) was recorded: "
                            + "the log was cut short"
                    ))
            }
            guard kept.hash == expectedHead.hash else {
                return Verification(
                    entries: entries.count, head: head,
                    problem: Problem(
                        sequence: expectedHead.sequence,
                        reason: "its hash is not the one recorded: the log was rewritten"))
            }
        }
        return Verification(entries: entries.count, head: head, problem: nil)
    }
}

/// A client's key for a write it may retry (the `Idempotency-Key` header): the store keeps the
/// answer of the first request with that key, for that token, and gives it again for a retry.
public struct IdempotencyClaim: Sendable, Hashable {
    /// The key as the client sent it (quotes of the structured-field form removed).
    public let key: String
    /// A digest of the request (method, path, body), to tell a retry from a different request.
    public let fingerprint: String

    /// How long keys are kept: 72 hours covers a phone that was offline for a weekend night.
    public static let retention: TimeInterval = 72 * 3600

    /// A claim, checking the key: 1–128 visible ASCII characters.
    /// - Throws: ``OperationsError/invalid(field:reason:)``.
    public init(key: String, request: some Sequence<UInt8>) throws(OperationsError) {
        var text = key
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        guard (1...128).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != 0x22 })
        else {
            throw .invalid(
                field: "Idempotency-Key", reason: "must be 1 to 128 visible ASCII characters (a UUID, say)")
        }
        self.key = text
        fingerprint = SHA256.hash(data: Data(request)).map { String(format: "%02x", $0) }.joined()
    }
}
