/// A user or service account (アカウント) and how it authenticates.
public struct Account: Sendable, Codable, Hashable, Identifiable {
    /// A unique id.
    public var id: String
    /// The person's id, or the service's name.
    public var principal: String
    /// A person or a service.
    public var kind: PrincipalKind
    /// The asset ids it can log on to.
    public var systems: [String]
    /// Holds administrative rights.
    public var privileged: Bool?
    /// Shared by several people (共用ID).
    public var shared: Bool?
    /// Active or disabled.
    public var status: AccountStatus
    /// Whether the person is still employed (for people).
    public var employment: Employment?
    /// Authentication methods required at logon, all of them together.
    public var authMethods: [AuthMethod]
    /// Evidence ids (e.g. an IdP export).
    public var evidence: [String]?

    /// Creates an account.
    public init(
        id: String, principal: String, kind: PrincipalKind, systems: [String], status: AccountStatus,
        authMethods: [AuthMethod]
    ) {
        self.id = id
        self.principal = principal
        self.kind = kind
        self.systems = systems
        self.status = status
        self.authMethods = authMethods
    }

    /// The distinct factor categories its methods cover: a password and a PIN are one.
    public var factorCategories: Set<FactorCategory> { Set(authMethods.map(\.category)) }
}

/// People or services.
public enum PrincipalKind: String, ClosedSet {
    /// A person.
    case person
    /// A service or machine.
    case service
}

/// Account states.
public enum AccountStatus: String, ClosedSet {
    /// Can log on.
    case active
    /// Cannot.
    case disabled
}

/// Employment of an account's person.
public enum Employment: String, ClosedSet {
    /// Still employed.
    case employed
    /// Has left (退職・異動).
    case left
}

/// Authentication methods.
public enum AuthMethod: String, ClosedSet {
    /// Password.
    case password
    /// PIN.
    case pin
    /// One-time password app.
    case otpApp = "otp-app"
    /// Hardware token.
    case hardwareToken = "hardware-token"
    /// IC card.
    case icCard = "ic-card"
    /// Client certificate.
    case certificate
    /// FIDO2 authenticator.
    case fido2
    /// Fingerprint.
    case fingerprint
    /// Finger or palm vein.
    case vein
    /// Face.
    case face

    /// The factor category: something you know, have or are.
    public var category: FactorCategory {
        switch self {
        case .password, .pin: .knowledge
        case .otpApp, .hardwareToken, .icCard, .certificate, .fido2: .possession
        case .fingerprint, .vein, .face: .inherence
        }
    }
}

/// Authentication factor categories.
public enum FactorCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Something you know.
    case knowledge
    /// Something you have.
    case possession
    /// Something you are.
    case inherence

    /// In declaration order.
    public static func < (lhs: FactorCategory, rhs: FactorCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
