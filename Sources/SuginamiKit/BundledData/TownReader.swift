import Foundation

/// Reads 町丁目 boundaries (GeoJSON with `code` and `town` properties) and joins the ward's
/// population table (町丁目, 総世帯数, 総人口, 総男, 総女, then 男/女 pairs by single year of age).
public enum TownReader {
    /// 出典 of the boundaries.
    public static let boundaryAttribution =
        "「令和2年国勢調査町丁・字等別境界データ」（総務省統計局）を加工して作成 / 出典：政府統計の総合窓口(e-Stat)"

    /// Builds towns from the two files; every town must appear in both, once.
    /// - Throws: `InputFileError` naming the file, the row or feature and the field.
    public static func towns(
        boundaries: Data, boundariesFile: String, population: Data, populationFile: String,
        encoding: TextEncoding = .automatic
    ) throws(InputFileError) -> [Town] {
        let people = try populationByName(population, file: populationFile, encoding: encoding)
        var towns: [Town] = []
        var seenCodes: [String: Int] = [:]
        var usedNames = Set<String>()
        for feature in try GeoJSON.features(in: boundaries, file: boundariesFile) {
            let location = InputFileError.Location.feature(feature.index)
            do throws(FieldError) {
                let fields = RecordFields(properties: feature.properties)
                let code = try fields.requiredString("code")
                guard code.count == 11, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw FieldError(field: "code", reason: "\"\(code)\" is not an 11-digit census code")
                }
                if let earlier = seenCodes[code] {
                    throw FieldError(field: "code", reason: "duplicate code \(code) (first used at feature \(earlier))")
                }
                seenCodes[code] = feature.index
                let name = try fields.requiredString("town")
                guard let entry = people[name] else {
                    throw FieldError(field: "town", reason: "\(name) has no row in \(populationFile)")
                }
                usedNames.insert(name)
                towns.append(
                    Town(
                        code: code, name: name, boundary: try GeoJSON.multiPolygon(feature.geometry),
                        households: entry.households, population: entry.profile))
            } catch {
                throw InputFileError(file: boundariesFile, location: location, field: error.field, reason: error.reason)
            }
        }
        if let missing = people.keys.sorted().first(where: { !usedNames.contains($0) }) {
            throw InputFileError(
                file: populationFile, location: .row(people[missing]!.row, line: people[missing]!.row + 1),
                field: "町丁目", reason: "\(missing) has no boundary in \(boundariesFile)")
        }
        return towns.sorted { $0.code < $1.code }
    }

    static func populationByName(_ data: Data, file: String, encoding: TextEncoding) throws(InputFileError)
        -> [String: (households: Int, profile: AgeProfile, row: Int)]
    {
        let table = try CSVTable(parsing: try encoding.decode(data, file: file), file: file)
        let fixed = ["町丁目", "総世帯数", "総人口", "総男", "総女"]
        let header = table.header
        guard header.count > fixed.count, Array(header.prefix(fixed.count)) == fixed,
            (header.count - fixed.count) % 2 == 0,
            header.dropFirst(fixed.count).enumerated().allSatisfy({ $0.element == ($0.offset % 2 == 0 ? "男" : "女") })
        else {
            throw InputFileError(
                file: file, location: .row(0, line: 1),
                reason: "header is not 町丁目,総世帯数,総人口,総男,総女 followed by 男,女 pairs by age")
        }
        var result: [String: (households: Int, profile: AgeProfile, row: Int)] = [:]
        for (offset, record) in table.records.enumerated() {
            let location = InputFileError.Location.row(offset + 1, line: table.lines[offset])
            func fail(_ field: String?, _ reason: String) -> InputFileError {
                InputFileError(file: file, location: location, field: field, reason: reason)
            }
            guard record.count == header.count else {
                throw fail(nil, "wrong column count: \(record.count) fields where the header has \(header.count)")
            }
            var numbers: [Int] = []
            for (index, text) in record.enumerated().dropFirst() {
                guard let value = Int(text), value >= 0 else {
                    throw fail(
                        header[index] + " (column \(index + 1))", "\"\(text)\" is not a non-negative whole number")
                }
                numbers.append(value)
            }
            let ages = Array(numbers.dropFirst(4))
            let men = stride(from: 0, to: ages.count, by: 2).map { ages[$0] }
            let women = stride(from: 1, to: ages.count, by: 2).map { ages[$0] }
            let profile = AgeProfile(men: men, women: women)
            guard profile.total == numbers[1] else {
                throw fail("総人口", "\(numbers[1]) differs from the sum of the age columns (\(profile.total))")
            }
            guard men.reduce(0, +) == numbers[2], women.reduce(0, +) == numbers[3] else {
                throw fail("総男", "totals by sex differ from the sums of the age columns")
            }
            let name = record[0]
            guard result[name] == nil else { throw fail("町丁目", "duplicate town \(name)") }
            result[name] = (numbers[0], profile, offset + 1)
        }
        return result
    }
}
