#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fits Φ((I − μ)/σ) to published points (intensity, rate) by least squares in probit space:
/// Φ⁻¹(rate) = (I − μ)/σ is a line in I. This is how the SDK's default set is derived from the
/// points that could be recovered (see `FRAGILITY.md` beside the data).
public enum FragilityFit {
    /// μ and σ through two or more points with rates strictly between 0 and 1.
    /// - Returns: nil when fewer than two usable points are given or they do not rise.
    public static func normal(points: [(intensity: Double, rate: Double)]) -> (mu: Double, sigma: Double)? {
        let usable = points.filter { $0.rate > 0 && $0.rate < 1 }
        guard usable.count >= 2 else { return nil }
        let xs = usable.map(\.intensity)
        let zs = usable.map { inverseNormalCDF($0.rate) }
        let n = Double(usable.count)
        let meanX = xs.reduce(0, +) / n
        let meanZ = zs.reduce(0, +) / n
        let sxx = xs.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        let sxz = zip(xs, zs).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanZ) }
        guard sxx > 0, sxz > 0 else { return nil }
        let slope = sxz / sxx
        return (meanX - meanZ / slope, 1 / slope)
    }

    /// μ for a given σ through one point: I − σ Φ⁻¹(rate).
    public static func mu(through point: (intensity: Double, rate: Double), sigma: Double) -> Double {
        point.intensity - sigma * inverseNormalCDF(point.rate)
    }

    /// Φ⁻¹(p) by Newton's method on libm's erfc (a fitting tool, not a hot loop).
    public static func inverseNormalCDF(_ p: Double) -> Double {
        var z = 0.0
        for _ in 0..<60 {
            let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
            let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            let step = (cdf - p) / density
            z -= step
            if abs(step) < 1e-15 { break }
        }
        return z
    }
}
