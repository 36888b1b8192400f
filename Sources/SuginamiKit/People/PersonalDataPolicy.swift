/// Who may read which of a person's fields: the minimum each role needs, and nothing for a role
/// that needs none.
///
/// - Headquarters (災害対策本部) reads every field of everyone.
/// - Relief-centre staff read the people of their own centre's area only, and only what
///   finding and helping them needs (name, kana, address and position, needs, phone,
///   supporters), never the date of birth; before a disaster is declared, only the people who
///   consented to sharing (or whose consent the ward's 条例 presumes).
/// - The public and the token administrator read nothing.
public struct PersonalDataPolicy: Sendable, Hashable {
    /// The ward has declared a disaster: details may be given without consent
    /// (災害対策基本法 第49条の11第3項).
    public var disasterDeclared: Bool

    /// A policy, before or during a declared disaster.
    public init(disasterDeclared: Bool) {
        self.disasterDeclared = disasterDeclared
    }

    /// The fields of `person` that `principal` may read.
    public func readableFields(of person: PersonNeedingSupport, by principal: Principal) -> Set<PersonField> {
        switch principal.role {
        case .headquarters:
            return Set(PersonField.allCases)
        case .staff:
            guard let centre = principal.facilityID, person.reliefCentreID == centre,
                disasterDeclared || person.consent.allowsSharingBeforeADisaster
            else { return [] }
            return PersonField.forReliefCentreStaff
        case .public, .admin:
            return []
        }
    }

    /// `person` with every field `principal` may not read removed, or `nil` when they may read
    /// none (the person is not theirs to see at all).
    public func view(of person: PersonNeedingSupport, for principal: Principal) -> PersonView? {
        let fields = readableFields(of: person, by: principal)
        guard !fields.isEmpty else { return nil }
        return PersonView(
            id: person.id, name: fields.contains(.name) ? person.name : nil,
            kana: fields.contains(.kana) ? person.kana : nil,
            address: fields.contains(.address) ? person.address : nil,
            position: fields.contains(.position) ? person.position : nil,
            dateOfBirth: fields.contains(.dateOfBirth) ? person.dateOfBirth : nil,
            needs: fields.contains(.needs) ? person.needs : nil,
            phone: fields.contains(.phone) ? person.phone : nil,
            supporters: fields.contains(.supporters) ? person.supporters : nil,
            consent: fields.contains(.consent) ? person.consent : nil,
            reliefCentreID: fields.contains(.reliefCentre) ? person.reliefCentreID : nil, fields: fields)
    }
}

/// A personal field of ``PersonNeedingSupport``.
public enum PersonField: String, Sendable, Hashable, Codable, CaseIterable {
    /// 氏名.
    case name
    /// よみがな.
    case kana
    /// 住所.
    case address
    /// The home's position.
    case position
    /// 生年月日.
    case dateOfBirth = "date_of_birth"
    /// 事由.
    case needs
    /// 連絡先.
    case phone
    /// 避難支援等実施者.
    case supporters
    /// 同意の状況.
    case consent
    /// The relief centre whose area the home is in.
    case reliefCentre = "relief_centre"

    /// What relief-centre staff need to find and help a person.
    static let forReliefCentreStaff: Set<PersonField> = [
        .name, .kana, .address, .position, .needs, .phone, .supporters, .reliefCentre,
    ]
}

/// A person as one reader may see them: the fields the reader may not read are `nil`.
public struct PersonView: Sendable, Hashable, Codable {
    /// The roster's id (not personal: it means nothing outside the roster).
    public var id: String
    /// 氏名.
    public var name: String?
    /// よみがな.
    public var kana: String?
    /// 住所.
    public var address: String?
    /// The home's position.
    public var position: GeoPoint?
    /// 生年月日.
    public var dateOfBirth: CalendarDay?
    /// 事由.
    public var needs: Set<SupportNeed>?
    /// 連絡先.
    public var phone: String?
    /// 避難支援等実施者.
    public var supporters: [PersonNeedingSupport.Supporter]?
    /// 同意の状況.
    public var consent: SharingConsent?
    /// The relief centre whose area the home is in.
    public var reliefCentreID: String?
    /// The fields the reader may read: a field outside it is `nil` because it was withheld, a
    /// field in it because the roster has no value.
    public var fields: Set<PersonField>
}
