import Foundation

/// 開設状況: a report of whether a relief centre or shelter is open, and what it needs.
///
/// Reports are appended, never edited: the latest by ``reportedAt`` is the current status,
/// and the history shows how the centre filled up.
public struct ShelterStatus: Sendable, Hashable, Codable {
    /// Whether the facility takes people in.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// 開設: open, with room.
        case open
        /// 未開設 / 閉鎖: not open.
        case closed
        /// 満員: open but full.
        case full
    }

    /// The facility reported on (a ``Facility/id``).
    public var facilityID: String
    /// Open, closed or full.
    public var state: State
    /// People present when reported.
    public var occupancy: Int?
    /// What the centre is short of.
    public var needs: Needs
    /// Free text from the reporter.
    public var note: String?
    /// When the report was made (the store keeps it to the second).
    public var reportedAt: Date
    /// Who reported it (a role or an account name, never a resident's personal data).
    public var reportedBy: String

    /// Creates a report.
    public init(
        facilityID: String, state: State, occupancy: Int? = nil, needs: Needs = Needs(), note: String? = nil,
        reportedAt: Date, reportedBy: String
    ) {
        self.facilityID = facilityID
        self.state = state
        self.occupancy = occupancy
        self.needs = needs
        self.note = note
        self.reportedAt = reportedAt
        self.reportedBy = reportedBy
    }

    /// What a centre is short of.
    public struct Needs: Sendable, Hashable, Codable {
        /// 飲料水.
        public var water: Bool
        /// 食料.
        public var food: Bool
        /// 医療: medical staff or supplies.
        public var medical: Bool
        /// 電源: power (generators, fuel, charging).
        public var power: Bool
        /// トイレ: toilets (portable toilets, bags).
        public var toilets: Bool
        /// 通訳: interpreters, for residents who do not speak Japanese.
        public var interpreters: Bool
        /// Anything else, in words.
        public var other: String?

        /// The names of the flags, as the API and the audit log write them.
        public static let flagNames = ["water", "food", "medical", "power", "toilets", "interpreters"]

        /// Creates needs; by default none.
        public init(
            water: Bool = false, food: Bool = false, medical: Bool = false, power: Bool = false,
            toilets: Bool = false, interpreters: Bool = false, other: String? = nil
        ) {
            self.water = water
            self.food = food
            self.medical = medical
            self.power = power
            self.toilets = toilets
            self.interpreters = interpreters
            self.other = other
        }

        /// Decodes needs; the flags added after the first release (power, toilets,
        /// interpreters) read as `false` from reports stored before them.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            water = try container.decode(Bool.self, forKey: .water)
            food = try container.decode(Bool.self, forKey: .food)
            medical = try container.decode(Bool.self, forKey: .medical)
            power = try container.decodeIfPresent(Bool.self, forKey: .power) ?? false
            toilets = try container.decodeIfPresent(Bool.self, forKey: .toilets) ?? false
            interpreters = try container.decodeIfPresent(Bool.self, forKey: .interpreters) ?? false
            other = try container.decodeIfPresent(String.self, forKey: .other)
        }

        /// The flags by name, in ``flagNames`` order.
        public var flags: [(name: String, value: Bool)] {
            [
                ("water", water), ("food", food), ("medical", medical), ("power", power), ("toilets", toilets),
                ("interpreters", interpreters),
            ]
        }
    }

    /// The largest occupancy a report may give (no school or hall holds more).
    public static let largestOccupancy = 100_000

    /// Checks the fields the type cannot: a non-negative occupancy and a named reporter.
    public func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if let occupancy, occupancy < 0 { found.append(.init(field: "occupancy", reason: "is negative")) }
        if let occupancy, occupancy > Self.largestOccupancy {
            found.append(.init(field: "occupancy", reason: "is \(occupancy); at most \(Self.largestOccupancy)"))
        }
        if let note, note.count > 1_000 {
            found.append(.init(field: "note", reason: "has \(note.count) characters; at most 1000"))
        }
        if let other = needs.other, other.count > 500 {
            found.append(.init(field: "needs.other", reason: "has \(other.count) characters; at most 500"))
        }
        if reportedBy.trimmingCharacters(in: .whitespaces).isEmpty {
            found.append(.init(field: "reportedBy", reason: "is empty"))
        }
        return found
    }
}
