import Foundation

/// Reads the ward's roster of people who need help to evacuate (避難行動要支援者名簿) from CSV,
/// in UTF-8 or Shift_JIS.
///
/// Columns (header names as given; order free): `person_id`, `name`, `kana`, `address`,
/// `longitude`, `latitude`, `date_of_birth` (`YYYY-MM-DD`), `needs` (codes such as
/// `wheelchair` or labels such as `車いす`, separated by `;`), `consent` (`consented`,
/// `refused`, `no_answer`, `presumed`, or 同意, 不同意, 未回答, 推定同意) are required; `phone`,
/// `supporter_names` and `supporter_phones` (`;`-separated, one phone per name, empty allowed),
/// and `relief_centre_id` are optional. As every import: all or nothing by default, and every
/// error names the file, row, column and reason.
public enum SupportRosterReader {
    /// Every column the roster has.
    public static let columns = [
        "person_id", "name", "kana", "address", "longitude", "latitude", "date_of_birth", "needs", "phone",
        "supporter_names", "supporter_phones", "consent", "relief_centre_id",
    ]
    static let required: Set<String> = [
        "person_id", "name", "kana", "address", "longitude", "latitude", "date_of_birth", "needs", "consent",
    ]

    /// Reads a roster from a file's bytes.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error messages.
    ///   - options: encoding, and whether bad rows are skipped (listed) instead of failing.
    /// - Throws: ``InputFileError`` for the first bad row (unless skipped), a bad header or
    ///   encoding.
    public static func read(_ data: Data, file: String, options: ImportOptions = ImportOptions())
        throws(InputFileError) -> ImportResult<PersonNeedingSupport>
    {
        let table = try CSVTable(parsing: try options.encoding.decode(data, file: file), file: file)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkCSVHeader(header, columns: columns, required: required, file: file, layoutName: "the roster")
        var collector = ImportCollector<PersonNeedingSupport>(file: file, options: options)
        try collector.collectRows(of: table, header: header) { fields, _ throws(FieldError) in
            try person(from: fields)
        }
        return collector.result
    }

    static func person(from fields: RecordFields) throws(FieldError) -> PersonNeedingSupport {
        let position = try fields.position(latitude: "latitude", longitude: "longitude")
        // Japan lies within 20–46 °N and 122–154 °E: outside, the columns are likely swapped.
        guard (20...46).contains(position.latitude), (122...154).contains(position.longitude) else {
            throw FieldError(
                field: "latitude",
                reason: "\(position.latitude),\(position.longitude) is not in Japan (latitude, longitude swapped?)")
        }
        let birth = try fields.requiredString("date_of_birth")
        let dateOfBirth: CalendarDay
        do {
            dateOfBirth = try CalendarDay(iso: birth)
        } catch {
            throw FieldError(field: "date_of_birth", reason: error.description)
        }
        var needs = Set<SupportNeed>()
        for label in try fields.requiredString("needs").split(separator: ";") {
            guard let need = SupportNeed(label: String(label)) else {
                throw FieldError(
                    field: "needs",
                    reason:
                        "\"\(label)\" is not a need (\(SupportNeed.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            needs.insert(need)
        }
        let consentText = try fields.requiredString("consent").trimmingCharacters(in: .whitespaces)
        let japanese: [String: SharingConsent] = [
            "同意": .consented, "不同意": .refused, "未回答": .noAnswer, "推定同意": .presumed,
        ]
        guard let consent = SharingConsent(rawValue: consentText) ?? japanese[consentText] else {
            throw FieldError(
                field: "consent", reason: "\"\(consentText)\" is not consented, refused, no_answer or presumed")
        }
        let names = fields.string("supporter_names").map(Self.list) ?? []
        let phones = fields.string("supporter_phones").map(Self.list) ?? []
        guard phones.isEmpty || phones.count == names.count else {
            throw FieldError(
                field: "supporter_phones", reason: "\(phones.count) phones for \(names.count) supporters (one each)")
        }
        return PersonNeedingSupport(
            id: try fields.requiredString("person_id").trimmingCharacters(in: .whitespaces),
            name: try fields.requiredString("name"), kana: try fields.requiredString("kana"),
            address: try fields.requiredString("address"), position: position, dateOfBirth: dateOfBirth,
            needs: needs, phone: fields.string("phone"),
            supporters: names.enumerated().map { index, name in
                PersonNeedingSupport.Supporter(
                    name: name, phone: phones.isEmpty || phones[index].isEmpty ? nil : phones[index])
            },
            consent: consent, reliefCentreID: fields.string("relief_centre_id"))
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }
}

extension PersonNeedingSupport: ValidatableRecord {
    package func validationProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        // Kana readings: hiragana, katakana, the long-vowel mark, middle dot and spaces.
        let kanaScalars = kana.unicodeScalars.allSatisfy {
            (0x3041...0x309F).contains($0.value) || (0x30A0...0x30FF).contains($0.value) || $0 == " " || $0 == "　"
        }
        if !kanaScalars { problems.append(FieldProblem(field: "kana", reason: "\"\(kana)\" is not written in kana")) }
        let phonePattern = /[0-9+\-() ]{6,20}/
        if let phone, phone.wholeMatch(of: phonePattern) == nil {
            problems.append(FieldProblem(field: "phone", reason: "\"\(phone)\" is not a phone number"))
        }
        for supporter in supporters {
            if supporter.name.isEmpty {
                problems.append(FieldProblem(field: "supporter_names", reason: "a supporter has no name"))
            }
            if let phone = supporter.phone, phone.wholeMatch(of: phonePattern) == nil {
                problems.append(FieldProblem(field: "supporter_phones", reason: "\"\(phone)\" is not a phone number"))
            }
        }
        if needs.isEmpty { problems.append(FieldProblem(field: "needs", reason: "is required but empty")) }
        return problems
    }
}
