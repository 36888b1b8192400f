/// The probability of reaching a damage state at a JMA instrumental intensity.
public enum FragilityCurve: Sendable, Hashable {
    /// Φ((I − μ) / σ): the Cabinet Office form (震度の正規分布).
    case normal(mu: Double, sigma: Double)
    /// Rates tabulated against intensity, linearly interpolated and held constant beyond the
    /// first and last points (the official tables stop at 計測震度 7.0 and hold the rate there).
    case table([(intensity: Double, rate: Double)])

    /// The probability at intensity `intensity`.
    @inlinable
    public func probability(atIntensity intensity: Double) -> Double {
        switch self {
        case .normal(let mu, let sigma):
            return FastMath.normalCDF((intensity - mu) / sigma)
        case .table(let points):
            guard let first = points.first, let last = points.last else { return 0 }
            if intensity <= first.intensity { return first.rate }
            if intensity >= last.intensity { return last.rate }
            var upper = 1
            while points[upper].intensity < intensity { upper += 1 }
            let a = points[upper - 1]
            let b = points[upper]
            return a.rate + (b.rate - a.rate) * (intensity - a.intensity) / (b.intensity - a.intensity)
        }
    }

    /// Equal forms and numbers.
    public static func == (lhs: FragilityCurve, rhs: FragilityCurve) -> Bool {
        switch (lhs, rhs) {
        case (.normal(let a, let b), .normal(let c, let d)): a == c && b == d
        case (.table(let x), .table(let y)): x.elementsEqual(y) { $0.intensity == $1.intensity && $0.rate == $1.rate }
        default: false
        }
    }

    /// Hashes the numbers.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .normal(let mu, let sigma):
            hasher.combine(mu)
            hasher.combine(sigma)
        case .table(let points):
            for point in points {
                hasher.combine(point.intensity)
                hasher.combine(point.rate)
            }
        }
    }
}

/// Ground classes of the official functions (TMG 2022: predominant period ≥ 0.5 s is soft).
public enum GroundClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Whatever the ground (the function has no ground split).
    case any
    /// Soft ground.
    case soft
    /// Hard ground.
    case hard
}
