import Benchmark
import SuginamiGIS
import SuginamiKit

/// The static point index on 1,000,000 points and the town lookup on the bundled 139 towns;
/// µs per query = wall-clock time of one iteration ÷ 1,000.
func indexBenchmarks(towns: [Town]) {
    var random = SplitMix64(seed: 1_000_000)
    // A Tokyo-23-sized square (30 km) of points.
    let points = (0..<1_000_000).map { _ in
        PlanePoint(northing: random.nextUnit() * 30_000, easting: random.nextUnit() * 30_000)
    }
    let queries = (0..<1_000).map { _ in
        PlanePoint(northing: random.nextUnit() * 30_000, easting: random.nextUnit() * 30_000)
    }
    nonisolated(unsafe) var index: StaticPointIndex?

    Benchmark(
        "Point index: nearest neighbour among 1,000,000, 1,000 queries",
        configuration: .init(setup: { if index == nil { index = StaticPointIndex(points: points) } })
    ) { benchmark in
        guard let index else { return }
        for _ in benchmark.scaledIterations {
            for query in queries { blackHole(index.nearest(to: query)) }
        }
    }

    Benchmark("Point index: build over 1,000,000 points", configuration: .init(maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(StaticPointIndex(points: points)) }
    }

    let locator = TownLocator(towns: towns)
    let wardPoints = (0..<1_000).compactMap { _ in
        try? GeoPoint(latitude: 35.66 + random.nextUnit() * 0.07, longitude: 139.58 + random.nextUnit() * 0.10)
    }
    Benchmark("Town lookup, 1,000 points in the ward") { benchmark in
        for _ in benchmark.scaledIterations {
            for point in wardPoints { blackHole(locator.town(containing: point)) }
        }
    }
}
