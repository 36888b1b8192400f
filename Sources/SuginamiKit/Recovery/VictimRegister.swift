import Foundation

/// 被災者台帳: what the ward knows of one household after the disaster, in one record: the
/// surveys of its dwelling, its り災証明書 with every version, the re-surveys it asked for, the
/// safety of its member on the roster of people who need help, and the support it applied for
/// or was granted (災害対策基本法 第90条の3).
public struct VictimRegisterEntry: Sendable, Hashable {
    /// The household.
    public var household: Household
    /// The surveys of its dwelling, oldest first.
    public var surveys: [JudgedSurvey]
    /// Its certificate, every version first to last (empty before one is issued).
    public var certificates: [DisasterCertificate]
    /// Re-surveys it asked for (再調査の申出), oldest first.
    public var resurveyRequests: [ResurveyRequest]
    /// The latest safety report of its member on the roster, when it has one.
    public var safety: SafetyCheck?
    /// Its applications for 被災者生活再建支援金, oldest first.
    public var support: [SupportApplication]

    /// The certificate in force.
    public var certificate: DisasterCertificate? { certificates.last }

    /// What the grant rules give the household for the certified grade with no rebuilding
    /// plan yet (基礎支援金 only): a guide for the counter, not a decision; `nil` before a
    /// certificate.
    public func expectedBasicGrant(rules: SupportGrantRules = .current) -> SupportGrant? {
        guard let certificate else { return nil }
        return try? rules.grant(for: .init(grade: certificate.judgement.grade, members: household.members))
    }
}

/// 再調査の申出: a household disputes its judgement and asks for the dwelling to be surveyed
/// again. A new survey (a `second` round) answers it.
public struct ResurveyRequest: Sendable, Hashable, Codable {
    /// The household asking.
    public var householdID: String
    /// When it asked.
    public var requestedAt: Date
    /// What it says is wrong, in its words.
    public var reason: String

    /// A request.
    public init(householdID: String, requestedAt: Date, reason: String) {
        self.householdID = householdID
        self.requestedAt = requestedAt
        self.reason = reason
    }
}

/// 被災者生活再建支援金の申請: one application, the grant the rules give it, and its state.
public struct SupportApplication: Sendable, Hashable, Codable {
    /// Where an application stands.
    public enum State: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
        /// 申請受付.
        case applied
        /// 支給決定.
        case granted
        /// 不支給.
        case refused
    }

    /// The household.
    public var householdID: String
    /// What it claims: the grade comes from its certificate.
    public var claim: SupportGrantRules.Claim
    /// What the rules give the claim (yen), with the rule that applied.
    public var grant: SupportGrant
    /// Its state.
    public var state: State
    /// When the state was recorded.
    public var recordedAt: Date

    /// An application; `grant` is what `rules` give `claim`.
    /// - Throws: ``SupportGrantError`` for a claim the rules cannot assess.
    public init(
        householdID: String, claim: SupportGrantRules.Claim, state: State, recordedAt: Date,
        rules: SupportGrantRules = .current
    ) throws(SupportGrantError) {
        self.householdID = householdID
        self.claim = claim
        self.grant = try rules.grant(for: claim)
        self.state = state
        self.recordedAt = recordedAt
    }
}

/// The recovery desk's figures for the whole ward, without a single household's details: the
/// dwellings surveyed by grade (latest survey of each) and per town, the certificates issued,
/// the re-surveys asked for, and the support granted.
public struct RecoveryReport: Sendable, Hashable, Codable {
    /// Dwellings surveyed, by their latest survey's grade.
    public var surveyedByGrade: [HouseDamageGrade: Int]
    /// Per town (census code; `""` for a building of no town): dwellings by grade.
    public var surveyedByTown: [String: [HouseDamageGrade: Int]]
    /// Surveys recorded (every round).
    public var surveys: Int
    /// Households on the register.
    public var households: Int
    /// Certificates issued (first versions), by the grade in force.
    public var certificatesByGrade: [HouseDamageGrade: Int]
    /// Versions issued after the first (re-issue, correction, re-survey).
    public var laterVersions: Int
    /// Re-surveys asked for.
    public var resurveyRequests: Int
    /// Applications for support by state.
    public var applications: [SupportApplication.State: Int]
    /// Yen granted (applications in the granted state).
    public var granted: Int

    package init(
        surveyedByGrade: [HouseDamageGrade: Int], surveyedByTown: [String: [HouseDamageGrade: Int]], surveys: Int,
        households: Int, certificatesByGrade: [HouseDamageGrade: Int], laterVersions: Int, resurveyRequests: Int,
        applications: [SupportApplication.State: Int], granted: Int
    ) {
        self.surveyedByGrade = surveyedByGrade
        self.surveyedByTown = surveyedByTown
        self.surveys = surveys
        self.households = households
        self.certificatesByGrade = certificatesByGrade
        self.laterVersions = laterVersions
        self.resurveyRequests = resurveyRequests
        self.applications = applications
        self.granted = granted
    }
}
