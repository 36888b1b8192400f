#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SuginamiKit

/// Jayaram & Baker (2009) correlation of within-event residuals: ρ(h) = exp(−3h/b), with the
/// range b from the period as OpenQuake's `JB2009CorrelationModel` has it (PGV is taken as
/// T = 1 s, so b = 25.7 km; PGA as T = 0).
public struct JayaramBaker2009: Sendable, Hashable {
    /// The range b, km.
    public let range: Double

    /// The model for a measure; `vs30Clustering` selects JB2009's case 2 for T < 1 s.
    public init(_ measure: IntensityMeasure, vs30Clustering: Bool = false) {
        let period = measure == .pgv ? 1.0 : 0.0
        if period >= 1 {
            range = 22.0 + 3.7 * period
        } else {
            range = vs30Clustering ? 40.7 - 15.0 * period : 8.5 + 17.2 * period
        }
    }

    /// ρ at separation `distance` km.
    public func correlation(distance: Double) -> Double { exp(-3 * distance / range) }
}

/// A spatially correlated field of standard normal within-event residuals over fixed points,
/// by the exact Cholesky factor of their correlation matrix (with a small jitter on the
/// diagonal, which keeps the factorisation stable when points nearly coincide).
///
/// Exact for any layout; its cost grows with the cube of the point count, so it suits the 250 m
/// mesh of a ward (hundreds to a few thousand cells).
public struct CholeskyField: Sendable {
    /// The number of points.
    public let count: Int
    /// The lower-triangular factor, row-major, `count × count`.
    let factor: [Double]
    /// The jitter added to the diagonal.
    public let jitter: Double

    /// The largest point count accepted (memory grows with its square: 8,000 points is 512 MB).
    public static let maximumPoints = 8_000

    /// Factorises the correlation of `points` under `model`.
    /// - Throws: ``CorrelationError`` for too many points or a matrix that is not positive
    ///   definite even with the jitter.
    public init(points: [GeoPoint], model: JayaramBaker2009, jitter: Double = 1e-8) throws(CorrelationError) {
        let n = points.count
        guard n <= Self.maximumPoints else { throw .tooManyPoints(n, Self.maximumPoints) }
        guard let origin = points.first else {
            count = 0
            factor = []
            self.jitter = jitter
            return
        }
        let plane = LocalPlane(origin: origin)
        let xy = points.map { plane.project($0) }
        var l = [Double](repeating: 0, count: n * n)
        l.withUnsafeMutableBufferPointer { l in
            for i in 0..<n {
                for j in 0...i {
                    let dx = (xy[i].east - xy[j].east) / 1000
                    let dy = (xy[i].north - xy[j].north) / 1000
                    var sum = model.correlation(distance: (dx * dx + dy * dy).squareRoot()) + (i == j ? jitter : 0)
                    // Σ_k<j L[i,k] L[j,k]: contiguous rows, so the loop vectorises.
                    let rowI = i * n
                    let rowJ = j * n
                    var dot = 0.0
                    for k in 0..<j { dot += l[rowI + k] * l[rowJ + k] }
                    sum -= dot
                    if i == j {
                        l[rowI + i] = sum > 0 ? sum.squareRoot() : .nan
                    } else {
                        l[rowI + j] = sum / l[rowJ + j]
                    }
                }
            }
        }
        for i in 0..<n where !(l[i * n + i] > 0) { throw .notPositiveDefinite(row: i) }
        count = n
        factor = l
        self.jitter = jitter
    }

    /// The correlated field L·ε for independent standard normals ε, written into `output`.
    public func correlate(_ independent: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(independent.count == count && output.count == count, "buffers must have the point count")
        factor.withUnsafeBufferPointer { l in
            for i in 0..<count {
                let row = i * count
                var sum = 0.0
                for k in 0...i { sum += l[row + k] * independent[k] }
                output[i] = sum
            }
        }
    }
}

/// Why a correlated field could not be built.
public enum CorrelationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More points than the exact method accepts.
    case tooManyPoints(Int, Int)
    /// The matrix is not positive definite at this row.
    case notPositiveDefinite(row: Int)
    /// A grid spacing that is not a positive number, or a box with invalid corners.
    case invalidGrid

    /// A sentence.
    public var description: String {
        switch self {
        case .tooManyPoints(let n, let limit):
            "\(n) points are more than the exact (Cholesky) method takes (\(limit)); use a coarser grid"
        case .notPositiveDefinite(let row): "the correlation matrix is not positive definite (row \(row))"
        case .invalidGrid: "the grid spacing must be a positive number and the box valid"
        }
    }
}
