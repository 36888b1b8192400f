import Foundation

/// 世帯: a household as the 住民基本台帳 lists it, and the dwelling it lives in. The unit a
/// り災証明書 is issued to and the 被災者台帳 keeps a record for.
///
/// Its head's name and the address are personal data: the store keeps a household sealed
/// (``PersonalDataKey``), as it keeps the roster of people who need help.
public struct Household: Sendable, Hashable, Codable, Identifiable {
    /// 世帯番号.
    public var id: String
    /// 世帯主氏名.
    public var head: String
    /// 住所: the dwelling's address as the certificate prints it.
    public var address: String
    /// The dwelling: its building id in the store.
    public var buildingID: String
    /// 世帯人数.
    public var members: Int
    /// A member on the roster of people who need help (避難行動要支援者名簿), whose safety
    /// check the register shows; `nil` for none.
    public var personID: String?

    /// A household.
    public init(id: String, head: String, address: String, buildingID: String, members: Int, personID: String? = nil) {
        self.id = id
        self.head = head
        self.address = address
        self.buildingID = buildingID
        self.members = members
        self.personID = personID
    }

    /// The household as a certificate prints it.
    public var certified: DisasterCertificate.CertifiedHousehold {
        .init(head: head, address: address, buildingID: buildingID)
    }
}

extension Household: ValidatableRecord {
    package func validationProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for (field, value) in [
            ("household_id", id), ("head", head), ("address", address), ("building_id", buildingID),
        ] where value.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: field, reason: "is required but empty"))
        }
        if !(1...99).contains(members) {
            problems.append(FieldProblem(field: "members", reason: "\(members) is not a household's size (1–99)"))
        }
        return problems
    }
}

/// Reads the households of the ward (from the 住民基本台帳 extract) from CSV, in UTF-8 or
/// Shift_JIS.
///
/// Columns: `household_id`, `head`, `address`, `building_id`, `members` are required;
/// `person_id` (a member on the roster of people who need help) is optional. As every import:
/// all or nothing by default, every error naming the file, row, column and reason.
public enum HouseholdReader {
    /// Every column.
    public static let columns = ["household_id", "head", "address", "building_id", "members", "person_id"]
    static let required: Set<String> = ["household_id", "head", "address", "building_id", "members"]

    /// Reads households from a file's bytes.
    /// - Throws: ``InputFileError`` for the first bad row (unless skipped), a bad header or
    ///   encoding.
    public static func read(_ data: Data, file: String, options: ImportOptions = ImportOptions())
        throws(InputFileError) -> ImportResult<Household>
    {
        let table = try CSVTable(parsing: try options.encoding.decode(data, file: file), file: file)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkCSVHeader(header, columns: columns, required: required, file: file, layoutName: "the households")
        var collector = ImportCollector<Household>(file: file, options: options)
        try collector.collectRows(of: table, header: header) { fields, _ throws(FieldError) in
            Household(
                id: try fields.requiredString("household_id").trimmingCharacters(in: .whitespaces),
                head: try fields.requiredString("head"), address: try fields.requiredString("address"),
                buildingID: try fields.requiredString("building_id").trimmingCharacters(in: .whitespaces),
                members: try fields.integer("members", range: 1...99) ?? 0,
                personID: fields.string("person_id")?.trimmingCharacters(in: .whitespaces))
        }
        return collector.result
    }
}
