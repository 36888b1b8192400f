import Foundation

/// What a household's plan for rebuilding is, as it applies for support: the grade and the
/// household's size come from the register.
public struct SupportPlan: Sendable, Hashable, Codable {
    /// Demolished because it had to be.
    public var demolished: Bool
    /// The area is under long-term evacuation.
    public var longTermEvacuation: Bool
    /// How it rebuilds, when decided (renting first, then another, at most).
    public var methods: [SupportGrantRules.RebuildingMethod]
    /// Lived there at the time of the disaster.
    public var livedThere: Bool
    /// The disaster reached the act's threshold.
    public var actApplies: Bool

    /// A plan.
    public init(
        demolished: Bool = false, longTermEvacuation: Bool = false, methods: [SupportGrantRules.RebuildingMethod] = [],
        livedThere: Bool = true, actApplies: Bool = true
    ) {
        self.demolished = demolished
        self.longTermEvacuation = longTermEvacuation
        self.methods = methods
        self.livedThere = livedThere
        self.actApplies = actApplies
    }
}

/// Why the register cannot do what was asked.
public enum RecoveryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Only headquarters reads and changes the register.
    case headquartersOnly(AccessRole)
    /// No household with this id.
    case unknownHousehold(String)
    /// The store has no building with these ids.
    case unknownBuildings([String])
    /// A survey with this form number is already stored.
    case surveyExists(String)
    /// The dwelling has no survey yet.
    case notSurveyed(String)
    /// The household has no certificate yet.
    case noCertificate(String)
    /// A required detail is empty.
    case missing(String)

    /// Refuses every role but headquarters.
    package static func checkHeadquarters(_ principal: Principal) throws(RecoveryStoreError) {
        guard principal.role == .headquarters else { throw .headquartersOnly(principal.role) }
    }

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .headquartersOnly(let role): "the victims' register is for headquarters tokens; this one is \(role)"
        case .unknownHousehold(let id): "household_id: \(id) is not on the register"
        case .unknownBuildings(let ids):
            "building_id: \(ids.prefix(5).joined(separator: ", "))\(ids.count > 5 ? " and \(ids.count - 5) more" : "") "
                + "\(ids.count == 1 ? "is not a building" : "are not buildings") of the store"
        case .surveyExists(let id):
            "survey_id: \(id) is already stored (a re-survey is a new survey with its own number)"
        case .notSurveyed(let building): "building \(building) has no survey yet: survey it before issuing"
        case .noCertificate(let id): "household \(id) has no certificate yet: issue it first"
        case .missing(let field): "\(field): missing"
        }
    }
}

/// What a register read hands back out of the store's change (a value it can keep).
package struct RegisterRecord: Sendable, Codable {
    package var household: Household
    package var surveys: [JudgedSurvey]
    package var certificates: [DisasterCertificate]
    package var resurveyRequests: [ResurveyRequest]
    package var safety: SafetyCheck?
    package var support: [SupportApplication]

    package init(
        household: Household, surveys: [JudgedSurvey], certificates: [DisasterCertificate],
        resurveyRequests: [ResurveyRequest], safety: SafetyCheck?, support: [SupportApplication]
    ) {
        self.household = household
        self.surveys = surveys
        self.certificates = certificates
        self.resurveyRequests = resurveyRequests
        self.safety = safety
        self.support = support
    }

    package var entry: VictimRegisterEntry {
        VictimRegisterEntry(
            household: household, surveys: surveys, certificates: certificates, resurveyRequests: resurveyRequests,
            safety: safety, support: support)
    }
}

/// The rules of the register's writes that both back ends apply.
package enum RecoveryRules {
    /// The next version of certificate `number` for `change`, from the household as stored and
    /// the latest survey of its dwelling (nil when it has none).
    package static func newVersion(
        of number: CertificateNumber, _ change: CertificateChange, ledger: inout CertificateLedger,
        household: Household, latestSurvey: JudgedSurvey?, now: Date
    ) throws -> DisasterCertificate {
        switch change {
        case .reissue(let reason):
            return try ledger.reissue(number, reason: reason, at: now)
        case .correction(let reason):
            return try ledger.correct(number, household: household.certified, reason: reason, at: now)
        case .resurvey:
            guard let survey = latestSurvey else { throw RecoveryStoreError.notSurveyed(household.buildingID) }
            return try ledger.resurvey(
                number, judgement: survey.judgement, surveyedAt: survey.survey.surveyedAt, at: now)
        }
    }

    package static func versionNote(_ certificate: DisasterCertificate, number: CertificateNumber)
        -> OperationsRules.AuditNote
    {
        OperationsRules.AuditNote(
            action: "certificate.version", subject: number.description,
            detail: "version \(certificate.version): \(certificate.change.map { "\($0)" } ?? "")")
    }
}
