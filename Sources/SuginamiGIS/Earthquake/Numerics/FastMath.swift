/// Branch-free polynomial kernels for the simulation's hot loops, where libm calls would keep
/// the loops scalar. Written by hand because no package in reach offers vector transcendental
/// functions for Swift on Linux. Each is checked against libm in the tests.
@usableFromInline enum FastMath {
    /// e^x for |x| ≤ 700: range reduction by ln 2 (x = k ln 2 + r, |r| ≤ ln2/2), a degree-13
    /// Taylor polynomial for e^r (truncation below 1e-17 relative), and 2^k by building the exponent
    /// bits.
    @inlinable @inline(__always)
    static func exp(_ x: Double) -> Double {
        let clamped = min(max(x, -700), 700)
        let k = (clamped * 1.442_695_040_888_963_4).rounded()
        // ln 2 split in two for an exact product with k.
        let r = (clamped - k * 0.693_147_180_369_123_8) - k * 1.908_214_929_270_587_7e-10
        var p = 1.0 / 6_227_020_800
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = UInt64(bitPattern: Int64(k) + 1023) << 52
        return p * Double(bitPattern: bits)
    }

    /// The standard normal CDF Φ(z), through erfc by Abramowitz & Stegun 7.1.26 (absolute error
    /// below 1.5e-7 in erfc, so below 1e-7 in Φ), with the fast exp.
    @inlinable @inline(__always)
    static func normalCDF(_ z: Double) -> Double {
        let x = abs(z) * 0.707_106_781_186_547_5
        let t = 1 / (1 + 0.327_591_1 * x)
        var poly = 1.061_405_429
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        let erfc = poly * t * exp(-x * x)
        let upper = 0.5 * erfc  // Φ(−|z|)
        return z < 0 ? upper : 1 - upper
    }
}
