import SuginamiKit

/// The fire-following-earthquake parameters of a run: ignition (出火), residents' initial
/// extinguishment (初期消火), seismic breakers (感震ブレーカー), suppression, wind, and fire
/// deaths. Sourced defaults come from TMG (2022); where TMG's own values were not found, a
/// default DERIVED from its published totals is used and labelled so (``Derivation``); what
/// cannot be derived is an explicit input, and the run's provenance lists every value with its
/// source.
public struct FireParameters: Sendable, Hashable {
    /// The season of the scene: TMG's rates are for winter, when heaters are in use.
    public enum Season: String, Sendable, Hashable, CaseIterable {
        /// 冬.
        case winter
        /// 春・秋.
        case springAutumn = "spring-autumn"
        /// 夏.
        case summer
    }

    /// The season (TMG's scenes are all winter).
    public var season: Season
    /// Ignition outside winter relative to winter at the same hour: TMG's seasonal factors were
    /// not found, so it is required for any season but winter.
    public var seasonCoefficient: Double?
    /// Hour of the event, 0–23 (the scene; TMG uses 5, 12 and 18 in winter).
    public var hour: Int
    /// Ignitions per collapsed building in winter at 5–6 h: 0.0355 % (TMG 2022 p. 6-16, PRIMARY).
    public var collapseIgnitionRate: Double
    /// 時刻係数: appliance use at `hour` relative to 5–6 h. TMG's values were not found: `nil`
    /// takes 1 at 5 h (by definition) and the DERIVED evening value at 17 and 18 h
    /// (``Derivation/eveningHourCoefficient``); any other hour needs it given.
    public var hourCoefficient: Double?
    /// Ignitions per non-collapsed building against JMA intensity, when a municipality has the
    /// table (TMG's by use, intensity and hour was not found). Given, it replaces
    /// ``nonCollapseIgnitionPerCollapse``.
    public var nonCollapseRates: FragilityCurve?
    /// Without a table: expected non-collapse ignitions of a building per unit of its collapse
    /// probability, in winter at 5–6 h (then × 時刻係数 × season). `nil` takes the DERIVED
    /// default (``Derivation/nonCollapseIgnitionPerCollapse``); 0 leaves non-collapse ignition
    /// out (the run then says its burnt count is a floor).
    public var nonCollapseIgnitionPerCollapse: Double?
    /// How far downwind fire reaches relative to the spread-limit distances (≥ 1, along the
    /// wind's axis; ``WindElongation``). `nil` takes the ASSUMED default
    /// ``Derivation/windReachFactor(speed:)``; 1 turns wind elongation off.
    public var windReachFactor: Double?
    /// Share of non-collapse ignitions that are electrical (電気関係), which breakers act on.
    public var electricalShare: Double
    /// 感震ブレーカー installation rate (8.3 % today, TMG 2022 p. 6-20, PRIMARY).
    public var breakerInstallation: Double
    /// Share of installed breakers that work (TMG: effect reduced by about 1/10).
    public var breakerEffectiveness: Double
    /// 初期消火率: ignitions put out by residents (36.6 % today, TMG 2022 p. 7, PRIMARY).
    public var initialExtinguishment: Double
    /// Share of flaming fires the fire services stop before they spread, when given as a share.
    /// TMG's formula needs local water-source and response-time data (``serviceSuppression``);
    /// 0 (no suppression, as TFD's spread survey) unless one of the two is given.
    public var suppression: Double
    /// The inputs of TMG's suppression formula (``FireServiceSuppression``), instead of a share.
    public var serviceSuppression: FireServiceSuppression?
    /// Wind speed, m/s (TMG: 4 normal, 8 strong).
    public var windSpeed: Double
    /// Direction the wind blows from, degrees clockwise from north (TMG: 北北西 = 337.5).
    public var windFrom: Double
    /// Deaths per burnt building (延焼火災による死者, 0.02180, TMG 2022 p. 6-43, PRIMARY).
    public var deathsPerBurntBuilding: Double
    /// 屋内滞留人口比率 for the fire-death formula (people indoors at the hour ÷ their 24-hour
    /// mean); `nil` takes the DERIVED value at 5 and 12 h (``Derivation/indoorRatio(hour:)``) and
    /// 1 at other hours (ASSUMED: none was found).
    public var indoorRatio: Double?

    /// TMG's current-state values for winter at 5 a.m., wind 8 m/s from NNW; no non-collapse
    /// ignition table and no suppression.
    public init(
        season: Season = .winter, seasonCoefficient: Double? = nil, hour: Int = 5,
        collapseIgnitionRate: Double = 0.000355, hourCoefficient: Double? = nil,
        nonCollapseRates: FragilityCurve? = nil, nonCollapseIgnitionPerCollapse: Double? = nil,
        windReachFactor: Double? = nil, electricalShare: Double = 0.6, breakerInstallation: Double = 0.083,
        breakerEffectiveness: Double = 0.9, initialExtinguishment: Double = 0.366, suppression: Double = 0,
        serviceSuppression: FireServiceSuppression? = nil, windSpeed: Double = 8, windFrom: Double = 337.5,
        deathsPerBurntBuilding: Double = 0.0218, indoorRatio: Double? = nil
    ) {
        self.season = season
        self.seasonCoefficient = seasonCoefficient
        self.hour = hour
        self.collapseIgnitionRate = collapseIgnitionRate
        self.hourCoefficient = hourCoefficient
        self.nonCollapseRates = nonCollapseRates
        self.nonCollapseIgnitionPerCollapse = nonCollapseIgnitionPerCollapse
        self.windReachFactor = windReachFactor
        self.electricalShare = electricalShare
        self.breakerInstallation = breakerInstallation
        self.breakerEffectiveness = breakerEffectiveness
        self.initialExtinguishment = initialExtinguishment
        self.suppression = suppression
        self.serviceSuppression = serviceSuppression
        self.windSpeed = windSpeed
        self.windFrom = windFrom
        self.deathsPerBurntBuilding = deathsPerBurntBuilding
        self.indoorRatio = indoorRatio
    }

    /// Checks every value.
    /// - Throws: ``FireInputError`` naming the parameter: a rate outside [0, 1], a negative or
    ///   non-finite wind, an hour outside 0–23, a missing hour coefficient.
    public func validated() throws(FireInputError) -> FireParameters {
        func fail(_ field: String, _ reason: String) -> FireInputError {
            FireInputError(source: "fire parameters", field: field, reason: reason)
        }
        for (name, value) in [
            ("collapseIgnitionRate", collapseIgnitionRate), ("electricalShare", electricalShare),
            ("breakerInstallation", breakerInstallation), ("breakerEffectiveness", breakerEffectiveness),
            ("initialExtinguishment", initialExtinguishment), ("suppression", suppression),
        ] where !(value >= 0 && value <= 1) {
            throw fail(name, "\(value) is outside [0, 1]")
        }
        if let indoorRatio {
            guard indoorRatio.isFinite, (0...24).contains(indoorRatio) else {
                throw fail(
                    "indoorRatio", "\(indoorRatio) is outside 0–24 (people indoors at the hour ÷ the day's mean)")
            }
        }
        guard (0...23).contains(hour) else { throw fail("hour", "\(hour) is outside 0–23") }
        if let serviceSuppression {
            guard suppression == 0 else {
                throw fail(
                    "suppression",
                    "a share and the inputs of TMG's suppression formula are two ways to say one thing: give one")
            }
            _ = try serviceSuppression.validated()
        }
        if let hourCoefficient {
            guard hourCoefficient.isFinite, hourCoefficient >= 0 else {
                throw fail("hourCoefficient", "\(hourCoefficient) must be a non-negative number")
            }
        } else if Derivation.hourCoefficient(hour: hour) == nil {
            throw fail(
                "hourCoefficient",
                "required for hour \(hour): TMG's 時刻係数 were not found and only 5 h (1), 12 h "
                    + "(\(String(format: "%.3f", Derivation.noonHourCoefficient)), DERIVED) and 17–18 h "
                    + "(\(Derivation.eveningHourCoefficient), DERIVED) have defaults, so give the ratio of appliance use "
                    + "at that hour to 5–6 h")
        }
        if let nonCollapseIgnitionPerCollapse {
            guard nonCollapseIgnitionPerCollapse.isFinite, (0...1).contains(nonCollapseIgnitionPerCollapse) else {
                throw fail("nonCollapseIgnitionPerCollapse", "\(nonCollapseIgnitionPerCollapse) is outside [0, 1]")
            }
        }
        if let windReachFactor {
            guard windReachFactor.isFinite, (1...10).contains(windReachFactor) else {
                throw fail("windReachFactor", "\(windReachFactor) is outside 1–10 (1 turns wind elongation off)")
            }
        }
        if let seasonCoefficient {
            guard seasonCoefficient.isFinite, seasonCoefficient >= 0 else {
                throw fail("seasonCoefficient", "\(seasonCoefficient) must be a non-negative number")
            }
        } else if season != .winter {
            throw fail(
                "seasonCoefficient",
                "required for \(season.rawValue): TMG's rates are for winter and no seasonal factor was found")
        }
        guard windSpeed.isFinite, windSpeed >= 0 else { throw fail("windSpeed", "\(windSpeed) m/s must be ≥ 0") }
        guard windFrom.isFinite, (0..<360).contains(windFrom) else {
            throw fail("windFrom", "\(windFrom)° must be in [0, 360)")
        }
        guard deathsPerBurntBuilding.isFinite, deathsPerBurntBuilding >= 0 else {
            throw fail("deathsPerBurntBuilding", "\(deathsPerBurntBuilding) must be ≥ 0")
        }
        if case .table(let points)? = nonCollapseRates, points.contains(where: { !($0.rate >= 0 && $0.rate <= 1) }) {
            throw fail("nonCollapseRates", "rates must be in [0, 1]")
        }
        return self
    }

    /// The flaming-fire probability of one building given its collapse probability and the
    /// intensity at its cell.
    func flamingProbability(collapse: Double, intensity: Double) -> Double {
        let hourFactor = effectiveHourCoefficient * (seasonCoefficient ?? 1)
        var ignition = collapse * collapseIgnitionRate * hourFactor
        let breakers = 1 - electricalShare * breakerInstallation * breakerEffectiveness
        if let nonCollapseRates {
            ignition += (1 - collapse) * nonCollapseRates.probability(atIntensity: intensity) * breakers
        } else {
            ignition += collapse * effectiveNonCollapseIgnitionPerCollapse * hourFactor * breakers
        }
        return min(1, ignition * (1 - initialExtinguishment) * (1 - effectiveSuppression))
    }

    /// The share of flaming fires stopped: by TMG's formula when its inputs are given (with
    /// their area), else the given share.
    public var effectiveSuppression: Double {
        if let serviceSuppression, let area = serviceSuppression.area { return serviceSuppression.share(area: area) }
        return suppression
    }

    /// The 時刻係数 of the run: given, or the default for its hour (1 for an hour without one,
    /// which ``validated()`` refuses).
    public var effectiveHourCoefficient: Double { hourCoefficient ?? Derivation.hourCoefficient(hour: hour) ?? 1 }

    /// The non-collapse ignitions per unit of collapse probability of the run (winter 5–6 h).
    public var effectiveNonCollapseIgnitionPerCollapse: Double {
        nonCollapseIgnitionPerCollapse ?? Derivation.nonCollapseIgnitionPerCollapse
    }

    /// Whether non-collapse ignition is modelled (by a table or per collapse).
    public var modelsNonCollapseIgnition: Bool {
        nonCollapseRates != nil || effectiveNonCollapseIgnitionPerCollapse > 0
    }

    /// The indoor ratio of the run's fire deaths: given, or the default for its hour.
    public var effectiveIndoorRatio: Double { indoorRatio ?? Derivation.indoorRatio(hour: hour) ?? 1 }

    /// The reach factor of the run: given, or the default for its wind.
    public var effectiveWindReachFactor: Double { windReachFactor ?? Derivation.windReachFactor(speed: windSpeed) }

    /// The elongation the clusters use.
    public var windElongation: WindElongation {
        WindElongation(
            factor: effectiveWindReachFactor, towardsDegrees: (windFrom + 180).truncatingRemainder(dividingBy: 360))
    }

    /// The defaults derived from what TMG published, because its own tables were not found:
    /// every one labelled DERIVED (or ASSUMED) wherever it is used, with its derivation here.
    public enum Derivation {
        /// 時刻係数 at 17–18 h: 2.5, the evening multiplier of the Hanshin ignition rate
        /// (0.03 % → 0.075 % at 17–18 h, HOME'S PRESS opinion_00153, SECONDARY). DERIVED.
        public static let eveningHourCoefficient = 2.5

        /// 時刻係数 at 12 h: 1.578 = 23,211 ÷ 14,711, the burnt buildings at 12:00 and at 5:00 in
        /// TMG's (2012) 多摩直下地震 M7.3 estimate (winter, 4 m/s; 8 m/s gives 24,811 ÷ 15,707 =
        /// 1.580), for the same 75,668 collapses, as its 総括表 is reproduced in the metropolitan
        /// 防災教育 material (anzenedu.metro.tokyo.lg.jp, digital_koukou_311 pp. 15 and 17). DERIVED on this reading: with
        /// well under 1 % of Tokyo's buildings burnt, few clusters burn, and then a cluster model's
        /// burnt count grows in proportion to the ignitions (P = 1 − exp(−n p̄) ≈ n p̄), so the
        /// ratio of burnt counts is the ratio of ignitions; the two winds agreeing supports it.
        public static let noonHourCoefficient = 23_211.0 / 14_711.0

        /// The default 時刻係数 for an hour, where one is derived.
        public static func hourCoefficient(hour: Int) -> Double? {
            switch hour {
            case 5: 1
            case 12: noonHourCoefficient
            case 17, 18: eveningHourCoefficient
            default: nil
            }
        }

        /// Non-collapse ignitions per unit of collapse probability, winter 5–6 h: 0.004738.
        ///
        /// DERIVED from TMG 2022's totals for 都心南部直下, winter 18:00, 8 m/s, on the
        /// published observation that ignition is roughly proportional to the collapse rate
        /// (NIED, after 岡田・土岐 2000, SECONDARY):
        /// - flaming fires 623 (PRIMARY, p. 411) with 初期消火率 0.366 → 982.6 ignitions;
        /// - collapse ignitions 80,530 shaking collapses (PRIMARY, p. 3-3) × 0.0355 % ×
        ///   2.5 (``eveningHourCoefficient``) = 71.5;
        /// - the rest, 911.1, are non-collapse ignitions after breakers (8.3 % × 0.9 working ×
        ///   0.6 electrical = 4.5 % fewer) → 953.9 before breakers;
        /// - per collapse: 953.9 / 80,530 = 0.011845 at 18 h; ÷ 2.5 → 0.004738 at 5 h.
        public static let nonCollapseIgnitionPerCollapse: Double = {
            let ignitions = 623 / (1 - 0.366)
            let collapses = 80_530.0
            let fromCollapse = collapses * 0.000355 * eveningHourCoefficient
            let breakers = 1 - 0.6 * 0.083 * 0.9
            return (ignitions - fromCollapse) / breakers / collapses / eveningHourCoefficient
        }()

        /// 屋内滞留人口比率 at an hour where one is derived: 1.151 at 5 h and 0.889 at 12 h.
        ///
        /// DERIVED from TMG's (2012) 多摩直下地震 table (the metropolitan 防災教育 material,
        /// anzenedu.metro.tokyo.lg.jp, digital_koukou_311 pp. 15 and 17): between its 4 and 8 m/s cases
        /// the ignitions are the same, so the fire deaths of trapped occupants cancel, and the
        /// extra deaths per extra burnt building are 0.0218 × the ratio: at 5:00 (403 − 378) ÷
        /// (15,707 − 14,711) = 0.02510 → 1.151; at 12:00 (496 − 465) ÷ (24,811 − 23,211) =
        /// 0.01938 → 0.889. The deaths are printed whole, so each ratio is good to about ±4 %.
        public static func indoorRatio(hour: Int) -> Double? {
            switch hour {
            case 5: (403.0 - 378) / (15_707 - 14_711) / 0.0218
            case 12: (496.0 - 465) / (24_811 - 23_211) / 0.0218
            default: nil
            }
        }

        /// How far downwind fire reaches relative to calm, ASSUMED: Hamada's (1951) wind factor
        /// of the downwind spread speed, `1 + 0.1 V + 0.007 V²` (V in m/s; 2.25 at 8 m/s, 1.51
        /// at 4 m/s), taken as the stretch of the spread-limit distance along the wind's axis:
        /// the bundled distances carry no wind, and TMG's wind-dependent ones were not found.
        public static func windReachFactor(speed: Double) -> Double { 1 + 0.1 * speed + 0.007 * speed * speed }
    }

    /// Reads a non-collapse ignition table: CSV `intensity,rate` (JMA intensity increasing,
    /// rates in [0, 1] per building), `#` lines as comments (say where the rates come from).
    /// - Throws: ``FireInputError`` naming the file, line and field.
    public static func ignitionRates(csv text: String, name: String) throws(FireInputError) -> FragilityCurve {
        let table: CSVTable
        do {
            table = try CSVTable(parsingCommented: text, file: name)
        } catch {
            throw FireInputError(source: name, reason: "\(error)")
        }
        guard table.header == ["intensity", "rate"] else {
            throw FireInputError(source: name, line: 1, reason: "header must be intensity,rate")
        }
        var points: [(intensity: Double, rate: Double)] = []
        for (record, line) in zip(table.records, table.lines) {
            guard record.count == 2 else { throw FireInputError(source: name, line: line, reason: "expected 2 fields") }
            guard let intensity = Double(record[0]), intensity.isFinite, (0...7.5).contains(intensity) else {
                throw FireInputError(
                    source: name, line: line, field: "intensity", reason: "\"\(record[0])\" is not 0–7.5")
            }
            guard let rate = Double(record[1]), rate >= 0, rate <= 1 else {
                throw FireInputError(
                    source: name, line: line, field: "rate", reason: "\"\(record[1])\" is outside [0, 1]")
            }
            if let last = points.last, intensity <= last.intensity {
                throw FireInputError(source: name, line: line, field: "intensity", reason: "intensities must increase")
            }
            points.append((intensity, rate))
        }
        guard points.count >= 2 else { throw FireInputError(source: name, reason: "needs at least two rows") }
        return .table(points)
    }

    /// Lines for a run's provenance.
    var provenance: [String] {
        [
            "fire: ignition from collapse = \(collapseIgnitionRate) per collapsed building (winter 5–6 h, TMG 2022 "
                + "p. 6-16, PRIMARY) × 時刻係数 "
                + (hourCoefficient.map { "\($0) (given for hour \(hour))" }
                    ?? (hour == 5
                        ? "1 (hour 5, by definition)"
                        : hour == 12
                            ? "\(String(format: "%.3f", effectiveHourCoefficient)) (hour 12, DERIVED: TMG's 多摩直下 burnt "
                                + "buildings at 12:00 ÷ at 5:00 for the same collapses, 23,211 ÷ 14,711)"
                            : "\(effectiveHourCoefficient) (hour \(hour), DERIVED: the Hanshin evening multiplier, SECONDARY)"))
                + " × season \(season.rawValue) "
                + (seasonCoefficient.map { "\($0) (given)" } ?? "1 (winter, the season of TMG's rates)"),
            nonCollapseRates.map {
                "fire: ignition of non-collapsed buildings = (1 − P(collapse)) × rate(I) \($0) (given) × (1 − "
                    + "electrical share \(electricalShare) × breakers \(breakerInstallation) × effectiveness "
                    + "\(breakerEffectiveness)) (breaker rate TMG 2022 p. 6-20; electrical share ≈ 6割, TFD 出火危険度 "
                    + "第10回; effectiveness: TMG's 'about 1/10 do not work')"
            }
                ?? (effectiveNonCollapseIgnitionPerCollapse > 0
                    ? "fire: ignition of non-collapsed buildings = P(collapse) × \(effectiveNonCollapseIgnitionPerCollapse) "
                        + "× 時刻係数 × season × (1 − electrical share \(electricalShare) × breakers \(breakerInstallation) × "
                        + "effectiveness \(breakerEffectiveness)) "
                        + (nonCollapseIgnitionPerCollapse == nil
                            ? "(DERIVED: TMG 2022's table was not found; calibrated so that TMG's 都心南部直下 winter 18:00 "
                                + "totals (623 flaming fires, 80,530 collapses) are reproduced with ignition proportional to "
                                + "collapse (NIED, SECONDARY); see FireParameters.Derivation)"
                            : "(given)")
                    : "fire: ignition of non-collapsed buildings NOT MODELLED (given as 0): the burnt count is a FLOOR"),
            "fire: initial extinguishment \(initialExtinguishment) (初期消火率, TMG 2022 p. 7 (mirror 411), PRIMARY "
                + "for 0.366)",
            serviceSuppression.flatMap { inputs in inputs.area.map { inputs.provenance(area: $0) } }
                ?? ("fire: suppression by fire services \(suppression)"
                    + (suppression == 0
                        ? " (none: TMG's formula needs the municipality's water sources and response time, not "
                            + "bundled; the burnt count is without fire-service suppression)" : " (given)")),
            "fire: wind \(windSpeed) m/s from \(windFrom)° (TMG 2022 p. 6-21: 4 or 8 m/s from 北北西); spread-limit "
                + "distances stretched ×\(effectiveWindReachFactor) along the wind's axis, elliptically to ×1 across it "
                + (windReachFactor == nil
                    ? "(ASSUMED: Hamada's 1951 downwind speed factor 1 + 0.1 V + 0.007 V² taken as the reach)"
                    : "(given)"),
            "fire: deaths = \(deathsPerBurntBuilding) × burnt buildings × indoor ratio "
                + "\(String(format: "%.3f", effectiveIndoorRatio)) (TMG 2022 p. 6-43, PRIMARY; the ratio "
                + (indoorRatio != nil
                    ? "given)"
                    : Derivation.indoorRatio(hour: hour) != nil
                        ? "at hour \(hour) DERIVED from TMG's 多摩直下 table: extra fire deaths per extra burnt building "
                            + "between its 4 and 8 m/s cases ÷ 0.0218; see FireParameters.Derivation)"
                        : "at hour \(hour) NOT FOUND: 1 ASSUMED)"),
        ]
    }
}
