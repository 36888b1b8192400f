import Foundation

/// Reads the ward's own lists (relief centres, capacities, wide-area sites, water stations,
/// hospitals) and joins them to the GSI records by name.
struct BundledFacilityReader {
    typealias Table = (table: CSVTable, file: String)
    let capacityTable: Table
    let reliefCentreTable: Table
    let wideAreaTable: Table
    let waterStationTable: Table
    let hospitalTable: Table

    static let suginamiOpenData = DataSource(
        id: "suginami-open-data", title: "杉並区オープンデータ (via shoreless/suginami-town-api)", licence: "CC BY 4.0",
        attribution: "出典：杉並区オープンデータ")
    static let suginamiWardPages = DataSource(
        id: "suginami-ward-pages", title: "杉並区ウェブサイト 施設案内 (via shoreless/suginami-town-api)",
        licence: "杉並区ウェブサイト利用規約", attribution: "出典：杉並区ウェブサイト")
    static let reliefCentreList = DataSource(
        id: "suginami-relief-centres", title: "杉並区 震災救援所一覧 (names), positions from 国土地理院 指定避難所データ",
        licence: "杉並区 publication; positions 国土地理院コンテンツ利用規約",
        attribution: "出典：杉並区「震災救援所一覧」、国土地理院「指定避難所データ」")
    static let waterworks = DataSource(
        id: "tokyo-waterworks", title: "東京都水道局 災害時給水ステーション (via shoreless/suginami-town-api)",
        licence: "CC BY 4.0", attribution: "出典：東京都水道局")

    /// Names of the welfare facilities among the GSI 指定避難所 (PROVENANCE.md, checked by hand:
    /// the GSI file itself has no welfare flag).
    static let welfareShelterNames: Set<String> = ["すぎのき生活園", "なのはな生活園", "こども発達センター", "済美養護学校", "こすもす生活園"]

    /// Runs `body` over every record as named fields, turning field errors into file/row errors.
    static func eachRecord(
        _ input: Table, columns: [String], _ body: (RecordFields, Int) throws(FieldError) -> Void
    ) throws(InputFileError) {
        guard input.table.header == columns else {
            throw InputFileError(
                file: input.file, location: .row(0, line: 1), reason: "header is not \(columns.joined(separator: ","))")
        }
        for (offset, record) in input.table.records.enumerated() {
            let location = InputFileError.Location.row(offset + 1, line: input.table.lines[offset])
            guard record.count == columns.count else {
                throw InputFileError(
                    file: input.file, location: location,
                    reason: "wrong column count: \(record.count) fields where the header has \(columns.count)")
            }
            do throws(FieldError) {
                try body(RecordFields(header: columns, record: record), offset + 1)
            } catch {
                throw InputFileError(file: input.file, location: location, field: error.field, reason: error.reason)
            }
        }
    }

    /// Capacities by site name, from the ward's open data.
    func capacityByName() throws(InputFileError) -> [String: Int] {
        var result: [String: Int] = [:]
        try Self.eachRecord(capacityTable, columns: ["id", "name", "lat", "lon", "address", "hazards", "capacity"]) {
            fields, _ throws(FieldError) in
            let name = try fields.requiredString("name")
            if let capacity = try fields.integer("capacity", range: 0...1_000_000) { result[name] = capacity }
        }
        return result
    }

    func withCapacities(_ sites: [Facility]) throws(InputFileError) -> [Facility] {
        let capacities = try capacityByName()
        return sites.map { site in
            var site = site
            site.capacity = capacities[site.name]
            return site
        }
    }

    static func markingWelfareShelters(_ shelters: [Facility]) -> [Facility] {
        shelters.map { shelter in
            var shelter = shelter
            shelter.isWelfareShelter = shelter.isWelfareShelter || welfareShelterNames.contains(shelter.name)
            return shelter
        }
    }

    /// The 65 震災救援所: named by the ward's list, placed at their GSI 指定避難所 position, with
    /// the capacity the ward publishes for the same school.
    func reliefCentres(matching shelters: [Facility], capacitiesFrom sites: [Facility]) throws(InputFileError)
        -> [Facility]
    {
        let shelterByName = Dictionary(shelters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let capacityByName = Dictionary(
            sites.compactMap { site in site.capacity.map { (site.name, $0) } }, uniquingKeysWith: { first, _ in first })
        var result: [Facility] = []
        try Self.eachRecord(reliefCentreTable, columns: ["施設名", "所在地"]) { fields, _ throws(FieldError) in
            let listed = try fields.requiredString("施設名")
            let name = listed.replacingOccurrences(of: "（震災救援所）", with: "")
            guard let shelter = shelterByName["杉並区立" + name] ?? shelterByName[name] else {
                throw FieldError(field: "施設名", reason: "\(name) matches no GSI 指定避難所 by name")
            }
            result.append(
                Facility(
                    id: "RC-" + shelter.id, kind: .reliefCentre, name: name, position: shelter.position,
                    source: Self.reliefCentreList, address: Address(full: try fields.requiredString("所在地")),
                    capacity: capacityByName[name], hazardSuitability: nil, alsoDesignatedOtherKind: true,
                    publication: Publication(designatorCode: .suginami, designatorName: "東京都杉並区")))
        }
        return result
    }

    func wideAreaSites() throws(InputFileError) -> [Facility] {
        var result: [Facility] = []
        try Self.eachRecord(wideAreaTable, columns: ["name_ja", "name_en", "covers", "lat", "lon", "source"]) {
            fields, row throws(FieldError) in
            result.append(
                Facility(
                    id: String(format: "WA-%02d", row), kind: .wideAreaEvacuationSite,
                    name: try fields.requiredString("name_ja"),
                    position: try fields.position(latitude: "lat", longitude: "lon"),
                    source: Self.suginamiWardPages, nameEnglish: fields.string("name_en"),
                    hazardSuitability: .largeFire,
                    coveredDistricts: (fields.string("covers") ?? "").split(separator: "、").map(String.init),
                    publication: Publication(url: fields.string("source"))))
        }
        return result
    }

    func waterStations() throws(InputFileError) -> [Facility] {
        var result: [Facility] = []
        try Self.eachRecord(waterStationTable, columns: ["name", "lat", "lon", "litres", "note_ja"]) {
            fields, row throws(FieldError) in
            guard let litres = try fields.integer("litres", range: 0...Int.max) else {
                throw FieldError(field: "litres", reason: "is required but empty")
            }
            result.append(
                Facility(
                    id: String(format: "WS-%02d", row), kind: .waterStation, name: try fields.requiredString("name"),
                    position: try fields.position(latitude: "lat", longitude: "lon"), source: Self.waterworks,
                    storedWaterLitres: litres, publication: Publication(remarks: fields.string("note_ja"))))
        }
        return result
    }

    func hospitals() throws(InputFileError) -> [Facility] {
        var result: [Facility] = []
        try Self.eachRecord(
            hospitalTable, columns: ["name_ja", "name_en", "role_ja", "role_en", "lat", "lon", "source"]
        ) {
            fields, row throws(FieldError) in
            let roleName = try fields.requiredString("role_ja")
            guard let role = DisasterHospitalRole(japaneseName: roleName) else {
                throw FieldError(field: "role_ja", reason: "unknown hospital role \"\(roleName)\"")
            }
            result.append(
                Facility(
                    id: String(format: "DH-%02d", row), kind: .disasterHospital,
                    name: try fields.requiredString("name_ja"),
                    position: try fields.position(latitude: "lat", longitude: "lon"), source: Self.suginamiWardPages,
                    nameEnglish: fields.string("name_en"), hospitalRole: role,
                    publication: Publication(url: fields.string("source"))))
        }
        return result
    }
}
