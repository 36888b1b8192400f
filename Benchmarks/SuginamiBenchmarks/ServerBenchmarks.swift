import Benchmark
import Foundation
import SuginamiGIS
import SuginamiKit

/// The work of the daemon's `/routes` (target: p50 ≤ 0.2 ms of server time per request): the
/// walk from a position to the nearest open relief centre on the shelter tree built at start-up,
/// its instructions, and the GeoJSON text, for 1,000 positions in the ward. Time per request =
/// one iteration ÷ 1,000. HTTP itself is measured by `../shared/peers/server/bench.sh`.
func serverBenchmarks(dataset: SuginamiDataset) {
    let positions: [GeoPoint]
    let routing: ReliefCentreRouting
    do {
        let network = try RoadNetwork.load(.bundledSynthetic)
        routing = try ReliefCentreRouting(network: network, facilities: dataset.facilities, statuses: [:])
        guard let box = BoundingBox(covering: dataset.towns.flatMap { $0.boundary.polygons.flatMap(\.exterior) }) else {
            fatalError("the bundled towns have no extent")
        }
        var random = SplitMix64(seed: 7)
        positions = try (0..<1_000).map { _ in
            try GeoPoint(
                latitude: box.minLatitude + random.nextUnit() * (box.maxLatitude - box.minLatitude),
                longitude: box.minLongitude + random.nextUnit() * (box.maxLongitude - box.minLongitude))
        }
    } catch {
        fatalError("cannot prepare the routes benchmark: \(error)")
    }
    Benchmark("Routes: 1,000 answers of /routes from positions in the ward (walk, instructions, GeoJSON text)") {
        benchmark in
        let snapshot = await routing.snapshot
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for position in positions {
                // As the handler: the snapshot is read once per request, an actor hop the walk dwarfs.
                guard let way = try? snapshot.routeToNearestCentre(from: position) else { continue }
                let answer = RouteAnswer(
                    route: way.route, destination: .centre(way.centre.facility), networkNote: snapshot.network.note,
                    language: .english)
                blackHole(answer.geoJSONFeature().serialized())
            }
        }
        benchmark.stopMeasurement()
    }
}
