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
    var wind: Double = 8

    @Option(help: "Direction the wind blows from, degrees clockwise from north (TMG: 337.5, 北北西).")
    var windFrom: Double = 337.5

    @Option(help: "Season: winter (TMG's rates), spring-autumn or summer (these need --season-coefficient).")
    var season: FireParameters.Season = .winter

    @Option(help: "Ignition in --season relative to winter (no published factor was found).")
    var seasonCoefficient: Double?

    @Option(help: "Hour of the event, 0–23; any hour but 5 needs --hour-coefficient.")
    var hour = 5

    @Option(help: "時刻係数: appliance use at --hour relative to 5–6 a.m. (TMG's values were not found).")
    var hourCoefficient: Double?

    @Option(help: "Non-collapse ignition rates: CSV intensity,rate (not modelled without it).")
    var ignitionRates: String?

    @Option(help: "初期消火率, 0–1 (TMG 2022 current: 0.366).")
    var initialExtinguishment: Double = 0.366

    @Option(help: "感震ブレーカー installation rate, 0–1 (TMG 2022 current: 0.083).")
    var breakers: Double = 0.083

    @Option(help: "Share of flaming fires stopped by the fire services, 0–1 (default 0: none).")
    var suppression: Double = 0

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
        guard (spreadEvent == nil) == (spreadCoefficients == nil) else {
            throw ValidationError(
                "--spread-event and --spread-coefficients go together (the coefficients have no default)")
        }
        do {
            _ = try parameters(ignition: nil).validated()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The parameters (with a non-collapse table if given).
    func parameters(ignition: FragilityCurve?) -> FireParameters {
        FireParameters(
            season: season, seasonCoefficient: seasonCoefficient, hour: hour, hourCoefficient: hourCoefficient,
            nonCollapseRates: ignition,
            breakerInstallation: breakers, initialExtinguishment: initialExtinguishment, suppression: suppression,
            windSpeed: wind, windFrom: windFrom)
    }

    /// The fire inputs read from their files, or nil without --fire.
    func load() throws -> (parameters: FireParameters, distances: SpreadDistances, rule: FireClassRule)? {
        guard fire else { return nil }
        do {
            var ignition: FragilityCurve?
            if let ignitionRates {
                guard let text = try? String(contentsOfFile: ignitionRates, encoding: .utf8) else {
                    throw InputError("\(ignitionRates): cannot read the file")
                }
                ignition = try FireParameters.ignitionRates(csv: text, name: ignitionRates)
            }
            let distances: SpreadDistances
            if let spreadDistances {
                guard let text = try? String(contentsOfFile: spreadDistances, encoding: .utf8) else {
                    throw InputError("\(spreadDistances): cannot read the file")
                }
                distances = try SpreadDistances(csv: text, name: spreadDistances)
            } else {
                distances = try SpreadDistances.bundledDefault()
            }
            let rule = try fireClasses.map { try FireClassRule(parsing: $0) } ?? FireClassRule()
            return (try parameters(ignition: ignition).validated(), distances, rule)
        } catch let error as FireInputError {
            throw InputError(error.description)
        }
    }
}

extension FireParameters.Season: ExpressibleByArgument {}
