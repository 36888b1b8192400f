/// A seeded random number generator (SplitMix64, Steele et al. 2014).
///
/// The standard library's generator cannot be seeded, and the synthetic data must come out the
/// same on every machine for the same seed; SplitMix64 is ten lines, fast and well tested.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from 53 random bits (platform-independent, unlike
    /// `Double.random(in:using:)` whose algorithm is not specified).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
