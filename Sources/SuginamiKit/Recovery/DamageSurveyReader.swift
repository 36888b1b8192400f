import Foundation

/// Reads damage surveys (住家被害認定調査) as the survey teams hand them in, from CSV in UTF-8
/// or Shift_JIS, and judges each by a ``DamageAssessmentStandard``.
///
/// Columns: `survey_id` (調査票番号), `building_id`, `surveyor`, `surveyed_at` (ISO 8601 with
/// the offset, e.g. `2027-04-10T10:00:00+09:00`), `round` (`first` or `second`) are required;
/// `collapsed` (`1` or empty), `tilt_offsets` (four millimetre offsets, `;`-separated) with
/// `plumb_length` (mm), `parts` (`roof=20;foundation=10`, damaged share in percent per part)
/// and `photos` (`;`-separated file names) are optional. A survey the standard cannot judge (a
/// part the round does not look at, a share over 100 %) is a bad row, named as any other.
public enum DamageSurveyReader {
    /// Every column.
    public static let columns = [
        "survey_id", "building_id", "surveyor", "surveyed_at", "round", "collapsed", "tilt_offsets", "plumb_length",
        "parts", "photos",
    ]
    static let required: Set<String> = ["survey_id", "building_id", "surveyor", "surveyed_at", "round"]

    /// Reads and judges the surveys of a file's bytes.
    /// - Throws: ``InputFileError`` for the first bad row (unless skipped), a bad header or
    ///   encoding.
    public static func read(
        _ data: Data, file: String, standard: DamageAssessmentStandard, options: ImportOptions = ImportOptions()
    ) throws(InputFileError) -> ImportResult<JudgedSurvey> {
        let table = try CSVTable(parsing: try options.encoding.decode(data, file: file), file: file)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkCSVHeader(header, columns: columns, required: required, file: file, layoutName: "the surveys")
        var collector = ImportCollector<JudgedSurvey>(file: file, options: options)
        try collector.collectRows(of: table, header: header) { fields, _ throws(FieldError) in
            let survey = try Self.survey(from: fields)
            do throws(DamageSurveyError) {
                return JudgedSurvey(survey: survey, judgement: try survey.judged(by: standard))
            } catch {
                throw FieldError(field: Self.field(of: error), reason: error.description)
            }
        }
        return collector.result
    }

    static func survey(from fields: RecordFields) throws(FieldError) -> DamageSurvey {
        let time = try fields.requiredString("surveyed_at").trimmingCharacters(in: .whitespaces)
        guard let surveyedAt = try? Date(time, strategy: .iso8601) else {
            throw FieldError(
                field: "surveyed_at", reason: "\"\(time)\" is not an ISO 8601 time (2027-04-10T10:00:00+09:00)")
        }
        let roundText = try fields.requiredString("round").trimmingCharacters(in: .whitespaces)
        guard let round = SurveyRound(rawValue: roundText) else {
            throw FieldError(field: "round", reason: "\"\(roundText)\" is neither first nor second")
        }
        var tilt: TiltMeasurement?
        if let offsets = fields.string("tilt_offsets") {
            var values: [Int] = []
            for part in offsets.split(separator: ";") {
                guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw FieldError(field: "tilt_offsets", reason: "\"\(part)\" is not a whole number of millimetres")
                }
                values.append(value)
            }
            guard let length = try fields.integer("plumb_length") else {
                throw FieldError(field: "plumb_length", reason: "is required with tilt_offsets")
            }
            tilt = TiltMeasurement(offsets: values, plumbLength: length)
        } else if fields.string("plumb_length") != nil {
            throw FieldError(field: "tilt_offsets", reason: "is required with plumb_length")
        }
        var parts: [BuildingPart: Int] = [:]
        for entry in (fields.string("parts") ?? "").split(separator: ";") {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let part = BuildingPart(rawValue: pair[0]), let share = Int(pair[1]) else {
                throw FieldError(
                    field: "parts",
                    reason: "\"\(entry)\" is not PART=PERCENT with a part of "
                        + BuildingPart.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard parts.updateValue(share, forKey: part) == nil else {
                throw FieldError(field: "parts", reason: "\(part.rawValue) is given twice")
            }
        }
        return DamageSurvey(
            id: try fields.requiredString("survey_id").trimmingCharacters(in: .whitespaces),
            buildingID: try fields.requiredString("building_id").trimmingCharacters(in: .whitespaces),
            surveyor: try fields.requiredString("surveyor"), surveyedAt: surveyedAt, round: round,
            collapsed: try fields.flag("collapsed"), tilt: tilt, parts: parts,
            photos: (fields.string("photos") ?? "").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            })
    }

    /// The column a judgement's refusal is about.
    static func field(of error: DamageSurveyError) -> String {
        switch error {
        case .missingID: "survey_id"
        case .missingBuilding: "building_id"
        case .missingSurveyor: "surveyor"
        case .partNotJudged, .shareOutOfRange, .lossRatioOutOfRange: "parts"
        case .tiltNeedsFourCorners, .badTiltOffset: "tilt_offsets"
        case .badPlumbLength: "plumb_length"
        }
    }
}

/// A survey with the judgement it gave.
public struct JudgedSurvey: Sendable, Hashable, Codable, Identifiable {
    /// The survey as recorded.
    public var survey: DamageSurvey
    /// Its grade and why.
    public var judgement: DamageJudgement

    /// A survey and its judgement.
    public init(survey: DamageSurvey, judgement: DamageJudgement) {
        self.survey = survey
        self.judgement = judgement
    }

    /// The survey's form number.
    public var id: String { survey.id }
}

extension JudgedSurvey: ValidatableRecord {
    package func validationProblems() -> [FieldProblem] {
        let photos = survey.photos.filter { $0.isEmpty || $0.contains("/") || $0.hasPrefix(".") }
        return photos.isEmpty
            ? [] : [FieldProblem(field: "photos", reason: "\"\(photos[0])\" is not a file name in the survey's folder")]
    }
}
