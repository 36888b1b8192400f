import Foundation

/// 安否確認: one report of a person's state, as relief-centre staff, supporters or headquarters
/// took it. Reports are never changed: a newer report supersedes (``SafetyBoard``), as PFIF's
/// notes do, so the history of what was known when stays.
public struct SafetyCheck: Sendable, Hashable, Codable {
    /// The roster's id of the person.
    public var personID: String
    /// The state reported.
    public var state: SafetyState
    /// When the state was observed (not when it was entered).
    public var observedAt: Date
    /// Who saw or heard it: `救援所職員`, `支援者 阿佐谷 次郎`, `家族（電話）`.
    public var source: String
    /// For ``SafetyState/safeAtCentre``: the centre.
    public var centreID: String?

    /// A report.
    public init(personID: String, state: SafetyState, observedAt: Date, source: String, centreID: String? = nil) {
        self.personID = personID
        self.state = state
        self.observedAt = observedAt
        self.source = source
        self.centreID = centreID
    }
}

/// 安否の状況.
public enum SafetyState: String, Sendable, Hashable, Codable, CaseIterable {
    /// 救援所で無事.
    case safeAtCentre = "safe_at_centre"
    /// 在宅で無事.
    case safeAtHome = "safe_at_home"
    /// 無事（救援所・自宅以外、または場所不明）: e.g. Person Finder's `believed_alive`.
    case safeElsewhere = "safe_elsewhere"
    /// 負傷.
    case injured
    /// 入院.
    case hospitalised
    /// 行方不明.
    case missing
    /// 死亡: only headquarters records it (as Person Finder allows `believed_dead` only to
    /// keys that may), and it is published only under the ward's policy.
    case deceased
    /// 不明: checked, not yet known.
    case unknown

    /// Whether the person's safety is confirmed one way or another (not missing or unknown).
    public var isConfirmed: Bool { self != .missing && self != .unknown }
}

/// Who may record a person's state: headquarters anyone's, relief-centre staff the people of
/// their own centre's area (never a death); the public and the administrator no one's.
public struct SafetyRecordingPolicy: Sendable, Hashable {
    /// A policy.
    public init() {}

    /// Checks that `principal` may record `check` for `person`.
    /// - Throws: ``SafetyCheckError`` saying why not.
    public func check(
        _ check: SafetyCheck, for person: PersonNeedingSupport, by principal: Principal, now: Date
    ) throws(SafetyCheckError) {
        guard check.personID == person.id else { throw .otherPerson(check.personID, person.id) }
        guard !check.source.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingSource }
        // A minute's grace for clocks that differ.
        guard check.observedAt <= now.addingTimeInterval(60) else { throw .observedInTheFuture }
        if check.state == .safeAtCentre, check.centreID == nil { throw .centreMissing }
        switch principal.role {
        case .headquarters:
            return
        case .staff:
            guard let centre = principal.facilityID, person.reliefCentreID == centre else {
                throw .notYourArea(person.id)
            }
            guard check.state != .deceased else { throw .deathByHeadquartersOnly }
        case .public, .admin:
            throw .notPermitted(principal.role)
        }
    }
}

/// What is known now of the people on the roster: each person's latest report by the time it
/// was observed, and who is still unconfirmed, per relief centre.
public struct SafetyBoard: Sendable, Hashable {
    /// Each person's latest report.
    public private(set) var latest: [String: SafetyCheck] = [:]

    /// A board from reports in any order.
    public init(_ checks: some Sequence<SafetyCheck> = []) {
        for check in checks { record(check) }
    }

    /// Takes a report; an older observation than the one known does not replace it.
    public mutating func record(_ check: SafetyCheck) {
        if let known = latest[check.personID], known.observedAt > check.observedAt { return }
        latest[check.personID] = check
    }

    /// The people of `roster` whose safety is not confirmed (no report, or missing, or
    /// unknown), grouped by their relief centre (`""` for none), each group by id.
    public func unconfirmed(in roster: [PersonNeedingSupport]) -> [String: [PersonNeedingSupport]] {
        Dictionary(
            grouping: roster.filter { latest[$0.id].map { !$0.state.isConfirmed } ?? true }.sorted { $0.id < $1.id },
            by: { $0.reliefCentreID ?? "" })
    }
}

/// A person as one reader may see them, with the latest report of their state.
public struct PersonSafety: Sendable, Hashable {
    /// The person, as the reader may see them.
    public var person: PersonView
    /// The latest report (by the time it was observed), or `nil` when there is none.
    public var latest: SafetyCheck?

    /// A person and their latest report.
    public init(person: PersonView, latest: SafetyCheck?) {
        self.person = person
        self.latest = latest
    }

    /// Whether their safety is confirmed one way or another (a report that is not missing or
    /// unknown).
    public var isConfirmed: Bool { latest?.state.isConfirmed ?? false }
}

/// Why a safety report cannot be recorded.
public enum SafetyCheckError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The report names another person.
    case otherPerson(String, String)
    /// Nobody is named as the source.
    case missingSource
    /// Observed after now.
    case observedInTheFuture
    /// Safe at a centre, without the centre.
    case centreMissing
    /// Staff of another centre.
    case notYourArea(String)
    /// A death recorded by other than headquarters.
    case deathByHeadquartersOnly
    /// A role that records no one's state.
    case notPermitted(AccessRole)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .otherPerson(let given, let person): "person_id: \(given) is not \(person)"
        case .missingSource: "source: missing (who saw or heard it)"
        case .observedInTheFuture: "observed_at: after now"
        case .centreMissing: "centre_id: missing for safe_at_centre"
        case .notYourArea(let id): "person \(id) is not of your relief centre's area"
        case .deathByHeadquartersOnly: "state deceased: only headquarters records a death"
        case .notPermitted(let role): "a \(role) token records no one's safety"
        }
    }
}
