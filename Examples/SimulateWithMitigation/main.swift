import Foundation
import SuginamiGIS

// Simulate an earthquake with fire over the buildings of a store, paired with a mitigation
// scenario on the same random numbers, with each relief centre's demand, and write the run (all
// or nothing): what `refd simulate --fire --mitigation` does, through the SDK's public API alone.
//
//   simulate-with-mitigation DATABASE SCENARIO MITIGATION.json OUT [EVENTS]
let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    print("usage: simulate-with-mitigation DATABASE SCENARIO MITIGATION.json OUT [EVENTS]")
    exit(2)
}
do {
    let store = try SuginamiStore(path: arguments[1])
    var configuration = ScenarioRunConfiguration(
        scenario: arguments[2], events: arguments.count > 5 ? Int(arguments[5]) ?? 1_000 : 1_000)
    configuration.fire = ScenarioRunConfiguration.Fire(fireClasses: "wooden=fire_preventive,non_wooden=fire_resistant")
    configuration.mitigation = arguments[3]
    let run = try ScenarioRun(configuration)
    let outcome = try await run.run(
        buildings: try await store.buildings(), towns: try await store.towns(),
        reliefCentres: try await store.facilities(kinds: [.reliefCentre]), buildingSource: arguments[1])
    try outcome.write(to: URL(fileURLWithPath: arguments[4]))
    if let comparison = outcome.mitigated?.comparison, let collapsed = comparison.ward.differences[.collapsed] {
        print("collapsed: \(collapsed.baseline) → \(collapsed.mitigated)")
    }
} catch {
    // Every error of the SDK says what is wrong and where (file, row, field, reason).
    print("error: \(error)")
    exit(1)
}
