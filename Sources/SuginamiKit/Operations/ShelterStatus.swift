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
        /// Anything else, in words.
        public var other: String?

        /// Creates needs; by default none.
        public init(water: Bool = false, food: Bool = false, medical: Bool = false, other: String? = nil) {
            self.water = water
            self.food = food
            self.medical = medical
            self.other = other
        }
    }

    /// Checks the fields the type cannot: a non-negative occupancy and a named reporter.
    public func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if let occupancy, occupancy < 0 { found.append(.init(field: "occupancy", reason: "is negative")) }
        if reportedBy.trimmingCharacters(in: .whitespaces).isEmpty {
            found.append(.init(field: "reportedBy", reason: "is empty"))
        }
        return found
    }
}
