import Foundation

/// 被害報告: damage seen on the ground, reported by residents, relief-centre staff or
/// headquarters, and published as open data once headquarters has verified it.
///
/// A report moves `submitted → verified → published`, or ends `rejected` (also when merged
/// into another as its duplicate) or `withdrawn` (taken back after publication): see
/// ``ReportAction``. Only published reports are public, and only a published
/// ``Kind/roadBlocked`` report closes roads for routing.
public struct DamageReport: Sendable, Hashable, Codable, Identifiable {
    /// What was seen.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 道路閉塞: a road that cannot be passed.
        case roadBlocked = "road_blocked"
        /// 建物倒壊.
        case collapse
        /// 火災.
        case fire
        /// 浸水.
        case flooding
        /// 負傷者.
        case injury
        /// Anything else.
        case other
    }

    /// Where a report stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// 受付: received, not yet checked (a resident's report starts here).
        case submitted
        /// 確認済: checked and true, not yet public (a staff report starts here).
        case verified
        /// 公開: public, on the map and in the open data.
        case published
        /// 却下: not true, or a duplicate of another (``DamageReport/duplicateOf``).
        case rejected
        /// 取下げ: was published, is no longer (the road is clear again, say).
        case withdrawn
    }

    /// A unique id (`rep_` and 16 hex digits, given by the store).
    public var id: String
    /// What was seen.
    public var kind: Kind
    /// Where (for a road, a point on it).
    public var position: GeoPoint
    /// For a blocked road drawn as a line: its points, in order (two or more).
    public var road: [GeoPoint]?
    /// When it was seen (the store keeps it to the second).
    public var observedAt: Date
    /// When the store received it.
    public var receivedAt: Date
    /// The reporter's words (at most ``maximumTextLength`` characters).
    public var text: String
    /// The role of whoever reported it.
    public var authorRole: AccessRole
    /// For a staff report: the facility its author works at.
    public var authorFacilityID: String?
    /// Where it stands.
    public var state: State
    /// For a report merged into another: the other's id.
    public var duplicateOf: String?
    /// Headquarters' note on its last decision.
    public var reviewNote: String?
    /// When it last changed state.
    public var updatedAt: Date
    /// The public id of the token that sent it (never public): its author may add the photo.
    public var authorTokenID: String?
    /// Its photo, if one was added: the media type of the public copy.
    public var photoType: String?

    /// The longest text a report takes.
    public static let maximumTextLength = 1_000

    /// A report as received: its state is set by its author's role (``initialState(for:)``).
    public init(
        id: String, kind: Kind, position: GeoPoint, road: [GeoPoint]? = nil, observedAt: Date, receivedAt: Date,
        text: String, authorRole: AccessRole, authorFacilityID: String? = nil, state: State
    ) {
        self.id = id
        self.kind = kind
        self.position = position
        self.road = road
        self.observedAt = observedAt
        self.receivedAt = receivedAt
        self.text = text
        self.authorRole = authorRole
        self.authorFacilityID = authorFacilityID
        self.state = state
        self.updatedAt = receivedAt
    }

    /// Where a new report starts: a resident's is `submitted`; staff and headquarters are
    /// trusted witnesses, so theirs start `verified` (still unpublished until headquarters
    /// publishes it).
    public static func initialState(for role: AccessRole) -> State {
        role == .public ? .submitted : .verified
    }

    /// Checks what the types cannot: the text's length, a road of two or more points.
    public func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if text.count > Self.maximumTextLength {
            found.append(
                .init(field: "text", reason: "has \(text.count) characters; at most \(Self.maximumTextLength)"))
        }
        if let road, road.count < 2 { found.append(.init(field: "road", reason: "needs two or more points")) }
        if let road, road.count > 200 {
            found.append(.init(field: "road", reason: "has \(road.count) points; at most 200"))
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            found.append(.init(field: "text", reason: "holds control characters"))
        }
        if road != nil, kind != .roadBlocked {
            found.append(.init(field: "road", reason: "is for road_blocked reports"))
        }
        return found
    }
}

/// A decision on a report, by headquarters.
public enum ReportAction: Sendable, Hashable {
    /// `submitted → verified`: checked and true.
    case verify
    /// `verified → published`: public, and a blocked road closes for routing.
    case publish
    /// `submitted | verified → rejected`: not true.
    case reject
    /// `submitted | verified → rejected`, as a duplicate of the report with this id.
    case merge(into: String)
    /// `published → withdrawn`: no longer so (the road is clear again).
    case withdraw

    /// The name in the API and the audit log.
    public var name: String {
        switch self {
        case .verify: "verify"
        case .publish: "publish"
        case .reject: "reject"
        case .merge: "merge"
        case .withdraw: "withdraw"
        }
    }

    /// The state a report in `state` moves to.
    /// - Throws: ``OperationsError/conflict(_:)`` when the action does not apply to that state.
    public func nextState(from state: DamageReport.State) throws(OperationsError) -> DamageReport.State {
        let allowed: [DamageReport.State]
        let next: DamageReport.State
        switch self {
        case .verify: (allowed, next) = ([.submitted], .verified)
        case .publish: (allowed, next) = ([.verified], .published)
        case .reject, .merge: (allowed, next) = ([.submitted, .verified], .rejected)
        case .withdraw: (allowed, next) = ([.published], .withdrawn)
        }
        guard allowed.contains(state) else {
            throw .conflict(
                "a \(state.rawValue) report cannot be \(name == "merge" ? "merged" : name + "ed"); "
                    + "\(name) applies to \(allowed.map(\.rawValue).joined(separator: " or ")) reports")
        }
        return next
    }
}
