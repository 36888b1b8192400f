/// One edition of the rules a damage survey (住家被害認定調査) is judged by: the loss ratios
/// that separate the grades, the tilt that makes a dwelling 全壊 on its own, and each part's
/// weight in the loss ratio.
///
/// A survey keeps the edition it was judged by, and an issued grade is never judged again by a
/// newer one: a 再調査 is a new survey.
public struct DamageAssessmentStandard: Sendable, Hashable, Codable {
    /// The edition, e.g. `令和3年3月`.
    public let edition: String
    /// Where the figures come from, with how far each was checked.
    public let sources: [String]
    /// The lowest loss ratio of each grade above ``HouseDamageGrade/partlyDamaged``, in
    /// basis points, from 準半壊 up to 全壊.
    public let lowerBounds: [HouseDamageGrade: Int]
    /// A mean tilt of at least `1 / tiltDenominator` (measured with a plumb line at the four
    /// corners of the ground floor) makes a dwelling 全壊 without judging its parts.
    public let tiltDenominator: Int
    /// Each part's weight in percent, by survey round (木造・プレハブ).
    public let partWeights: [SurveyRound: [BuildingPart: Int]]

    /// The loss-ratio grades of the 令和3年 revision of the 運用指針 (six grades, 中規模半壊 and
    /// 準半壊 included), the 1/20 tilt rule, and the part weights of wooden and prefabricated
    /// dwellings.
    ///
    /// The grade boundaries are the Cabinet Office's, as the Tokyo Metropolitan Government
    /// publishes them (PRIMARY) and Ibaraki prefecture repeats them. The tilt rule is from the
    /// 地震編 text of the 運用指針 (a SECONDARY mirror). The part weights are from a municipal Q&A
    /// written before 2020 (SECONDARY): the weights have not changed with the grades there, but
    /// check them against the current 指針 before a real survey.
    public static let reiwa3 = DamageAssessmentStandard(
        edition: "令和3年3月",
        sources: [
            "内閣府「災害に係る住家の被害認定基準運用指針」令和3年3月改定: 損害割合による区分 (東京都総務局総合防災部「住家の被害認定」, PRIMARY; 茨城県「被災者支援制度」, SECONDARY)",
            "同 地震編: 傾斜による判定、1/20以上で全壊 (運用指針本文の写し, SECONDARY)",
            "木造・プレハブの部位別構成比 (第1次: 屋根15・外壁75・基礎10; 第2次: 屋根15・柱15・床10・外壁10・内壁15・天井5・建具10・設備10・基礎10) (被害認定調査Q&A, SECONDARY, 令和2年以前)",
        ],
        lowerBounds: [
            .quasiHalfDestroyed: 1_000, .halfDestroyed: 2_000, .mediumScaleHalfDestroyed: 3_000,
            .largeScaleHalfDestroyed: 4_000, .destroyed: 5_000,
        ],
        tiltDenominator: 20,
        partWeights: [
            .first: [.roof: 15, .exteriorWalls: 75, .foundation: 10],
            .second: [
                .roof: 15, .pillars: 15, .floors: 10, .exteriorWalls: 10, .interiorWalls: 15, .ceilings: 5,
                .fittings: 10, .services: 10, .foundation: 10,
            ],
        ])

    /// The grade of a dwelling with `lossRatio`: the most severe whose lower bound it reaches.
    public func grade(for lossRatio: LossRatio) -> HouseDamageGrade {
        HouseDamageGrade.allCases.last { grade in
            lowerBounds[grade].map { lossRatio.basisPoints >= $0 } ?? true
        } ?? .partlyDamaged
    }
}

/// 調査の回: which survey judged the dwelling, which decides the parts it looks at.
public enum SurveyRound: String, Sendable, Hashable, Codable, CaseIterable {
    /// 第1次調査: from outside (roof, exterior walls, foundation).
    case first
    /// 第2次調査: inside too (nine parts); also a 再調査 asked for after a certificate.
    case second
}

/// 部位: a part of a dwelling a survey judges.
public enum BuildingPart: String, Sendable, Hashable, Codable, CaseIterable {
    /// 屋根.
    case roof
    /// 柱.
    case pillars
    /// 床（階段を含む）.
    case floors
    /// 外壁.
    case exteriorWalls = "exterior_walls"
    /// 内壁.
    case interiorWalls = "interior_walls"
    /// 天井.
    case ceilings
    /// 建具.
    case fittings
    /// 設備.
    case services
    /// 基礎.
    case foundation

    /// The part's name on the survey form.
    public var japaneseName: String {
        switch self {
        case .roof: "屋根"
        case .pillars: "柱"
        case .floors: "床（階段を含む）"
        case .exteriorWalls: "外壁"
        case .interiorWalls: "内壁"
        case .ceilings: "天井"
        case .fittings: "建具"
        case .services: "設備"
        case .foundation: "基礎"
        }
    }
}
