import Foundation

/// Everything that decides a simulation run, as plain values and file paths: what a batch job
/// or a request gives, and what a run records (`inputs/run.json`) so that it can be replayed.
///
/// Unset values take the library's defaults (``FireParameters/init(season:seasonCoefficient:hour:collapseIgnitionRate:hourCoefficient:nonCollapseRates:nonCollapseIgnitionPerCollapse:windReachFactor:electricalShare:breakerInstallation:breakerEffectiveness:initialExtinguishment:suppression:serviceSuppression:windSpeed:windFrom:deathsPerBurntBuilding:indoorRatio:)``,
/// the bundled fragility set, the ward's default site), which live nowhere else.
public struct ScenarioRunConfiguration: Sendable, Hashable, Codable {
    /// A bundled scenario's name (``ScenarioFile/bundledNames``) or a scenario JSON file.
    public var scenario: String
    /// Number of Monte Carlo events, 1…1,000,000.
    public var events: Int
    /// Random seed: equal seeds give equal results.
    public var seed: UInt64
    /// A fragility CSV; `nil` for the bundled derived set.
    public var fragility: String?
    /// Site data CSV (`mesh_code,avs30` or `mesh_code,amplification`); `nil` for the ward default.
    public var site: String?
    /// The AVS30 relation for ``site``.
    public var siteConvention: SiteAmplification.Convention
    /// Night-time (5 a.m.) population in wooden buildings, for non-wooden deaths (both or neither).
    public var nightPopulationWooden: Double?
    /// Night-time (5 a.m.) population in non-wooden buildings.
    public var nightPopulationNonWooden: Double?
    /// The hour of the event, 0–23: the occupancy of the collapse deaths and, with fire, the hour
    /// of its ignition (given here, it replaces the fire parameters' hour, so one hour rules the
    /// run). `nil` takes the fire parameters' hour, or 5.
    public var hour: Int?
    /// 建物内滞留率 in wooden buildings at ``hour`` relative to 5 a.m. (with
    /// ``occupancyNonWooden``, both or neither); `nil` takes ``Occupancy/default(hour:)``.
    public var occupancyWooden: Double?
    /// 建物内滞留率 in non-wooden buildings at ``hour`` relative to 5 a.m.
    public var occupancyNonWooden: Double?
    /// The share of residents not displaced by damage who leave for lack of water or lifts (the
    /// lifeline term of TMG's evacuee formula, ``EvacueeFormula``); `nil` leaves it out.
    public var lifelineEvacuationShare: Double?
    /// Fire following the earthquake; `nil` for no fire.
    public var fire: Fire?
    /// A mitigation scenario JSON, run paired with the baseline on the same random numbers.
    public var mitigation: String?

    /// The range of ``events``.
    public static let eventRange = 1...1_000_000
    /// The events of a run when none are given: enough for expected counts within a few per cent.
    public static let defaultEvents = 1_000
    /// The seed of a run when none is given.
    public static let defaultSeed: UInt64 = 42
    /// The AVS30 relation when none is given (the newer of the two published).
    public static let defaultSiteConvention = SiteAmplification.Convention.fujimotoMidorikawa2006

    /// A configuration with the library's defaults for everything not given.
    public init(
        scenario: String, events: Int = defaultEvents, seed: UInt64 = defaultSeed, fragility: String? = nil,
        site: String? = nil, siteConvention: SiteAmplification.Convention = defaultSiteConvention,
        nightPopulationWooden: Double? = nil,
        nightPopulationNonWooden: Double? = nil, hour: Int? = nil, occupancyWooden: Double? = nil,
        occupancyNonWooden: Double? = nil, lifelineEvacuationShare: Double? = nil, fire: Fire? = nil,
        mitigation: String? = nil
    ) {
        self.scenario = scenario
        self.events = events
        self.seed = seed
        self.fragility = fragility
        self.site = site
        self.siteConvention = siteConvention
        self.nightPopulationWooden = nightPopulationWooden
        self.nightPopulationNonWooden = nightPopulationNonWooden
        self.hour = hour
        self.occupancyWooden = occupancyWooden
        self.occupancyNonWooden = occupancyNonWooden
        self.lifelineEvacuationShare = lifelineEvacuationShare
        self.fire = fire
        self.mitigation = mitigation
    }

    /// The fire inputs of a run.
    public struct Fire: Sendable, Hashable, Codable {
        /// Season, hour, rates, breakers, extinguishment, suppression and wind. Its defaults are
        /// TMG 2022's (see ``FireParameters``); non-collapse rates come from ``ignitionRates``.
        public var parameters: FireParameters
        /// Non-collapse ignition rates CSV (`intensity,rate`); not modelled without it.
        public var ignitionRates: String?
        /// Fire-resistance classes by structure for buildings without one, e.g.
        /// `wooden=fire_preventive,non_wooden=fire_resistant`.
        public var fireClasses: String?
        /// Spread-limit distances CSV; `nil` for the bundled SECONDARY table.
        public var spreadDistances: String?
        /// Spread-time coefficients JSON, with ``spreadEvent``: the time-stepped spread of one event.
        public var spreadCoefficients: String?
        /// The event (0-based) whose ignitions the time-stepped spread follows.
        public var spreadEvent: Int?

        /// Fire inputs with the library's defaults for everything not given.
        public init(
            parameters: FireParameters = FireParameters(), ignitionRates: String? = nil, fireClasses: String? = nil,
            spreadDistances: String? = nil, spreadCoefficients: String? = nil, spreadEvent: Int? = nil
        ) {
            self.parameters = parameters
            self.ignitionRates = ignitionRates
            self.fireClasses = fireClasses
            self.spreadDistances = spreadDistances
            self.spreadCoefficients = spreadCoefficients
            self.spreadEvent = spreadEvent
        }
    }

    /// Checks the values that need no file: the event count, the night populations, the fire
    /// parameters and the spread event.
    /// - Throws: `InputFileError` whose file is `configuration` and whose field names the value.
    public func validate() throws(InputFileError) {
        func refuse(_ field: String, _ reason: String) -> InputFileError {
            InputFileError(file: "configuration", location: .file, field: field, reason: reason)
        }
        guard Self.eventRange.contains(events) else {
            throw refuse("events", "must be 1 to 1,000,000, got \(events)")
        }
        guard (nightPopulationWooden == nil) == (nightPopulationNonWooden == nil) else {
            throw refuse("nightPopulation", "give both night populations (wooden and non-wooden) or neither")
        }
        _ = try nightPopulation()
        _ = try occupancy()
        _ = try evacueeFormula()
        if let fire = fireAtTheHour {
            do {
                _ = try fire.parameters.validated()
            } catch {
                throw refuse(error.field.isEmpty ? "fire" : error.field, error.reason)
            }
            guard (fire.spreadEvent == nil) == (fire.spreadCoefficients == nil) else {
                throw refuse("spreadEvent", "the spread event and the spread coefficients go together (no default)")
            }
            if let event = fire.spreadEvent, !(0..<events).contains(event) {
                throw refuse("spreadEvent", "\(event) is not one of the run's events 0..<\(events)")
            }
        }
    }

    /// The hour of the event: given, or the fire's, or 5.
    public var effectiveHour: Int { hour ?? fire?.parameters.hour ?? 5 }

    /// The fire inputs with the run's hour.
    var fireAtTheHour: Fire? {
        guard var fire else { return nil }
        fire.parameters.hour = effectiveHour
        return fire
    }

    /// The occupancy of the run's collapse deaths, checked: given, or the default for its hour.
    func occupancy() throws(InputFileError) -> Occupancy {
        func refuse(_ field: String, _ reason: String) -> InputFileError {
            InputFileError(file: "configuration", location: .file, field: field, reason: reason)
        }
        guard (occupancyWooden == nil) == (occupancyNonWooden == nil) else {
            throw refuse("occupancy", "give both occupancy ratios (wooden and non-wooden) or neither")
        }
        do {
            if let occupancyWooden, let occupancyNonWooden {
                return try Occupancy.given(wooden: occupancyWooden, nonWooden: occupancyNonWooden, hour: effectiveHour)
            }
            return try Occupancy.default(hour: effectiveHour)
        } catch {
            throw refuse(occupancyWooden == nil ? "hour" : "occupancy", error.description)
        }
    }

    /// The evacuee rule, checked.
    func evacueeFormula() throws(InputFileError) -> EvacueeFormula {
        do {
            return try EvacueeFormula(lifelineShare: lifelineEvacuationShare)
        } catch {
            throw InputFileError(
                file: "configuration", location: .file, field: "lifelineEvacuationShare", reason: error.description)
        }
    }

    /// The night populations, checked.
    func nightPopulation() throws(InputFileError) -> DamageSimulation.NightPopulation? {
        guard let nightPopulationWooden, let nightPopulationNonWooden else { return nil }
        do {
            return try DamageSimulation.NightPopulation(
                wooden: nightPopulationWooden, nonWooden: nightPopulationNonWooden)
        } catch {
            throw InputFileError(
                file: "configuration", location: .file, field: "nightPopulation", reason: error.description)
        }
    }
}

extension FireParameters: Codable {
    private enum CodingKeys: String, CodingKey {
        case season, seasonCoefficient, hour, hourCoefficient, breakerInstallation, initialExtinguishment,
            suppression, serviceSuppression, windSpeed, windFrom, nonCollapseIgnitionPerCollapse, windReachFactor
    }

    /// Decodes the parameters a run may set; the others keep their defaults (the non-collapse
    /// rates come from their own file).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FireParameters()
        self.init(
            season: try container.decodeIfPresent(Season.self, forKey: .season) ?? defaults.season,
            seasonCoefficient: try container.decodeIfPresent(Double.self, forKey: .seasonCoefficient),
            hour: try container.decodeIfPresent(Int.self, forKey: .hour) ?? defaults.hour,
            hourCoefficient: try container.decodeIfPresent(Double.self, forKey: .hourCoefficient),
            nonCollapseIgnitionPerCollapse: try container.decodeIfPresent(
                Double.self, forKey: .nonCollapseIgnitionPerCollapse),
            windReachFactor: try container.decodeIfPresent(Double.self, forKey: .windReachFactor),
            breakerInstallation: try container.decodeIfPresent(Double.self, forKey: .breakerInstallation)
                ?? defaults.breakerInstallation,
            initialExtinguishment: try container.decodeIfPresent(Double.self, forKey: .initialExtinguishment)
                ?? defaults.initialExtinguishment,
            suppression: try container.decodeIfPresent(Double.self, forKey: .suppression) ?? defaults.suppression,
            serviceSuppression: try container.decodeIfPresent(
                FireServiceSuppression.self, forKey: .serviceSuppression),
            windSpeed: try container.decodeIfPresent(Double.self, forKey: .windSpeed) ?? defaults.windSpeed,
            windFrom: try container.decodeIfPresent(Double.self, forKey: .windFrom) ?? defaults.windFrom)
    }

    /// Encodes the parameters a run may set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(season, forKey: .season)
        try container.encodeIfPresent(seasonCoefficient, forKey: .seasonCoefficient)
        try container.encode(hour, forKey: .hour)
        try container.encodeIfPresent(hourCoefficient, forKey: .hourCoefficient)
        try container.encode(breakerInstallation, forKey: .breakerInstallation)
        try container.encode(initialExtinguishment, forKey: .initialExtinguishment)
        try container.encode(suppression, forKey: .suppression)
        try container.encodeIfPresent(serviceSuppression, forKey: .serviceSuppression)
        try container.encode(windSpeed, forKey: .windSpeed)
        try container.encode(windFrom, forKey: .windFrom)
        try container.encodeIfPresent(nonCollapseIgnitionPerCollapse, forKey: .nonCollapseIgnitionPerCollapse)
        try container.encodeIfPresent(windReachFactor, forKey: .windReachFactor)
    }
}

extension FireParameters.Season: Codable {}
