import Foundation

/// り災証明書: the ward's certificate of the damage a household's home suffered, issued from its
/// survey (災害対策基本法 第90条の2), numbered, and never edited: a re-issue, a correction or a
/// re-survey's new grade is a new version that supersedes the last (``CertificateLedger``).
public struct DisasterCertificate: Sendable, Hashable, Codable {
    /// The number, the same for every version.
    public var number: CertificateNumber
    /// 1 for the first issue, then one more for each re-issue, correction or re-survey.
    public var version: Int
    /// The household certified.
    public var household: CertifiedHousehold
    /// The disaster.
    public var disaster: Disaster
    /// 罹災原因, as printed (e.g. `地震（揺れ）`).
    public var cause: String
    /// The grade and how it was judged.
    public var judgement: DamageJudgement
    /// When the dwelling was surveyed.
    public var surveyedAt: Date
    /// When this version was issued.
    public var issuedAt: Date
    /// Who certifies (e.g. `杉並区長`).
    public var issuer: String
    /// What this version changed, for versions after the first.
    public var change: Change?

    /// 世帯: the household whose home was damaged, as the certificate names it.
    public struct CertifiedHousehold: Sendable, Hashable, Codable {
        /// 世帯主氏名.
        public var head: String
        /// 被災住家の所在地.
        public var address: String
        /// The dwelling's building id in the store.
        public var buildingID: String

        /// A household.
        public init(head: String, address: String, buildingID: String) {
            self.head = head
            self.address = address
            self.buildingID = buildingID
        }
    }

    /// 災害: its name and date.
    public struct Disaster: Sendable, Hashable, Codable {
        /// The name the ward gives it (e.g. `令和9年4月1日 東京都心南部を震源とする地震`).
        public var name: String
        /// When it struck.
        public var date: Date

        /// A disaster.
        public init(name: String, date: Date) {
            self.name = name
            self.date = date
        }
    }

    /// Why a version replaced the one before.
    public enum Change: Sendable, Hashable, Codable {
        /// 再交付: the same content again (the first was lost or damaged).
        case reissue(reason: String)
        /// 訂正: a mistake in the household's details corrected.
        case correction(reason: String)
        /// 再調査: a new survey gave a new judgement.
        case resurvey

        /// The change as the certificate prints it.
        public var japaneseText: String {
            switch self {
            case .reissue(let reason): "再交付（\(reason)）"
            case .correction(let reason): "訂正（\(reason)）"
            case .resurvey: "再調査による判定の変更"
            }
        }
    }
}

/// A certificate's number: the year of first issue (Japan time) and a serial within it.
public struct CertificateNumber: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The year of first issue.
    public var year: Int
    /// 1, 2, … within the year.
    public var serial: Int

    /// A number.
    public init(year: Int, serial: Int) {
        self.year = year
        self.serial = serial
    }

    /// A number from its printed form, `2027-000123`; `nil` for other text.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (6...9).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let serial = Int(parts[1]), serial > 0
        else { return nil }
        self.init(year: year, serial: serial)
    }

    /// `2027-000123`.
    public var description: String {
        let digits = String(serial)
        return "\(year)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    /// By year, then serial.
    public static func < (left: Self, right: Self) -> Bool { (left.year, left.serial) < (right.year, right.serial) }
}

/// The certificates a ward has issued, every version of each, in issue order: the record the
/// り災証明書 counter keeps. A value: the store persists it; every change goes through the
/// methods here, which keep the numbering and the history right.
public struct CertificateLedger: Sendable, Hashable, Codable {
    /// Who certifies, as printed (e.g. `杉並区長`).
    public let issuer: String
    /// Every version issued, in issue order.
    public private(set) var versions: [DisasterCertificate] = []
    /// The last serial issued in each year, beyond those in ``versions``: a store that keeps
    /// the whole ledger gives only the part a change touches, and the numbering goes on.
    public private(set) var lastSerials: [Int: Int] = [:]

    /// An empty ledger for `issuer`.
    public init(issuer: String) {
        self.issuer = issuer
    }

    /// The part of a larger ledger that one change touches: the versions of the certificates
    /// concerned, and the last serial issued in each year over the whole ledger.
    public init(issuer: String, versions: [DisasterCertificate], lastSerials: [Int: Int]) {
        self.issuer = issuer
        self.versions = versions
        self.lastSerials = lastSerials
    }

    /// Issues the first certificate for a household's home from its survey.
    /// - Throws: ``CertificateError`` when a detail is missing, the dates are out of order, or
    ///   the home already has a certificate for this disaster (re-issue or correct that one).
    public mutating func issue(
        household: DisasterCertificate.CertifiedHousehold, disaster: DisasterCertificate.Disaster, cause: String,
        judgement: DamageJudgement, surveyedAt: Date, at date: Date
    ) throws(CertificateError) -> DisasterCertificate {
        try Self.check(household)
        guard !disaster.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missing("disaster.name") }
        guard !cause.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missing("cause") }
        guard disaster.date <= surveyedAt else { throw .surveyedBeforeTheDisaster }
        guard surveyedAt <= date else { throw .issuedBeforeTheSurvey }
        if let existing = versions.first(where: {
            $0.household.buildingID == household.buildingID && $0.household.head == household.head
                && $0.disaster == disaster
        }) {
            throw .alreadyIssued(existing.number)
        }
        let year = Self.calendar.component(.year, from: date)
        let serial =
            max(lastSerials[year] ?? 0, versions.filter { $0.number.year == year }.map(\.number.serial).max() ?? 0) + 1
        lastSerials[year] = serial
        let certificate = DisasterCertificate(
            number: CertificateNumber(year: year, serial: serial), version: 1, household: household,
            disaster: disaster, cause: cause, judgement: judgement, surveyedAt: surveyedAt, issuedAt: date,
            issuer: issuer, change: nil)
        versions.append(certificate)
        return certificate
    }

    /// Issues the same certificate again (再交付), as a new version.
    /// - Throws: ``CertificateError`` for an unknown number or a missing reason.
    public mutating func reissue(_ number: CertificateNumber, reason: String, at date: Date)
        throws(CertificateError) -> DisasterCertificate
    {
        try next(number, at: date, change: .reissue(reason: reason), reason: reason) { _ in }
    }

    /// Corrects the household's details (訂正), as a new version.
    /// - Throws: ``CertificateError`` for an unknown number, a missing reason or detail.
    public mutating func correct(
        _ number: CertificateNumber, household: DisasterCertificate.CertifiedHousehold, reason: String, at date: Date
    ) throws(CertificateError) -> DisasterCertificate {
        try Self.check(household)
        return try next(number, at: date, change: .correction(reason: reason), reason: reason) {
            $0.household = household
        }
    }

    /// Gives the certificate a re-survey's judgement (再調査), as a new version.
    /// - Throws: ``CertificateError`` for an unknown number, or a re-survey older than the last.
    public mutating func resurvey(
        _ number: CertificateNumber, judgement: DamageJudgement, surveyedAt: Date, at date: Date
    ) throws(CertificateError) -> DisasterCertificate {
        guard let last = current(number) else { throw .unknown(number) }
        guard surveyedAt > last.surveyedAt else { throw .resurveyNotNewer }
        guard surveyedAt <= date else { throw .issuedBeforeTheSurvey }
        return try next(number, at: date, change: .resurvey, reason: "再調査") {
            $0.judgement = judgement
            $0.surveyedAt = surveyedAt
        }
    }

    /// Every version of a certificate, first to last.
    public func history(_ number: CertificateNumber) -> [DisasterCertificate] {
        versions.filter { $0.number == number }
    }

    /// The version in force.
    public func current(_ number: CertificateNumber) -> DisasterCertificate? {
        versions.last { $0.number == number }
    }

    private mutating func next(
        _ number: CertificateNumber, at date: Date, change: DisasterCertificate.Change, reason: String,
        _ apply: (inout DisasterCertificate) -> Void
    ) throws(CertificateError) -> DisasterCertificate {
        guard var certificate = current(number) else { throw .unknown(number) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missing("reason") }
        guard date >= certificate.issuedAt else { throw .issuedBeforeThePrevious }
        apply(&certificate)
        certificate.version += 1
        certificate.issuedAt = date
        certificate.change = change
        versions.append(certificate)
        return certificate
    }

    private static func check(_ household: DisasterCertificate.CertifiedHousehold) throws(CertificateError) {
        for (field, value) in [
            ("household.head", household.head), ("household.address", household.address),
            ("household.building_id", household.buildingID),
        ] where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .missing(field)
        }
    }

    /// Years and dates as the ward's counter sees them: in Japan.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        return calendar
    }()
}

/// Why a certificate cannot be issued.
public enum CertificateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A detail the certificate prints is empty.
    case missing(String)
    /// The home already has a certificate for the disaster.
    case alreadyIssued(CertificateNumber)
    /// No certificate has this number.
    case unknown(CertificateNumber)
    /// The survey is dated before the disaster.
    case surveyedBeforeTheDisaster
    /// The certificate is dated before the survey.
    case issuedBeforeTheSurvey
    /// A new version is dated before the one it replaces.
    case issuedBeforeThePrevious
    /// A re-survey that is not newer than the survey in force.
    case resurveyNotNewer

    /// A sentence saying what to do.
    public var description: String {
        switch self {
        case .missing(let field): "\(field): missing"
        case .alreadyIssued(let number):
            "this home already has certificate \(number) for the disaster: re-issue or correct it"
        case .unknown(let number): "no certificate \(number)"
        case .surveyedBeforeTheDisaster: "surveyed_at: before the disaster"
        case .issuedBeforeTheSurvey: "issued_at: before the survey"
        case .issuedBeforeThePrevious: "issued_at: before the version it replaces"
        case .resurveyNotNewer: "surveyed_at: a re-survey must be newer than the survey in force"
        }
    }
}
