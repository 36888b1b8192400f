import Foundation

/// A disaster facility: a relief centre, a shelter, an evacuation site, a water station, a hospital…
///
/// One value type serves every ``FacilityKind``; the attributes that only some kinds have are
/// optional and left `nil` where the source does not give them. Positions are JGD2011.
public struct Facility: Sendable, Hashable, Codable, Identifiable {
    /// A stable identifier: the source's own id where it has one (GSI 共通ID, 自治体標準 ID),
    /// otherwise one derived from the source and the record's place in it.
    public var id: String
    /// What kind of facility this is.
    public var kind: FacilityKind
    /// 名称: the official name.
    public var name: String
    /// 名称_カナ: the name in katakana.
    public var nameKana: String?
    /// 名称_英字: the name in Latin letters.
    public var nameEnglish: String?
    /// Where it is (JGD2011).
    public var position: GeoPoint
    /// The postal address and its parts.
    public var address: Address
    /// 想定収容人数: how many people it is planned to hold, where known.
    public var capacity: Int?
    /// Step-free access, Wi-Fi and similar facts, each `nil` when unknown.
    public var accessibility: Accessibility
    /// Telephone, mail and web contact.
    public var contact: Contact
    /// For 指定緊急避難場所 (and shelters that publish it): the hazards it is designated for.
    public var hazardSuitability: HazardSuitability?
    /// 指定避難所との住所同一 / 指定避難所との重複: whether the same place is also a designated shelter
    /// (or, for a shelter, also an emergency evacuation site).
    public var alsoDesignatedOtherKind: Bool?
    /// 福祉避難所: a shelter for people needing assistance (要配慮者).
    public var isWelfareShelter: Bool
    /// 受入対象者: who the shelter takes in, as published.
    public var acceptedGroups: String?
    /// 対象となる町会・自治会, or for a 広域避難場所 the districts it covers.
    public var coveredDistricts: [String]
    /// Drinking water stored at a ``FacilityKind/waterStation``, in litres.
    public var storedWaterLitres: Int?
    /// The role of a ``FacilityKind/disasterHospital``.
    public var hospitalRole: DisasterHospitalRole?
    /// The publishing record: codes, serial number, web page, image and remarks.
    public var publication: Publication
    /// 出典 and licence.
    public var source: DataSource

    /// Creates a facility. Only the id, kind, name, position and source are required.
    public init(
        id: String, kind: FacilityKind, name: String, position: GeoPoint, source: DataSource,
        nameKana: String? = nil, nameEnglish: String? = nil, address: Address = Address(), capacity: Int? = nil,
        accessibility: Accessibility = Accessibility(), contact: Contact = Contact(),
        hazardSuitability: HazardSuitability? = nil, alsoDesignatedOtherKind: Bool? = nil,
        isWelfareShelter: Bool = false, acceptedGroups: String? = nil, coveredDistricts: [String] = [],
        storedWaterLitres: Int? = nil, hospitalRole: DisasterHospitalRole? = nil,
        publication: Publication = Publication()
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.position = position
        self.source = source
        self.nameKana = nameKana
        self.nameEnglish = nameEnglish
        self.address = address
        self.capacity = capacity
        self.accessibility = accessibility
        self.contact = contact
        self.hazardSuitability = hazardSuitability
        self.alsoDesignatedOtherKind = alsoDesignatedOtherKind
        self.isWelfareShelter = isWelfareShelter
        self.acceptedGroups = acceptedGroups
        self.coveredDistricts = coveredDistricts
        self.storedWaterLitres = storedWaterLitres
        self.hospitalRole = hospitalRole
        self.publication = publication
    }

    /// Checks the rules that the type system cannot: a non-empty id and name, a non-negative
    /// capacity and water volume, a hospital role only on hospitals.
    ///
    /// - Returns: the problems found, each naming the field; empty when the record is sound.
    public func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if id.trimmingCharacters(in: .whitespaces).isEmpty { found.append(.init(field: "id", reason: "is empty")) }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { found.append(.init(field: "name", reason: "is empty")) }
        if let capacity, capacity < 0 {
            found.append(.init(field: "capacity", reason: "is negative (\(capacity))"))
        }
        if let storedWaterLitres, storedWaterLitres < 0 {
            found.append(.init(field: "storedWaterLitres", reason: "is negative (\(storedWaterLitres))"))
        }
        if hospitalRole != nil, kind != .disasterHospital {
            found.append(.init(field: "hospitalRole", reason: "is set on a \(kind) facility"))
        }
        if kind == .disasterHospital, hospitalRole == nil {
            found.append(.init(field: "hospitalRole", reason: "is missing on a disaster hospital"))
        }
        return found
    }
}

/// A problem with one field of a record.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    /// The field's name.
    public var field: String
    /// What is wrong, as a phrase that follows the field name.
    public var reason: String

    /// Creates a problem.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field reason`.
    public var description: String { "\(field) \(reason)" }
}

/// A postal address with the parts the 自治体標準オープンデータセット separates.
public struct Address: Sendable, Hashable, Codable {
    /// 所在地_連結表記: the whole address as one line.
    public var full: String?
    /// 所在地_都道府県.
    public var prefecture: String?
    /// 所在地_市区町村.
    public var municipality: String?
    /// 所在地_町字.
    public var town: String?
    /// 所在地_番地以下.
    public var blockNumber: String?
    /// 建物名等(方書).
    public var building: String?
    /// 郵便番号: seven digits, no hyphen.
    public var postalCode: String?
    /// 町字ID of the アドレス・ベース・レジストリ.
    public var townID: String?
    /// 所在地_全国地方公共団体コード: the municipality the site lies in.
    public var municipalityCode: LocalGovernmentCode?

    /// Creates an address; every part is optional.
    public init(
        full: String? = nil, prefecture: String? = nil, municipality: String? = nil, town: String? = nil,
        blockNumber: String? = nil, building: String? = nil, postalCode: String? = nil, townID: String? = nil,
        municipalityCode: LocalGovernmentCode? = nil
    ) {
        self.full = full
        self.prefecture = prefecture
        self.municipality = municipality
        self.town = town
        self.blockNumber = blockNumber
        self.building = building
        self.postalCode = postalCode
        self.townID = townID
        self.municipalityCode = municipalityCode
    }
}

/// Facts about access, each `nil` when the source does not say.
public struct Accessibility: Sendable, Hashable, Codable {
    /// Step-free access for wheelchairs (車いす対応).
    public var wheelchairAccessible: Bool?
    /// Public Wi-Fi (00000JAPAN or the ward's own).
    public var wifi: Bool?

    /// Creates the facts; unknown ones stay `nil`.
    public init(wheelchairAccessible: Bool? = nil, wifi: Bool? = nil) {
        self.wheelchairAccessible = wheelchairAccessible
        self.wifi = wifi
    }
}

/// How to reach the people who run a facility.
public struct Contact: Sendable, Hashable, Codable {
    /// 電話番号.
    public var phone: String?
    /// 内線番号.
    public var phoneExtension: String?
    /// 連絡先メールアドレス.
    public var email: String?
    /// 連絡先FormURL.
    public var formURL: String?
    /// 連絡先備考（その他、SNSなど）.
    public var remarks: String?

    /// Creates a contact; every part is optional.
    public init(
        phone: String? = nil, phoneExtension: String? = nil, email: String? = nil, formURL: String? = nil,
        remarks: String? = nil
    ) {
        self.phone = phone
        self.phoneExtension = phoneExtension
        self.email = email
        self.formURL = formURL
        self.remarks = remarks
    }
}

/// How the facility appears in the publishing body's open data.
public struct Publication: Sendable, Hashable, Codable {
    /// 全国地方公共団体コード of the body that manages the data.
    public var publisherCode: LocalGovernmentCode?
    /// 市区町村コード of the municipality that designated the facility.
    public var designatorCode: LocalGovernmentCode?
    /// 地方公共団体名 of the designating municipality.
    public var designatorName: String?
    /// NO: the serial number in the GSI national file.
    public var serialNumber: Int?
    /// 標高: elevation in metres.
    public var elevationMetres: Double?
    /// URL: the facility's web page.
    public var url: String?
    /// 画像: a picture of the facility.
    public var imageURL: String?
    /// 画像_ライセンス.
    public var imageLicence: String?
    /// その他市町村長が必要と認める事項.
    public var otherNotes: String?
    /// 備考.
    public var remarks: String?

    /// Creates the record; every part is optional.
    public init(
        publisherCode: LocalGovernmentCode? = nil, designatorCode: LocalGovernmentCode? = nil,
        designatorName: String? = nil, serialNumber: Int? = nil, elevationMetres: Double? = nil, url: String? = nil,
        imageURL: String? = nil, imageLicence: String? = nil, otherNotes: String? = nil, remarks: String? = nil
    ) {
        self.publisherCode = publisherCode
        self.designatorCode = designatorCode
        self.designatorName = designatorName
        self.serialNumber = serialNumber
        self.elevationMetres = elevationMetres
        self.url = url
        self.imageURL = imageURL
        self.imageLicence = imageLicence
        self.otherNotes = otherNotes
        self.remarks = remarks
    }
}
