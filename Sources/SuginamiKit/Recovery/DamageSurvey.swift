import Foundation

/// 住家被害認定調査: one survey of one dwelling, as the surveyor recorded it, and the grade it
/// gives under the edition of the rules it was judged by.
///
/// The judgement follows the 運用指針's order: a dwelling seen to have collapsed (外観) is
/// 全壊 and the survey ends there; so is one whose ground floor leans 1/20 or more (傾斜);
/// otherwise each part's damaged share, weighted by the part's share of the dwelling, gives
/// the loss ratio (部位) and the loss ratio the grade.
public struct DamageSurvey: Sendable, Hashable, Codable, Identifiable {
    /// 調査票番号: the survey form's number, unique across the ward's surveys.
    public var id: String
    /// The dwelling surveyed (its building id in the store).
    public var buildingID: String
    /// Who surveyed it.
    public var surveyor: String
    /// When.
    public var surveyedAt: Date
    /// First or second survey.
    public var round: SurveyRound
    /// 外観: the whole dwelling, or a whole storey of it, is seen to have collapsed.
    public var collapsed: Bool
    /// 傾斜: the plumb-line measurement, when one was made.
    public var tilt: TiltMeasurement?
    /// 部位: each part's damaged share; parts not listed are undamaged.
    public var parts: [BuildingPart: Int]
    /// Photos taken, by file name in the survey's folder.
    public var photos: [String]

    /// A survey record; it is checked by ``judged(by:)``.
    public init(
        id: String, buildingID: String, surveyor: String, surveyedAt: Date, round: SurveyRound, collapsed: Bool = false,
        tilt: TiltMeasurement? = nil, parts: [BuildingPart: Int] = [:], photos: [String] = []
    ) {
        self.id = id
        self.buildingID = buildingID
        self.surveyor = surveyor
        self.surveyedAt = surveyedAt
        self.round = round
        self.collapsed = collapsed
        self.tilt = tilt
        self.parts = parts
        self.photos = photos
    }

    /// The grade this survey gives under `standard`, with the step that decided it.
    /// - Throws: ``DamageSurveyError`` for a part this round does not judge, a share outside
    ///   0…100 %, or a tilt that is not a measurement.
    public func judged(by standard: DamageAssessmentStandard) throws(DamageSurveyError) -> DamageJudgement {
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingID }
        guard !buildingID.isEmpty else { throw .missingBuilding }
        guard !surveyor.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingSurveyor }
        let weights = standard.partWeights[round] ?? [:]
        for (part, share) in parts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard weights[part] != nil else { throw .partNotJudged(part, round) }
            guard (0...100).contains(share) else { throw .shareOutOfRange(part, share) }
        }
        if let tilt { try tilt.check() }
        if collapsed {
            return DamageJudgement(grade: .destroyed, basis: .exterior, lossRatio: nil, edition: standard.edition)
        }
        if let tilt, tilt.reaches(oneIn: standard.tiltDenominator) {
            return DamageJudgement(grade: .destroyed, basis: .tilt, lossRatio: nil, edition: standard.edition)
        }
        // Weight in percent × share in percent = hundredths of a percent of the dwelling.
        let basisPoints = parts.reduce(0) { $0 + weights[$1.key]! * $1.value }
        let ratio = try LossRatio(basisPoints: basisPoints)
        return DamageJudgement(
            grade: standard.grade(for: ratio), basis: .parts, lossRatio: ratio, edition: standard.edition)
    }
}

/// 傾斜の測定: the horizontal offset of a plumb line at the four corners of the ground floor
/// (outer walls or corner pillars), over the line's length, in millimetres.
public struct TiltMeasurement: Sendable, Hashable, Codable {
    /// The offset at each of the four corners, millimetres.
    public var offsets: [Int]
    /// The plumb line's length, millimetres.
    public var plumbLength: Int

    /// A measurement.
    public init(offsets: [Int], plumbLength: Int) {
        self.offsets = offsets
        self.plumbLength = plumbLength
    }

    /// Whether the mean tilt is at least 1/`denominator`, compared in integers: mean(d) / h ≥
    /// 1/n exactly when n · Σd ≥ 4 · h.
    func reaches(oneIn denominator: Int) -> Bool {
        denominator * offsets.reduce(0, +) >= offsets.count * plumbLength
    }

    func check() throws(DamageSurveyError) {
        guard offsets.count == 4 else { throw .tiltNeedsFourCorners(offsets.count) }
        guard plumbLength > 0, plumbLength <= 10_000 else { throw .badPlumbLength(plumbLength) }
        if let bad = offsets.first(where: { !(0...plumbLength).contains($0) }) {
            throw .badTiltOffset(bad, plumbLength: plumbLength)
        }
    }
}

/// The grade a survey gives, and why.
public struct DamageJudgement: Sendable, Hashable, Codable {
    /// The grade.
    public var grade: HouseDamageGrade
    /// The step that decided it.
    public var basis: Basis
    /// The loss ratio, when the parts decided (a collapse or a tilt decides without one).
    public var lossRatio: LossRatio?
    /// The edition of the rules applied (``DamageAssessmentStandard/edition``).
    public var edition: String

    /// 判定の根拠.
    public enum Basis: String, Sendable, Hashable, Codable {
        /// 外観による判定: seen to have collapsed.
        case exterior
        /// 傾斜による判定: leans 1/20 or more.
        case tilt
        /// 部位による判定: the weighted damage of the parts.
        case parts
    }

    /// The judgement in a sentence for the record, e.g. `部位による判定: 損害割合 42.50 % → 大規模半壊（令和3年3月）`.
    public var japaneseSummary: String {
        switch basis {
        case .exterior: "外観による判定: 倒壊 → \(grade.japaneseName)（\(edition)）"
        case .tilt: "傾斜による判定: 1/20以上 → \(grade.japaneseName)（\(edition)）"
        case .parts:
            "部位による判定: 損害割合 \(lossRatio.map(\.description) ?? "-") → \(grade.japaneseName)（\(edition)）"
        }
    }
}

/// Why a survey record cannot be judged.
public enum DamageSurveyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No survey form number given.
    case missingID
    /// No building given.
    case missingBuilding
    /// No surveyor given.
    case missingSurveyor
    /// A part the round does not look at (the first survey judges only roof, exterior walls
    /// and foundation).
    case partNotJudged(BuildingPart, SurveyRound)
    /// A damaged share outside 0…100 %.
    case shareOutOfRange(BuildingPart, Int)
    /// A loss ratio outside 0…100 %.
    case lossRatioOutOfRange(Int)
    /// A tilt measured at other than four corners.
    case tiltNeedsFourCorners(Int)
    /// A plumb line that is not 1 mm to 10 m long.
    case badPlumbLength(Int)
    /// An offset below 0 or beyond the plumb line's length.
    case badTiltOffset(Int, plumbLength: Int)

    /// A sentence naming the field and the rule.
    public var description: String {
        switch self {
        case .missingID: "survey_id: missing"
        case .missingBuilding: "building: missing"
        case .missingSurveyor: "surveyor: missing"
        case .partNotJudged(let part, let round):
            "parts.\(part.rawValue): the \(round.rawValue) survey does not judge \(part.japaneseName)"
        case .shareOutOfRange(let part, let share):
            "parts.\(part.rawValue): \(share) % is not a damaged share (0–100 %)"
        case .lossRatioOutOfRange(let basisPoints):
            "loss ratio: \(Double(basisPoints) / 100) % is outside 0–100 %"
        case .tiltNeedsFourCorners(let count):
            "tilt.offsets: \(count) corners measured, the rule takes the four corners of the ground floor"
        case .badPlumbLength(let length): "tilt.plumb_length: \(length) mm is not a plumb line's length (1–10,000 mm)"
        case .badTiltOffset(let offset, let length):
            "tilt.offsets: \(offset) mm is outside 0–\(length) mm (the plumb line's length)"
        }
    }
}
