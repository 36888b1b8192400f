import Foundation

/// The outcome of a disaster-operations write: the stored value, whether it was the stored
/// answer to an earlier request with the same idempotency key, and what the write published.
public struct Recorded<Value: Sendable & Codable>: Sendable {
    /// The value as stored.
    public let value: Value
    /// Whether this is a retry's answer: nothing was written this time.
    public let replayed: Bool
    /// The public events the write added (none for a retry, whose events went out before).
    public let events: [PublicEvent]

    package init(value: Value, replayed: Bool, events: [PublicEvent]) {
        self.value = value
        self.replayed = replayed
        self.events = events
    }
}

/// A change the public may see (a centre's status, a report published or withdrawn), numbered
/// in the order it was committed: what the daemon's live stream sends, and sends again to a
/// client that reconnects (`Last-Event-ID`).
public struct PublicEvent: Sendable, Hashable {
    /// The stream's event id, 1, 2, 3…
    public let sequence: Int64
    /// `status` or `report`.
    public let type: String
    /// The JSON the stream carries.
    public let data: String

    package init(sequence: Int64, type: String, data: String) {
        self.sequence = sequence
        self.type = type
        self.data = data
    }

    /// For a `status` event: the report it carries.
    public var status: ShelterStatus? {
        type == "status" ? try? DocumentCoding.decode(ShelterStatus.self, from: data) : nil
    }

    /// For a `report` event: the id of the report (the `id` of the Feature it carries).
    public var reportID: String? {
        guard type == "report", case .string(let id)? = try? JSONValue.parse(Data(data.utf8), file: "event")["id"]
        else { return nil }
        return id
    }
}

extension DamageReport {
    /// What the public sees of a published report: no author facility or token, no review note.
    public var publicView: DamageReport {
        var view = self
        view.authorFacilityID = nil
        view.authorTokenID = nil
        view.reviewNote = nil
        return view
    }
}

extension Date {
    /// Now, to the whole second, as the store keeps times.
    package static var wholeSecondsNow: Date { Date().wholeSeconds }

    /// This time without its fraction of a second.
    package var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
