import Foundation
import SuginamiGIS

// The route from a position to the nearest open relief centre (震災救援所) after roads close:
// what `refd route --closures` does, through the SDK's public API alone.
//
//   route-with-closure DATABASE LONGITUDE,LATITUDE CLOSURES.csv
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    print("usage: route-with-closure DATABASE LONGITUDE,LATITUDE CLOSURES.csv")
    exit(2)
}
do {
    let origin = try GeoPoint(parsing: arguments[2])
    let network = try RoadNetwork.load(.bundledSynthetic)
    let routing = try await ReliefCentreRouting(store: try SuginamiStore(path: arguments[1]), network: network)
    // Closures arrive while the service runs: the tree is repaired in place.
    try await routing.close(
        edges: try RoadNetworkInputs.closures(URL(fileURLWithPath: arguments[3]), in: network.graph))
    let way = try await routing.snapshot.routeToNearestCentre(from: origin)
    print("centre: \(way.centre.facility.id) \(way.centre.facility.name)")
    print("length_m: \(String(format: "%.1f", way.route.length))")
    for sentence in way.instructions.sentences(.english) { print(sentence) }
} catch {
    // Every error of the SDK says what is wrong and where (file, row, field, reason).
    print("error: \(error)")
    exit(1)
}
