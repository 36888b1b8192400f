import ArgumentParser
import Foundation
import SuginamiGIS
import Testing

@testable import refd

/// `refd`'s arguments, parsed in process as swift-argument-parser tests its own commands: what
/// each option becomes in the library's terms, and the message a bad one gets.
@Suite("refd arguments")
struct ArgumentParsingTests {
    /// The message a user sees for arguments the command refuses.
    func message<Command: ParsableCommand>(_ type: Command.Type, _ arguments: [String]) -> String? {
        do {
            _ = try type.parse(arguments)
            return nil
        } catch {
            return type.message(for: error)
        }
    }

    @Test func simulateOptionsBecomeTheLibrarysConfiguration() throws {
        let command = try SimulateCommand.parse([
            "--scenario", "toshin-nanbu-chokka-m7.3", "--out", "o", "--events", "10", "--seed", "7", "--fire",
            "--wind", "4", "--mitigation", "m.json",
        ])
        let configuration = command.configuration
        #expect(configuration.events == 10 && configuration.seed == 7 && configuration.mitigation == "m.json")
        #expect(configuration.fire?.parameters.windSpeed == 4)
        // Unset options are the library's defaults, stated once, there.
        let plain = try SimulateCommand.parse(["--scenario", "x", "--out", "o", "--fire"])
        #expect(plain.configuration.fire?.parameters == FireParameters())
        #expect(plain.configuration.events == ScenarioRunConfiguration(scenario: "x").events)
        #expect(try SimulateCommand.parse(["--scenario", "x", "--out", "o"]).configuration.fire == nil)
    }

    @Test func badSimulateOptionsNameTheOption() {
        let events = message(SimulateCommand.self, ["--scenario", "x", "--out", "o", "--events", "0"])
        #expect(events?.contains("--events: must be 1 to 1,000,000") == true, "\(events ?? "")")
        let breakers = message(SimulateCommand.self, ["--scenario", "x", "--out", "o", "--fire", "--breakers", "2"])
        #expect(breakers?.contains("--breakers:") == true, "\(breakers ?? "")")
        let night = message(SimulateCommand.self, ["--scenario", "x", "--out", "o", "--night-population-wooden", "5"])
        #expect(night?.contains("--night-population-wooden") == true, "\(night ?? "")")
        let same = message(SimulateCommand.self, ["--scenario", "x", "--out", "d", "--report", "d"])
        #expect(same?.contains("name the same directory") == true)
    }

    @Test func positionsAreLongitudeLatitudeEverywhere() throws {
        let route = try RouteCommand.parse(["--from", "139.6366,35.6995"])
        #expect(route.from?.longitude == 139.6366 && route.from?.latitude == 35.6995)
        let near = try FacilitiesCommand.parse(["--near", "139.6366,35.6995"])
        #expect(near.near == route.from)
        let mesh = try MeshCommand.parse(["--point", "139.6366,35.6995"])
        #expect(mesh.point == route.from)
        for (command, arguments) in [
            (RouteCommand.self as any ParsableCommand.Type, ["--from", "35.6995,139.6366"]),
            (FacilitiesCommand.self, ["--near", "35.6995,139.6366"]),
            (MeshCommand.self, ["--point", "35.6995,139.6366"]),
        ] {
            let text = message(command, arguments)
            #expect(text?.contains("did you mean 139.6366,35.6995 (longitude,latitude)?") == true, "\(text ?? "")")
        }
    }

    @Test func routeOptionsPickTheNetworkSource() throws {
        #expect(try RouteCommand.parse(["--tree-csv", "t.csv"]).source == .bundledSynthetic)
        #expect(
            try RouteCommand.parse(["--network", "/n.sgknet", "--tree-csv", "t"]).source
                == .saved(URL(fileURLWithPath: "/n.sgknet")))
        #expect(
            try RouteCommand.parse(["--osm", "/a.osm.pbf", "--profile", "driving", "--tree-csv", "t"]).source
                == .openStreetMap(URL(fileURLWithPath: "/a.osm.pbf"), profile: .driving))
        let both = message(RouteCommand.self, ["--network", "a", "--osm", "b", "--tree-csv", "t"])
        #expect(both?.contains("give one of --network, --osm and --csv-network") == true)
        let unreported = try RouteCommand.parse(["--tree-csv", "t", "--unreported", "closed"])
        #expect(unreported.unreported == .closed)
    }
}
