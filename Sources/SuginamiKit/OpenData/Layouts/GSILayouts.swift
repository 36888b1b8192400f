/// 出典 for GSI's shelter data (国土地理院コンテンツ利用規約).
extension DataSource {
    /// GSI 指定緊急避難場所データ.
    public static let gsiEmergencyEvacuationSites = DataSource(
        id: "gsi-emergency-evacuation-sites",
        title: "国土地理院 指定緊急避難場所データ",
        licence: "国土地理院コンテンツ利用規約 (CC BY 4.0 compatible)",
        attribution: "出典：国土地理院「指定緊急避難場所データ」")
    /// GSI 指定避難所データ.
    public static let gsiDesignatedShelters = DataSource(
        id: "gsi-designated-shelters",
        title: "国土地理院 指定避難所データ",
        licence: "国土地理院コンテンツ利用規約 (CC BY 4.0 compatible)",
        attribution: "出典：国土地理院「指定避難所データ」")
}

/// GSI 指定緊急避難場所 (17 CSV columns; the GeoJSON form has the same properties less 緯度/経度).
struct GSIEmergencySiteLayout: TabularLayout {
    let columns = [
        "NO", "共通ID", "都道府県名及び市町村名", "施設・場所名", "住所",
        "洪水", "崖崩れ、土石流及び地滑り", "高潮", "地震", "津波", "大規模な火事", "内水氾濫", "火山現象",
        "指定避難所との住所同一", "緯度", "経度", "備考",
    ]
    let latitudeColumn = "緯度"
    let longitudeColumn = "経度"
    let requiredColumns: Set<String> = ["共通ID", "施設・場所名", "緯度", "経度"]
    var defaultSource: DataSource { .gsiEmergencyEvacuationSites }

    func facility(from fields: RecordFields, position: GeoPoint, source: DataSource, row: Int) throws(FieldError)
        -> Facility
    {
        Facility(
            id: try fields.requiredString("共通ID"), kind: .emergencyEvacuationSite,
            name: try fields.requiredString("施設・場所名"), position: position, source: source,
            address: Address(full: fields.string("住所")),
            hazardSuitability: try HazardSuitability.read(from: fields, prefix: ""),
            alsoDesignatedOtherKind: try fields.flag("指定避難所との住所同一"),
            publication: Publication(
                designatorName: fields.string("都道府県名及び市町村名"),
                serialNumber: try fields.integer("NO", range: 0...Int.max),
                remarks: fields.string("備考")))
    }

    func cells(of facility: Facility) -> [String: CellValue] {
        var cells: [String: CellValue] = [
            "NO": facility.publication.serialNumber.map(CellValue.integer) ?? .null,
            "共通ID": .text(facility.id),
            "都道府県名及び市町村名": .optionalText(facility.publication.designatorName),
            "施設・場所名": .text(facility.name),
            "住所": .optionalText(facility.address.full),
            "指定避難所との住所同一": .flag(facility.alsoDesignatedOtherKind),
            "緯度": .text(DecimalText.format(facility.position.latitude)),
            "経度": .text(DecimalText.format(facility.position.longitude)),
            "備考": .optionalText(facility.publication.remarks),
        ]
        cells.merge((facility.hazardSuitability ?? []).cells(prefix: "")) { $1 }
        return cells
    }
}

/// GSI 指定避難所 (11 CSV columns; the GeoJSON form has the same properties less 緯度/経度).
struct GSIShelterLayout: TabularLayout {
    let columns = [
        "NO", "共通ID", "都道府県名及び市町村名", "施設・場所名", "住所", "指定緊急避難場所との住所同一",
        "その他市町村長が必要と認める事項", "受入対象者", "緯度", "経度", "備考",
    ]
    let latitudeColumn = "緯度"
    let longitudeColumn = "経度"
    let requiredColumns: Set<String> = ["共通ID", "施設・場所名", "緯度", "経度"]
    var defaultSource: DataSource { .gsiDesignatedShelters }

    func facility(from fields: RecordFields, position: GeoPoint, source: DataSource, row: Int) throws(FieldError)
        -> Facility
    {
        let accepted = fields.textKeepingEmpty("受入対象者")
        return Facility(
            id: try fields.requiredString("共通ID"), kind: .designatedShelter,
            name: try fields.requiredString("施設・場所名"), position: position, source: source,
            address: Address(full: fields.string("住所")),
            alsoDesignatedOtherKind: try fields.flag("指定緊急避難場所との住所同一"),
            isWelfareShelter: accepted.map { $0.contains("要配慮者") || $0.contains("福祉") } ?? false,
            acceptedGroups: accepted,
            publication: Publication(
                designatorName: fields.string("都道府県名及び市町村名"),
                serialNumber: try fields.integer("NO", range: 0...Int.max),
                otherNotes: fields.textKeepingEmpty("その他市町村長が必要と認める事項"), remarks: fields.string("備考")))
    }

    func cells(of facility: Facility) -> [String: CellValue] {
        [
            "NO": facility.publication.serialNumber.map(CellValue.integer) ?? .null,
            "共通ID": .text(facility.id),
            "都道府県名及び市町村名": .optionalText(facility.publication.designatorName),
            "施設・場所名": .text(facility.name),
            "住所": .optionalText(facility.address.full),
            "指定緊急避難場所との住所同一": .flag(facility.alsoDesignatedOtherKind),
            // GSI publishes these two as null or as "" (both occur); 備考 always as "".
            "その他市町村長が必要と認める事項": .optionalText(facility.publication.otherNotes, nullWhenAbsent: true),
            "受入対象者": .optionalText(facility.acceptedGroups, nullWhenAbsent: true),
            "緯度": .text(DecimalText.format(facility.position.latitude)),
            "経度": .text(DecimalText.format(facility.position.longitude)),
            "備考": .optionalText(facility.publication.remarks),
        ]
    }
}
