/// 建物内滞留率: the people in wooden and in non-wooden buildings at the hour of the event,
/// relative to 5 a.m. TMG (2022, p. 6-30) scales its collapse deaths by it, so that the same
/// collapses kill fewer people at noon, when many are out at work or school.
///
/// TMG's own ratios by hour were not found. The defaults at 10–15 h and at 18 h are DERIVED from
/// the published 総括表 of TMG's 多摩直下地震 estimate (``Derivation``); 5 h is 1 by definition; for
/// any other hour none is known, and the 5 a.m. occupancy stands in (said in the run's provenance
/// and summary), unless the ratios are given.
public struct Occupancy: Sendable, Hashable {
    /// Where the ratios come from.
    public enum Basis: String, Sendable, Hashable {
        /// 5 a.m., 1 by TMG's definition of the ratio.
        case definition
        /// DERIVED from published totals (``Derivation``).
        case derived
        /// No ratio is known for the hour: the 5 a.m. occupancy stands in.
        case fiveAMStandIn = "five-am-stand-in"
        /// Given for the run.
        case given
    }

    /// People in wooden buildings at the hour ÷ at 5 a.m.
    public let wooden: Double
    /// People in non-wooden buildings at the hour ÷ at 5 a.m.
    public let nonWooden: Double
    /// The hour, 0–23.
    public let hour: Int
    /// Where the ratios come from.
    public let basis: Basis

    /// The ratios a run accepts when they are given: up to 10 (a district of offices may hold
    /// several times its night-time population at noon).
    public static let acceptedRange = 0.0...10.0

    /// The 5 a.m. occupancy (both ratios 1).
    public static let fiveAM = Occupancy(wooden: 1, nonWooden: 1, hour: 5, basis: .definition)

    private init(wooden: Double, nonWooden: Double, hour: Int, basis: Basis) {
        self.wooden = wooden
        self.nonWooden = nonWooden
        self.hour = hour
        self.basis = basis
    }

    /// The default for an hour: 1 at 5 h, the DERIVED midday ratio at 10–15 h, and the 5 a.m.
    /// occupancy standing in at any other hour.
    /// - Throws: ``SimulationError/parameter(_:)`` for an hour outside 0–23.
    public static func `default`(hour: Int) throws(SimulationError) -> Occupancy {
        guard (0...23).contains(hour) else { throw .parameter("hour \(hour) is outside 0–23") }
        switch hour {
        case 5: return Occupancy(wooden: 1, nonWooden: 1, hour: 5, basis: .definition)
        case Derivation.middayHours:
            return Occupancy(wooden: Derivation.midday, nonWooden: Derivation.midday, hour: hour, basis: .derived)
        case 18:
            return Occupancy(wooden: Derivation.evening, nonWooden: Derivation.evening, hour: hour, basis: .derived)
        default: return Occupancy(wooden: 1, nonWooden: 1, hour: hour, basis: .fiveAMStandIn)
        }
    }

    /// Ratios given for a run.
    /// - Throws: ``SimulationError/parameter(_:)`` for an hour outside 0–23 or a ratio outside
    ///   ``acceptedRange``.
    public static func given(wooden: Double, nonWooden: Double, hour: Int) throws(SimulationError) -> Occupancy {
        guard (0...23).contains(hour) else { throw .parameter("hour \(hour) is outside 0–23") }
        for (name, value) in [("wooden", wooden), ("non-wooden", nonWooden)] where !acceptedRange.contains(value) {
            throw .parameter("the \(name) occupancy ratio \(value) is outside 0–10")
        }
        return Occupancy(wooden: wooden, nonWooden: nonWooden, hour: hour, basis: .given)
    }

    /// A phrase for a summary: how the ratios were set, e.g. "0.633 wooden, 0.633 non-wooden,
    /// DERIVED from TMG's published table".
    public var summary: String {
        let ratios = String(format: "%.3f wooden, %.3f non-wooden", wooden, nonWooden)
        switch basis {
        case .definition: return "1 by definition"
        case .derived: return "\(ratios), DERIVED from TMG's published table"
        case .fiveAMStandIn: return "of 5 a.m. standing in (none found)"
        case .given: return "\(ratios), as given"
        }
    }

    /// One line for the run's provenance.
    public var provenance: String {
        let ratios = "wooden \(Self.format(wooden)), non-wooden \(Self.format(nonWooden))"
        switch basis {
        case .definition:
            return "casualties: occupancy (建物内滞留率) at 5 h: \(ratios), by definition (TMG 2022 p. 6-30)"
        case .derived:
            return "casualties: occupancy (建物内滞留率) at \(hour) h: \(ratios), DERIVED: "
                + (hour == 18 ? Derivation.eveningExplanation : Derivation.middayExplanation)
        case .fiveAMStandIn:
            return "casualties: occupancy (建物内滞留率) at \(hour) h: NOT FOUND; the 5 a.m. occupancy (\(ratios)) "
                + "stands in, so the collapse deaths are those of a 5 a.m. event (give the ratios to change it)"
        case .given:
            return "casualties: occupancy (建物内滞留率) at \(hour) h: \(ratios), given for this run"
        }
    }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    /// The ratios derived from published figures, with their derivations.
    public enum Derivation {
        /// The hours the midday ratio applies to: the Cabinet Office's 南海トラフ method notes
        /// that people in wooden buildings stay about constant from 10 to 15 h (SECONDARY copy
        /// of its 参考資料2).
        public static let middayHours = 10...15

        /// 0.6327: deaths from shaking collapse at 12:00 ÷ at 5:00 in TMG's (2012) 多摩直下地震
        /// M7.3 estimate, winter, 4 m/s: 2,840 ÷ 4,489, for the same 75,668 collapsed buildings,
        /// as its 総括表 is reproduced in the metropolitan 防災教育 material
        /// (anzenedu.metro.tokyo.lg.jp, digital_koukou_311, pp. 15 and 17). With the collapses
        /// equal, the ratio of deaths is TMG's Tokyo-wide occupancy ratio, wooden and non-wooden
        /// together; Suginami, which is residential and sends workers out by day, is likely
        /// lower.
        public static let midday = 2_840.0 / 4_489.0

        /// 0.7173: deaths from shaking collapse at 18:00 ÷ at 5:00 in the same table: 3,220 ÷
        /// 4,489, for the same collapses (its 8 m/s winter-evening case has 4,732 deaths in all,
        /// TMG's 2012 figure for 多摩直下地震 M7.3).
        public static let evening = 3_220.0 / 4_489.0

        static let eveningExplanation =
            "TMG's (2012) 多摩直下地震 (M7.3) estimate, winter: deaths from shaking collapse 3,220 at 18:00 ÷ 4,489 at "
            + "5:00 for the same collapses (its 総括表 in Tokyo's 防災教育 material, anzenedu.metro.tokyo.lg.jp "
            + "digital_koukou_311 pp. 15 and 17); "
            + "Tokyo-wide and both structures together — a residential ward is likely higher in the evening"

        static let middayExplanation =
            "TMG's (2012) 多摩直下地震 (M7.3) estimate, winter, 4 m/s: deaths from shaking collapse 2,840 at 12:00 ÷ "
            + "4,489 at 5:00 for the same 75,668 collapses (its 総括表 in Tokyo's 防災教育 material, "
            + "anzenedu.metro.tokyo.lg.jp digital_koukou_311 pp. 15 and 17), applied at "
            + "10–15 h (the Cabinet Office's 南海トラフ method: people in wooden buildings about constant then, "
            + "SECONDARY); Tokyo-wide and both structures together — a residential ward is likely lower"
    }
}
