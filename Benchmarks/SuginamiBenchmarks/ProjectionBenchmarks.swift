import Benchmark
import SuginamiGIS
import SuginamiKit

/// Projection to plane rectangular zone IX: the pure-Swift batch path against PROJ on the same
/// 1,000 points in the same run, both PROJ's batch call and one call a point. ns per point =
/// wall-clock time of one iteration ÷ 1,000.
func projectionBenchmarks() {
    var random = SplitMix64(seed: 6677)
    let latitudes = (0..<1_000).map { _ in 35.66 + random.nextUnit() * 0.07 }
    let longitudes = (0..<1_000).map { _ in 139.58 + random.nextUnit() * 0.10 }
    let projection = PlaneRectangularZone.ix.projection

    Benchmark("Projection: Gauss-Krüger batch, 1,000 points") { benchmark in
        var northings = [Double](repeating: 0, count: 1_000)
        var eastings = [Double](repeating: 0, count: 1_000)
        for _ in benchmark.scaledIterations {
            latitudes.withUnsafeBufferPointer { lat in
                longitudes.withUnsafeBufferPointer { lon in
                    northings.withUnsafeMutableBufferPointer { n in
                        eastings.withUnsafeMutableBufferPointer { e in
                            projection.forward(latitudes: lat, longitudes: lon, northings: n, eastings: e)
                        }
                    }
                }
            }
            blackHole(northings[999] + eastings[0])
        }
    }

    Benchmark("Projection: PROJ proj_trans_generic batch, 1,000 points") { benchmark in
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        var xs = longitudes
        var ys = latitudes
        for _ in benchmark.scaledIterations {
            // PROJ transforms in place: start each iteration from the same geographic points.
            xs.withUnsafeMutableBufferPointer { x in _ = x.update(fromContentsOf: longitudes) }
            ys.withUnsafeMutableBufferPointer { y in _ = y.update(fromContentsOf: latitudes) }
            xs.withUnsafeMutableBufferPointer { x in
                ys.withUnsafeMutableBufferPointer { y in transformer.transform(xs: x, ys: y) }
            }
            blackHole(xs[999] + ys[0])
        }
    }

    Benchmark("Projection: PROJ proj_trans, 1,000 points") { benchmark in
        let transformer = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for index in 0..<1_000 {
                let result = try transformer.transform(longitudes[index], latitudes[index])
                sum += result.x + result.y
            }
            blackHole(sum)
        }
    }
}
