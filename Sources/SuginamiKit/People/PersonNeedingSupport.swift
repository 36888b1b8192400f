import Foundation

/// 避難行動要支援者: a resident on the ward's roster of people who need help to evacuate
/// (避難行動要支援者名簿, 災害対策基本法 第49条の10), with why, who supports them, and whether they
/// consented to their details being shared with supporters before a disaster.
///
/// Personal data: who may read which field is ``PersonalDataPolicy``'s to say, never the
/// caller's.
public struct PersonNeedingSupport: Sendable, Hashable, Codable, Identifiable {
    /// The roster's id for the person.
    public var id: String
    /// 氏名.
    public var name: String
    /// 氏名（よみがな）, in kana.
    public var kana: String
    /// 住所又は居所.
    public var address: String
    /// Where the home is, for the map and the damage at the address.
    public var position: GeoPoint
    /// 生年月日.
    public var dateOfBirth: CalendarDay
    /// 避難支援等を必要とする事由.
    public var needs: Set<SupportNeed>
    /// 電話番号その他の連絡先.
    public var phone: String?
    /// 避難支援等実施者: the people who will help, with how to reach them.
    public var supporters: [Supporter]
    /// Whether the details may be given to supporters before a disaster.
    public var consent: SharingConsent
    /// The relief centre (震災救援所) whose area the home lies in: its staff see the person.
    public var reliefCentreID: String?

    /// A person.
    public init(
        id: String, name: String, kana: String, address: String, position: GeoPoint, dateOfBirth: CalendarDay,
        needs: Set<SupportNeed>, phone: String? = nil, supporters: [Supporter] = [], consent: SharingConsent,
        reliefCentreID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kana = kana
        self.address = address
        self.position = position
        self.dateOfBirth = dateOfBirth
        self.needs = needs
        self.phone = phone
        self.supporters = supporters
        self.consent = consent
        self.reliefCentreID = reliefCentreID
    }

    /// 避難支援等実施者: someone who will help the person evacuate.
    public struct Supporter: Sendable, Hashable, Codable {
        /// Their name.
        public var name: String
        /// How to reach them.
        public var phone: String?

        /// A supporter.
        public init(name: String, phone: String? = nil) {
            self.name = name
            self.phone = phone
        }
    }
}

/// 避難支援等を必要とする事由: why a person needs help, as the roster records it.
public enum SupportNeed: String, Sendable, Hashable, Codable, CaseIterable {
    /// 車いす使用.
    case wheelchair
    /// 寝たきり.
    case bedridden
    /// 人工透析.
    case dialysis
    /// 在宅酸素療法.
    case oxygen
    /// 聴覚障害.
    case hearing
    /// 視覚障害.
    case sight
    /// 日本語での意思疎通が難しい (外国語).
    case language
    /// 乳幼児.
    case infant

    /// The roster's Japanese label.
    public var japaneseName: String {
        switch self {
        case .wheelchair: "車いす"
        case .bedridden: "寝たきり"
        case .dialysis: "人工透析"
        case .oxygen: "在宅酸素"
        case .hearing: "聴覚障害"
        case .sight: "視覚障害"
        case .language: "外国語"
        case .infant: "乳幼児"
        }
    }

    /// A need from its code (`wheelchair`) or its Japanese label (`車いす`).
    public init?(label: String) {
        let text = label.trimmingCharacters(in: .whitespaces)
        guard let need = Self.allCases.first(where: { $0.rawValue == text || $0.japaneseName == text }) else {
            return nil
        }
        self = need
    }
}

/// Whether a person's details may be given to supporters before a disaster (平常時の名簿情報の
/// 提供, 第49条の11第2項). In a disaster they may be given without consent (第3項) once the
/// ward declares it (``PersonalDataPolicy/disasterDeclared``).
public enum SharingConsent: String, Sendable, Hashable, Codable, CaseIterable {
    /// 同意: the person agreed.
    case consented
    /// 不同意: the person refused.
    case refused
    /// 未回答: asked, no answer.
    case noAnswer = "no_answer"
    /// 推定同意: the ward's 条例 presumes consent when the person does not refuse.
    case presumed

    /// Whether the details may be shared before a disaster.
    public var allowsSharingBeforeADisaster: Bool { self == .consented || self == .presumed }
}
