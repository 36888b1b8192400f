import Foundation

/// The recovery counter (り災証明・被災者台帳の窓口): the SDK's facade over the victims'
/// register, with what every call needs bound once: the store, the key households and
/// certificates are sealed with, who certifies, the survey rules and the grant rules.
///
/// ```swift
/// let desk = RecoveryDesk(store: store, key: key, issuer: "杉並区長")
/// let certificate = try await desk.issueCertificate(
///     householdID: "H-1", disaster: disaster, cause: "地震による建物倒壊", by: principal, from: address)
/// let page = certificate.printableHTML()
/// ```
///
/// Every call is headquarters', and every read of a household an audited read in the store.
public struct RecoveryDesk: Sendable {
    /// Where the register is kept.
    public let store: any SuginamiDatabase
    /// The key households and certificates are sealed with.
    public let key: PersonalDataKey
    /// Who certifies, as printed (e.g. `杉並区長`).
    public let issuer: String
    /// The rules surveys are judged by.
    public let standard: DamageAssessmentStandard
    /// The rules support is assessed by.
    public let rules: SupportGrantRules

    /// A desk over `store`.
    public init(
        store: any SuginamiDatabase, key: PersonalDataKey, issuer: String, standard: DamageAssessmentStandard = .reiwa3,
        rules: SupportGrantRules = .current
    ) {
        self.store = store
        self.key = key
        self.issuer = issuer
        self.standard = standard
        self.rules = rules
    }

    /// Judges and files one survey (a survey team's form).
    /// - Throws: ``DamageSurveyError`` for a form the rules cannot judge; ``RecoveryStoreError``
    ///   for a form number already filed or a dwelling the store lacks.
    public func fileSurvey(_ survey: DamageSurvey, by principal: Principal, from address: String) async throws
        -> JudgedSurvey
    {
        try RecoveryStoreError.checkHeadquarters(principal)
        let judged = JudgedSurvey(survey: survey, judgement: try survey.judged(by: standard))
        try await store.saveSurveys([judged], by: .principal(principal, from: address))
        return judged
    }

    /// Issues a household's り災証明書 from its dwelling's latest survey.
    public func issueCertificate(
        householdID: String, disaster: DisasterCertificate.Disaster, cause: String, by principal: Principal,
        from address: String, now: Date = Date()
    ) async throws -> DisasterCertificate {
        try await store.issueCertificate(
            householdID: householdID, disaster: disaster, cause: cause, issuer: issuer, key: key, by: principal,
            from: address, now: now)
    }

    /// Issues a new version of a certificate.
    public func changeCertificate(
        _ number: CertificateNumber, _ change: CertificateChange, by principal: Principal,
        from address: String, now: Date = Date()
    ) async throws -> DisasterCertificate {
        try await store.changeCertificate(
            number, change, issuer: issuer, key: key, by: principal, from: address, now: now)
    }

    /// Every version of a certificate, an audited read.
    public func certificateVersions(
        _ number: CertificateNumber, by principal: Principal, from address: String, purpose: String
    ) async throws -> [DisasterCertificate] {
        try await store.certificateVersions(number, key: key, by: principal, from: address, purpose: purpose)
    }

    /// Records a household's request for a re-survey.
    public func requestResurvey(_ request: ResurveyRequest, by principal: Principal, from address: String)
        async throws
    {
        try await store.requestResurvey(request, key: key, by: principal, from: address)
    }

    /// Records an application for 被災者生活再建支援金, assessed by ``rules``.
    public func recordSupportApplication(
        householdID: String, plan: SupportPlan, state: SupportApplication.State, by principal: Principal,
        from address: String, now: Date = Date()
    ) async throws -> SupportApplication {
        try await store.recordSupportApplication(
            householdID: householdID, plan: plan, state: state, key: key, by: principal, from: address, now: now,
            rules: rules)
    }

    /// The register's record of a household, an audited read.
    public func registerEntry(householdID: String, by principal: Principal, from address: String, purpose: String)
        async throws -> VictimRegisterEntry
    {
        try await store.registerEntry(
            householdID: householdID, key: key, by: principal, from: address, purpose: purpose)
    }

    /// The ward's figures (no household's details): headquarters only.
    public func report(by principal: Principal) async throws -> RecoveryReport {
        try RecoveryStoreError.checkHeadquarters(principal)
        return try await store.recoveryReport()
    }
}
