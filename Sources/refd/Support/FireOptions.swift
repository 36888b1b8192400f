import ArgumentParser
import Foundation
import SuginamiGIS
import SuginamiKit

/// The fire options of `refd simulate`.
struct FireOptions: ParsableArguments {
    @Flag(help: "Simulate fire following the earthquake (ignition and cluster spread, TMG 2022).")
    var fire = false

    @Option(
        help: ArgumentHelp(
            "Fire-resistance class by structure for buildings without one, e.g. wooden=fire_preventive,non_wooden=fire_resistant.",
            discussion:
                "An assumption of the run, listed in its provenance. Classes: bare_wooden, fire_preventive, quasi_fire_resistant, fire_resistant."
        ))
    var fireClasses: String?

    @Option(help: "Wind speed, m/s (TMG: 4 normal, 8 strong).")
    var wind: Double = FireParameters().windSpeed

    @Option(help: "Direction the wind blows from, degrees clockwise from north (TMG: 337.5, 北北西).")
    var windFrom: Double = FireParameters().windFrom

    @Option(help: "Season: winter (TMG's rates), spring-autumn or summer (these need --season-coefficient).")
    var season: FireParameters.Season = FireParameters().season

    @Option(help: "Ignition in --season relative to winter (no published factor was found).")
    var seasonCoefficient: Double?

    @Option(
        help: ArgumentHelp(
            "時刻係数: appliance use at --hour relative to 5–6 a.m. (needed with --fire at hours but 5, 12, 17 and 18).",
            discussion:
                "TMG's values were not found: 1 at 5 h, 1.578 at 12 h (DERIVED from TMG's 多摩直下 burnt counts), 2.5 at 17–18 h (DERIVED, the Hanshin evening multiplier)."
        ))
    var hourCoefficient: Double?

    @Option(help: "Non-collapse ignition rates: CSV intensity,rate (replaces --non-collapse-ignition).")
    var ignitionRates: String?

    @Option(
        help: ArgumentHelp(
            "Non-collapse ignitions per unit of collapse probability, winter 5–6 h (0 leaves them out).",
            discussion: """
                Default \(FireParameters.Derivation.nonCollapseIgnitionPerCollapse), DERIVED from TMG 2022's totals \
                (see the run's provenance); 0 makes the burnt count a floor.
                """))
    var nonCollapseIgnition: Double?

    @Option(
        help: ArgumentHelp(
            "How far fire reaches downwind relative to calm (1 turns wind elongation off).",
            discussion: "Default: 1 + 0.1 V + 0.007 V² for wind V (ASSUMED, Hamada's downwind speed factor)."))
    var windReach: Double?

    @Option(help: "初期消火率, 0–1 (TMG 2022 current).")
    var initialExtinguishment: Double = FireParameters().initialExtinguishment

    @Option(help: "感震ブレーカー installation rate, 0–1 (TMG 2022 current).")
    var breakers: Double = FireParameters().breakerInstallation

    @Option(help: "Share of flaming fires stopped by the fire services, 0–1 (or give the formula's inputs below).")
    var suppression: Double = FireParameters().suppression

    @Option(
        help: ArgumentHelp(
            "Fire-fighting water sources (消防水利) in the ward, for TMG's suppression formula (with --response-minutes).",
            discussion: """
                P = P_D + (1 − P_D) P_S, P_S = {1 − (1 − 249,705 m² / area)^sources} × 30 / (29 × minutes / 10), \
                P_D = P_S / 2 (TMG 2022 p. 6-23); the area is the stored towns' total. No default: the ward's \
                figures are not bundled, and without them the run models no suppression.
                """))
    var waterSources: Int?

    @Option(
        help:
            "Minutes from the call to water on the fire (start + travel + hose laying), for the suppression formula."
    )
    var responseMinutes: Double?

    @Option(help: "Spread-limit distances CSV (default: the bundled SECONDARY table).")
    var spreadDistances: String?

    @Option(help: "Hamada-type spread-time coefficients JSON (required for --spread-event; no default).")
    var spreadCoefficients: String?

    @Option(help: "Run the time-stepped spread for this event's ignitions (6 h at 1-minute steps).")
    var spreadEvent: Int?

    func validate() throws {
        guard
            fire
                || (fireClasses == nil && spreadEvent == nil && ignitionRates == nil && nonCollapseIgnition == nil
                    && windReach == nil && waterSources == nil && responseMinutes == nil)
        else {
            throw ValidationError(
                "--fire-classes, --ignition-rates, --non-collapse-ignition, --wind-reach, --water-sources, "
                    + "--response-minutes and --spread-event need --fire")
        }
        guard (waterSources == nil) == (responseMinutes == nil) else {
            throw ValidationError("--water-sources and --response-minutes go together: give both or neither")
        }
        guard ignitionRates == nil || nonCollapseIgnition == nil else {
            throw ValidationError(
                "--ignition-rates and --non-collapse-ignition are two ways to say one thing: give one")
        }
    }

    /// The fire part of a run's configuration at the event's hour, or nil without --fire (the
    /// library checks it).
    func configuration(hour: Int) -> ScenarioRunConfiguration.Fire? {
        guard fire else { return nil }
        return ScenarioRunConfiguration.Fire(
            parameters: FireParameters(
                season: season, seasonCoefficient: seasonCoefficient, hour: hour, hourCoefficient: hourCoefficient,
                nonCollapseIgnitionPerCollapse: nonCollapseIgnition, windReachFactor: windReach,
                breakerInstallation: breakers, initialExtinguishment: initialExtinguishment, suppression: suppression,
                serviceSuppression: waterSources.flatMap { sources in
                    responseMinutes.map { FireServiceSuppression(waterSources: sources, responseMinutes: $0) }
                },
                windSpeed: wind, windFrom: windFrom),
            ignitionRates: ignitionRates, fireClasses: fireClasses, spreadDistances: spreadDistances,
            spreadCoefficients: spreadCoefficients, spreadEvent: spreadEvent)
    }
}

extension FireParameters.Season: ExpressibleByArgument {}
