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

    @Option(help: "Hour of the event, 0–23; any hour but 5 needs --hour-coefficient.")
    var hour: Int = FireParameters().hour

    @Option(help: "時刻係数: appliance use at --hour relative to 5–6 a.m. (TMG's values were not found).")
    var hourCoefficient: Double?

    @Option(help: "Non-collapse ignition rates: CSV intensity,rate (not modelled without it).")
    var ignitionRates: String?

    @Option(help: "初期消火率, 0–1 (TMG 2022 current).")
    var initialExtinguishment: Double = FireParameters().initialExtinguishment

    @Option(help: "感震ブレーカー installation rate, 0–1 (TMG 2022 current).")
    var breakers: Double = FireParameters().breakerInstallation

    @Option(help: "Share of flaming fires stopped by the fire services, 0–1.")
    var suppression: Double = FireParameters().suppression

    @Option(help: "Spread-limit distances CSV (default: the bundled SECONDARY table).")
    var spreadDistances: String?

    @Option(help: "Hamada-type spread-time coefficients JSON (required for --spread-event; no default).")
    var spreadCoefficients: String?

    @Option(help: "Run the time-stepped spread for this event's ignitions (6 h at 1-minute steps).")
    var spreadEvent: Int?

    func validate() throws {
        guard fire || (fireClasses == nil && spreadEvent == nil && ignitionRates == nil) else {
            throw ValidationError("--fire-classes, --ignition-rates and --spread-event need --fire")
        }
    }

    /// The fire part of a run's configuration, or nil without --fire (the library checks it).
    var configuration: ScenarioRunConfiguration.Fire? {
        guard fire else { return nil }
        return ScenarioRunConfiguration.Fire(
            parameters: FireParameters(
                season: season, seasonCoefficient: seasonCoefficient, hour: hour, hourCoefficient: hourCoefficient,
                breakerInstallation: breakers, initialExtinguishment: initialExtinguishment, suppression: suppression,
                windSpeed: wind, windFrom: windFrom),
            ignitionRates: ignitionRates, fireClasses: fireClasses, spreadDistances: spreadDistances,
            spreadCoefficients: spreadCoefficients, spreadEvent: spreadEvent)
    }
}

extension FireParameters.Season: ExpressibleByArgument {}
