/// Damage states of the Japanese damage certificate (り災証明) and of the official estimates.
/// Each state is "this or worse": P(半壊) ≥ P(大規模半壊) ≥ P(全壊).
public enum DamageState: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// 半壊 or worse.
    case halfCollapse = "half"
    /// 大規模半壊 or worse.
    case largeScaleHalfCollapse = "large_half"
    /// 全壊.
    case collapse

    /// The Japanese name.
    public var japaneseName: String {
        switch self {
        case .halfCollapse: "半壊"
        case .largeScaleHalfCollapse: "大規模半壊"
        case .collapse: "全壊"
        }
    }

    /// Less severe first.
    public static func < (lhs: DamageState, rhs: DamageState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
