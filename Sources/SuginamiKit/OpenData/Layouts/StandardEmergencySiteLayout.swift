/// 自治体標準オープンデータセット「指定緊急避難場所一覧」: the 39-column layout municipalities
/// publish themselves (デジタル庁).
struct StandardEmergencySiteLayout: TabularLayout {
    static let hazardPrefix = "災害種別_"

    let columns = [
        "全国地方公共団体コード", "ID", "名称", "名称_カナ", "名称_英字", "所在地_全国地方公共団体コード", "町字ID",
        "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)",
        "緯度", "経度", "標高", "電話番号", "内線番号", "連絡先メールアドレス", "連絡先FormURL",
        "連絡先備考（その他、SNSなど）", "郵便番号", "市区町村コード", "地方公共団体名",
        "災害種別_洪水", "災害種別_崖崩れ、土石流及び地滑り", "災害種別_高潮", "災害種別_地震", "災害種別_津波",
        "災害種別_大規模な火事", "災害種別_内水氾濫", "災害種別_火山現象", "指定避難所との重複", "想定収容人数",
        "対象となる町会・自治会", "URL", "画像", "画像_ライセンス", "備考",
    ]
    let latitudeColumn = "緯度"
    let longitudeColumn = "経度"
    let requiredColumns: Set<String> = ["ID", "名称", "緯度", "経度"]
    var defaultSource: DataSource {
        DataSource(
            id: "standard-open-data", title: "自治体標準オープンデータセット 指定緊急避難場所一覧",
            licence: "as published by the municipality (usually CC BY 4.0)",
            attribution: "出典：各自治体 指定緊急避難場所一覧")
    }

    func facility(from fields: RecordFields, position: GeoPoint, source: DataSource, row: Int) throws(FieldError)
        -> Facility
    {
        if let postalCode = fields.string("郵便番号"),
            !(postalCode.count == 7 && postalCode.allSatisfy(\.isASCII)
                && postalCode.allSatisfy(\.isNumber))
        {
            throw FieldError(field: "郵便番号", reason: "\"\(postalCode)\" is not seven digits without a hyphen")
        }
        return Facility(
            id: try fields.requiredString("ID"), kind: .emergencyEvacuationSite,
            name: try fields.requiredString("名称"), position: position, source: source,
            nameKana: fields.string("名称_カナ"), nameEnglish: fields.string("名称_英字"),
            address: Address(
                full: fields.string("所在地_連結表記"), prefecture: fields.string("所在地_都道府県"),
                municipality: fields.string("所在地_市区町村"), town: fields.string("所在地_町字"),
                blockNumber: fields.string("所在地_番地以下"), building: fields.string("建物名等(方書)"),
                postalCode: fields.string("郵便番号"), townID: fields.string("町字ID"),
                municipalityCode: try fields.governmentCode("所在地_全国地方公共団体コード")),
            capacity: try fields.integer("想定収容人数", range: 0...10_000_000),
            contact: Contact(
                phone: fields.string("電話番号"), phoneExtension: fields.string("内線番号"),
                email: fields.string("連絡先メールアドレス"), formURL: fields.string("連絡先FormURL"),
                remarks: fields.string("連絡先備考（その他、SNSなど）")),
            hazardSuitability: try HazardSuitability.read(from: fields, prefix: Self.hazardPrefix),
            alsoDesignatedOtherKind: try fields.flag("指定避難所との重複"),
            coveredDistricts: fields.string("対象となる町会・自治会").map {
                $0.split(separator: ";").map { String($0) }
            } ?? [],
            publication: Publication(
                publisherCode: try fields.governmentCode("全国地方公共団体コード"),
                designatorCode: try fields.governmentCode("市区町村コード"),
                designatorName: fields.string("地方公共団体名"), elevationMetres: try fields.decimal("標高"),
                url: fields.string("URL"), imageURL: fields.string("画像"), imageLicence: fields.string("画像_ライセンス"),
                remarks: fields.string("備考")))
    }

    func cells(of facility: Facility) -> [String: CellValue] {
        let address = facility.address
        let contact = facility.contact
        let publication = facility.publication
        var cells: [String: CellValue] = [
            "全国地方公共団体コード": .optionalText(publication.publisherCode?.rawValue),
            "ID": .text(facility.id),
            "名称": .text(facility.name),
            "名称_カナ": .optionalText(facility.nameKana),
            "名称_英字": .optionalText(facility.nameEnglish),
            "所在地_全国地方公共団体コード": .optionalText(address.municipalityCode?.rawValue),
            "町字ID": .optionalText(address.townID),
            "所在地_連結表記": .optionalText(address.full),
            "所在地_都道府県": .optionalText(address.prefecture),
            "所在地_市区町村": .optionalText(address.municipality),
            "所在地_町字": .optionalText(address.town),
            "所在地_番地以下": .optionalText(address.blockNumber),
            "建物名等(方書)": .optionalText(address.building),
            "緯度": .text(DecimalText.format(facility.position.latitude)),
            "経度": .text(DecimalText.format(facility.position.longitude)),
            "標高": .optionalText(publication.elevationMetres.map { DecimalText.format($0) }),
            "電話番号": .optionalText(contact.phone),
            "内線番号": .optionalText(contact.phoneExtension),
            "連絡先メールアドレス": .optionalText(contact.email),
            "連絡先FormURL": .optionalText(contact.formURL),
            "連絡先備考（その他、SNSなど）": .optionalText(contact.remarks),
            "郵便番号": .optionalText(address.postalCode),
            "市区町村コード": .optionalText(publication.designatorCode?.rawValue),
            "地方公共団体名": .optionalText(publication.designatorName),
            "指定避難所との重複": .flag(facility.alsoDesignatedOtherKind),
            "想定収容人数": .optionalText(facility.capacity.map(String.init)),
            "対象となる町会・自治会": .text(facility.coveredDistricts.joined(separator: ";")),
            "URL": .optionalText(publication.url),
            "画像": .optionalText(publication.imageURL),
            "画像_ライセンス": .optionalText(publication.imageLicence),
            "備考": .optionalText(publication.remarks),
        ]
        cells.merge((facility.hazardSuitability ?? []).cells(prefix: Self.hazardPrefix)) { $1 }
        return cells
    }
}
