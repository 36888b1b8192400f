/// 住家の被害の程度: the grade a damage survey gives a dwelling, which the り災証明書 certifies
/// and support is paid by.
///
/// The six grades of the Cabinet Office's 「災害に係る住家の被害認定基準運用指針」 (see
/// ``DamageAssessmentStandard`` for the edition and the loss ratios that separate them),
/// ordered from the least to the most severe.
public enum HouseDamageGrade: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    /// 準半壊に至らない（一部損壊）: loss ratio under 10 %.
    case partlyDamaged = "partly_damaged"
    /// 準半壊: 10 % to under 20 %.
    case quasiHalfDestroyed = "quasi_half_destroyed"
    /// 半壊: 20 % to under 30 %; badly damaged but usable again once repaired.
    case halfDestroyed = "half_destroyed"
    /// 中規模半壊: 30 % to under 40 %; repairs include most of a room's walls, floor or ceiling.
    case mediumScaleHalfDestroyed = "medium_scale_half_destroyed"
    /// 大規模半壊: 40 % to under 50 %; repairs include main structural parts.
    case largeScaleHalfDestroyed = "large_scale_half_destroyed"
    /// 全壊: 50 % or more, or collapsed, or tilted 1/20 or more; cannot be lived in as it was.
    case destroyed

    /// The grade's name as the certificate prints it.
    public var japaneseName: String {
        switch self {
        case .partlyDamaged: "準半壊に至らない（一部損壊）"
        case .quasiHalfDestroyed: "準半壊"
        case .halfDestroyed: "半壊"
        case .mediumScaleHalfDestroyed: "中規模半壊"
        case .largeScaleHalfDestroyed: "大規模半壊"
        case .destroyed: "全壊"
        }
    }

    /// Less severe first.
    public static func < (left: Self, right: Self) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }
}

/// 損害割合: the economic damage of a dwelling's main parts as a share of the whole, in
/// hundredths of a percent, so that the grade boundaries (50 %, 40 % …) are compared exactly.
public struct LossRatio: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Hundredths of a percent: 5,000 is 50 %.
    public let basisPoints: Int

    /// A ratio of `basisPoints` hundredths of a percent (0…10,000).
    /// - Throws: ``DamageSurveyError/lossRatioOutOfRange(_:)`` outside 0…10,000.
    public init(basisPoints: Int) throws(DamageSurveyError) {
        guard (0...10_000).contains(basisPoints) else { throw .lossRatioOutOfRange(basisPoints) }
        self.basisPoints = basisPoints
    }

    /// Compared by size.
    public static func < (left: Self, right: Self) -> Bool { left.basisPoints < right.basisPoints }

    /// `49.99 %`.
    public var description: String {
        let fraction = basisPoints % 100
        return "\(basisPoints / 100).\(fraction < 10 ? "0" : "")\(fraction) %"
    }
}
