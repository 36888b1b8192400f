import Foundation

/// The victims' register (被災者台帳) in a store: households sealed, surveys in the clear,
/// り災証明書 numbered and versioned through ``CertificateLedger``, support applications.
/// Every read of a household's details is headquarters', audited with its purpose.
///
/// Two back ends give it: ``SuginamiStore`` (SQLite) and `PostgresStore` (SuginamiPostgreSQL).
public protocol RecoveryStore: BuildingStore, PeopleStore {
    /// Saves households (replacing those with the same id), each sealed with `key` and kept
    /// until `retainUntil`; one audit entry records the import.
    /// - Throws: ``StoreError``, ``RecoveryStoreError/unknownBuildings(_:)``; nothing is
    ///   written then.
    @discardableResult
    func saveHouseholds(_ households: [Household], key: PersonalDataKey, retainUntil: Date, by actor: Actor)
        async throws -> Int

    /// Saves judged surveys; a survey is never replaced (a re-survey is a new one).
    /// - Throws: ``StoreError/duplicateID(_:)``, ``RecoveryStoreError``; nothing is written then.
    @discardableResult
    func saveSurveys(_ surveys: [JudgedSurvey], by actor: Actor) async throws -> Int

    /// Records a household's request for a re-survey (再調査の申出), sealed; headquarters only.
    func requestResurvey(
        _ request: ResurveyRequest, key: PersonalDataKey, by principal: Principal, from address: String)
        async throws

    /// Issues the り災証明書 of a household from the latest survey of its dwelling, numbered in
    /// the year of issue (Japan time); headquarters only, the issue audited.
    func issueCertificate(
        householdID: String, disaster: DisasterCertificate.Disaster, cause: String, issuer: String,
        key: PersonalDataKey, by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate

    /// Issues a new version of certificate `number`; headquarters only, audited.
    func changeCertificate(
        _ number: CertificateNumber, _ change: CertificateChange, issuer: String, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date
    ) async throws -> DisasterCertificate

    /// Every version of certificate `number`, first to last; headquarters only, an audited read.
    func certificateVersions(
        _ number: CertificateNumber, key: PersonalDataKey, by principal: Principal, from address: String,
        purpose: String
    ) async throws -> [DisasterCertificate]

    /// Records an application for 被災者生活再建支援金 for a household with a certificate;
    /// headquarters only, audited.
    func recordSupportApplication(
        householdID: String, plan: SupportPlan, state: SupportApplication.State, key: PersonalDataKey,
        by principal: Principal, from address: String, now: Date, rules: SupportGrantRules
    ) async throws -> SupportApplication

    /// The register's record of a household; headquarters only, an audited read.
    func registerEntry(
        householdID: String, key: PersonalDataKey, by principal: Principal, from address: String, purpose: String
    ) async throws -> VictimRegisterEntry

    /// The ward's recovery figures, without any household's details.
    func recoveryReport() async throws -> RecoveryReport

    /// Deletes every household whose retention ended before `now`, with its certificates,
    /// requests and applications (the serials stay counted); one audit entry lists them.
    @discardableResult
    func deleteExpiredHouseholds(now: Date, by actor: Actor) async throws -> [String]
}

extension RecoveryStore {
    /// Issues a certificate now.
    public func issueCertificate(
        householdID: String, disaster: DisasterCertificate.Disaster, cause: String, issuer: String,
        key: PersonalDataKey, by principal: Principal, from address: String
    ) async throws -> DisasterCertificate {
        try await issueCertificate(
            householdID: householdID, disaster: disaster, cause: cause, issuer: issuer, key: key, by: principal,
            from: address, now: Date())
    }

    /// Issues a new version of a certificate now.
    public func changeCertificate(
        _ number: CertificateNumber, _ change: CertificateChange, issuer: String, key: PersonalDataKey,
        by principal: Principal, from address: String
    ) async throws -> DisasterCertificate {
        try await changeCertificate(number, change, issuer: issuer, key: key, by: principal, from: address, now: Date())
    }

    /// Records a support application now, under the current rules.
    public func recordSupportApplication(
        householdID: String, plan: SupportPlan, state: SupportApplication.State, key: PersonalDataKey,
        by principal: Principal, from address: String
    ) async throws -> SupportApplication {
        try await recordSupportApplication(
            householdID: householdID, plan: plan, state: state, key: key, by: principal, from: address, now: Date(),
            rules: .current)
    }
}

/// Everything a store keeps: what `refd` and the daemon need of one, on either back end.
public typealias SuginamiDatabase = RecoveryStore

/// A change to an issued certificate, as a new version: the same again (再交付), the
/// household's details as now stored (訂正), or the latest survey's judgement (再調査).
public enum CertificateChange: Sendable, Hashable {
    /// 再交付, for this reason.
    case reissue(reason: String)
    /// 訂正 from the household's details as now stored, for this reason.
    case correction(reason: String)
    /// 再調査: the latest survey of the dwelling, newer than the one in force.
    case resurvey
}
