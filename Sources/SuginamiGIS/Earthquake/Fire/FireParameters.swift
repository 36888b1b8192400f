import SuginamiKit

/// The fire-following-earthquake parameters of a run: ignition (出火), residents' initial
/// extinguishment (初期消火), seismic breakers (感震ブレーカー), suppression, wind, and fire
/// deaths. Sourced defaults come from TMG (2022); what was not found is an explicit input with
/// no default, and the run's provenance lists every value with its source.
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
    /// 時刻係数: appliance use at `hour` relative to 5–6 h. TMG's values were not found, so it is
    /// required for any hour but 5 (where it is 1 by definition).
    public var hourCoefficient: Double?
    /// Ignitions per non-collapsed building against JMA intensity (TMG's table by use, intensity
    /// and hour was not found): `nil` means not modelled, and the run says so.
    public var nonCollapseRates: FragilityCurve?
    /// Share of non-collapse ignitions that are electrical (電気関係), which breakers act on.
    public var electricalShare: Double
    /// 感震ブレーカー installation rate (8.3 % today, TMG 2022 p. 6-20, PRIMARY).
    public var breakerInstallation: Double
    /// Share of installed breakers that work (TMG: effect reduced by about 1/10).
    public var breakerEffectiveness: Double
    /// 初期消火率: ignitions put out by residents (36.6 % today, TMG 2022 p. 7, PRIMARY).
    public var initialExtinguishment: Double
    /// Share of flaming fires the fire services stop before they spread. TMG's formula needs
    /// local water-source and response-time data; 0 (no suppression, as TFD's spread survey)
    /// unless given.
    public var suppression: Double
    /// Wind speed, m/s (TMG: 4 normal, 8 strong).
    public var windSpeed: Double
    /// Direction the wind blows from, degrees clockwise from north (TMG: 北北西 = 337.5).
    public var windFrom: Double
    /// Deaths per burnt building (延焼火災による死者, 0.02180, TMG 2022 p. 6-43, PRIMARY).
    public var deathsPerBurntBuilding: Double
    /// 屋内滞留人口比率 for the fire-death formula: 1 at 5 a.m. (an assumption: everyone indoors).
    public var indoorRatio: Double

    /// TMG's current-state values for winter at 5 a.m., wind 8 m/s from NNW; no non-collapse
    /// ignition table and no suppression.
    public init(
        season: Season = .winter, seasonCoefficient: Double? = nil, hour: Int = 5,
        collapseIgnitionRate: Double = 0.000355, hourCoefficient: Double? = nil,
        nonCollapseRates: FragilityCurve? = nil, electricalShare: Double = 0.6, breakerInstallation: Double = 0.083,
        breakerEffectiveness: Double = 0.9, initialExtinguishment: Double = 0.366, suppression: Double = 0,
        windSpeed: Double = 8, windFrom: Double = 337.5, deathsPerBurntBuilding: Double = 0.0218,
        indoorRatio: Double = 1
    ) {
        self.season = season
        self.seasonCoefficient = seasonCoefficient
        self.hour = hour
        self.collapseIgnitionRate = collapseIgnitionRate
        self.hourCoefficient = hourCoefficient
        self.nonCollapseRates = nonCollapseRates
        self.electricalShare = electricalShare
        self.breakerInstallation = breakerInstallation
        self.breakerEffectiveness = breakerEffectiveness
        self.initialExtinguishment = initialExtinguishment
        self.suppression = suppression
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
            ("indoorRatio", indoorRatio),
        ] where !(value >= 0 && value <= 1) {
            throw fail(name, "\(value) is outside [0, 1]")
        }
        guard (0...23).contains(hour) else { throw fail("hour", "\(hour) is outside 0–23") }
        if let hourCoefficient {
            guard hourCoefficient.isFinite, hourCoefficient >= 0 else {
                throw fail("hourCoefficient", "\(hourCoefficient) must be a non-negative number")
            }
        } else if hour != 5 {
            throw fail(
                "hourCoefficient",
                "required for hour \(hour): TMG's 時刻係数 were not found, so give the ratio of appliance use at that hour to 5–6 h"
            )
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
        let hourFactor = (hourCoefficient ?? 1) * (seasonCoefficient ?? 1)
        var ignition = collapse * collapseIgnitionRate * hourFactor
        if let nonCollapseRates {
            let breakers = 1 - electricalShare * breakerInstallation * breakerEffectiveness
            ignition += (1 - collapse) * nonCollapseRates.probability(atIntensity: intensity) * breakers
        }
        return min(1, ignition * (1 - initialExtinguishment) * (1 - suppression))
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
                + (hourCoefficient.map { "\($0) (given for hour \(hour))" } ?? "1 (hour 5, by definition)")
                + " × season \(season.rawValue) "
                + (seasonCoefficient.map { "\($0) (given)" } ?? "1 (winter, the season of TMG's rates)"),
            nonCollapseRates.map {
                "fire: ignition of non-collapsed buildings = (1 − P(collapse)) × rate(I) \($0) (given) × (1 − "
                    + "electrical share \(electricalShare) × breakers \(breakerInstallation) × effectiveness "
                    + "\(breakerEffectiveness)) (breaker rate TMG 2022 p. 6-20; electrical share ≈ 6割, TFD 出火危険度 "
                    + "第10回; effectiveness: TMG's 'about 1/10 do not work')"
            }
                ?? "fire: ignition of non-collapsed buildings NOT MODELLED (TMG's rates by use, intensity and hour "
                + "were not found; give a table to include them); so breakers have no effect in this run",
            "fire: initial extinguishment \(initialExtinguishment) (初期消火率, TMG 2022 p. 7 (mirror 411), PRIMARY "
                + "for 0.366)",
            "fire: suppression by fire services \(suppression)"
                + (suppression == 0 ? " (none: TMG's formula needs local water and response data)" : " (given)"),
            "fire: wind \(windSpeed) m/s from \(windFrom)° (TMG 2022 p. 6-21: 4 or 8 m/s from 北北西)",
            "fire: deaths = \(deathsPerBurntBuilding) × burnt buildings × indoor ratio \(indoorRatio) (TMG 2022 "
                + "p. 6-43, PRIMARY; ratio 1 = everyone indoors, an assumption for 5 a.m.)",
        ]
    }
}
