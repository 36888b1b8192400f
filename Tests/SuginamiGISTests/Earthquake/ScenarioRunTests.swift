import Foundation
import SuginamiTestSupport
import Testing

@testable import SuginamiGIS

/// The simulation facade: bad configurations are named, runs are cancellable and leave the
/// cooperative pool free, and a written run replays to the same results.
@Suite("ScenarioRun")
struct ScenarioRunTests {
    /// The two towns of ``DamageSimulationTests/buildings(_:year:structure:)``.
    static func towns() throws -> [Town] {
        let square = try GeoMultiPolygon([
            GeoPolygon(rings: [
                [
                    GeoPoint(parsing: "139.58,35.66"), GeoPoint(parsing: "139.68,35.66"),
                    GeoPoint(parsing: "139.68,35.73"), GeoPoint(parsing: "139.58,35.66"),
                ]
            ])
        ])
        return [
            Town(
                code: "131150010", name: "A", boundary: square, households: 400,
                population: AgeProfile(men: [450], women: [450])),
            Town(
                code: "131150020", name: "B", boundary: square, households: 300,
                population: AgeProfile(men: [300], women: [300])),
        ]
    }

    @Test func badConfigurationsAreNamedBeforeAnyWork() throws {
        func problem(_ configuration: ScenarioRunConfiguration) -> InputFileError? {
            do {
                _ = try ScenarioRun(configuration)
                return nil
            } catch {
                return error
            }
        }
        #expect(problem(.init(scenario: "toshin-nanbu-chokka-m7.3", events: 0))?.field == "events")
        #expect(
            problem(.init(scenario: "toshin-nanbu-chokka-m7.3", nightPopulationWooden: 10))?.field == "nightPopulation")
        let unknown = problem(.init(scenario: "no-such-scenario"))
        #expect(unknown?.reason.contains("no bundled scenario of that name") == true)
        let missing = problem(.init(scenario: "toshin-nanbu-chokka-m7.3", fragility: "/nonexistent/f.csv"))
        #expect(missing?.file == "/nonexistent/f.csv" && missing?.reason.contains("cannot read") == true)
        var windy = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3")
        windy.fire = .init(parameters: FireParameters(windSpeed: -3))
        #expect(problem(windy) != nil)
        var spread = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3", events: 10)
        spread.fire = .init(spreadCoefficients: "c.json", spreadEvent: 10)
        #expect(problem(spread)?.field == "spreadEvent")
    }

    /// One hour rules a run: given to the run, it is the fire's too (a library user's
    /// `FireParameters()` says 5 by default), and the record keeps it; without it the fire's hour
    /// is the run's; an hour without a 時刻係数 is refused with fire.
    @Test func theRunsHourIsTheFiresHour() throws {
        var noon = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3", hour: 12)
        noon.fire = .init()
        let run = try ScenarioRun(noon)
        #expect(run.fire?.parameters.hour == 12)
        #expect(abs((run.fire?.parameters.effectiveHourCoefficient ?? 0) - 23_211.0 / 14_711) < 1e-12)
        #expect(run.recordedConfiguration().fire?.parameters.hour == 12 && run.recordedConfiguration().hour == 12)
        var evening = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3")
        evening.fire = .init(parameters: FireParameters(hour: 18))
        #expect(evening.effectiveHour == 18)
        #expect(try ScenarioRun(evening).fire?.parameters.hour == 18)
        var late = ScenarioRunConfiguration(scenario: "toshin-nanbu-chokka-m7.3", hour: 14)
        late.fire = .init()
        do {
            _ = try ScenarioRun(late)
            Issue.record("a fire at 14 h without its 時刻係数 was accepted")
        } catch {
            #expect(error.field == "hourCoefficient")
        }
    }

    @Test func cancellingStopsTheRunAndOtherTasksKeepRunning() async throws {
        let buildings = try DamageSimulationTests.buildings(20_000)
        let run = try ScenarioRun(.init(scenario: "toshin-nanbu-chokka-m7.3", events: 1_000_000))
        let events = EventCounter()
        let task = Task {
            try await run.run(buildings: buildings, towns: try Self.towns()) { progress in
                if case .events(let done, _) = progress { events.record(done) }
            }
        }
        // While the run works, a task on the cooperative pool still gets to run (the run holds
        // no cooperative thread), and it finishes long before the run would.
        let sleeper = Task {
            try await Task.sleep(for: .milliseconds(50))
            return events.latest
        }
        let seenBySleeper = try await sleeper.value
        #expect(seenBySleeper < 1_000_000)
        while events.latest == 0 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(events.latest < 1_000_000)
    }

    @Test func aWrittenRunReplaysToTheSameResults() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let buildings = try DamageSimulationTests.buildings(600)
        // A fragility file given by path, so that the record must point at its copy.
        let fragility = Programs.repositoryRoot.appendingPathComponent(
            "Sources/SuginamiGIS/Resources/fragility-derived.csv")
        let run = try ScenarioRun(
            .init(scenario: "toshin-nanbu-chokka-m7.3", events: 60, seed: 7, fragility: fragility.path))
        let outcome = try await run.run(
            buildings: buildings.reversed(), towns: try Self.towns(), buildingSource: "test")
        try outcome.write(to: directory)
        let record = try ScenarioRunRecord.read(runDirectory: directory)
        #expect(record.configuration.fragility == "inputs/fragility.csv" && record.buildings == 600)
        let replay = try ScenarioRun(record.replayConfiguration(in: directory))
        let again = try await replay.run(buildings: buildings, towns: try Self.towns())
        #expect(again.baseline.cellsCSV() == outcome.baseline.cellsCSV())
        #expect(again.baseline.townsCSV() == outcome.baseline.townsCSV())
    }
}

/// The latest event count a run reported, from any thread.
final class EventCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func record(_ done: Int) {
        lock.lock()
        value = max(value, done)
        lock.unlock()
    }

    var latest: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
