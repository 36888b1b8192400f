#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counter-based random numbers: each draw is a pure function of (seed, stream, event, index,
/// draw), so a value does not depend on thread count, chunking, the order of work, or on other
/// cells and buildings being added; baseline and mitigated runs with the same seed share every
/// number (common random numbers).
///
/// The hash is SplitMix64's finaliser applied along the key (a well-tested 64-bit mixer); written
/// by hand because the keyed, stateless form is not what `RandomNumberGenerator` packages offer.
public struct CounterRandom: Sendable, Hashable {
    /// The run's seed.
    public let seed: UInt64

    /// Streams keep independent uses of the same indices apart.
    public enum Stream: UInt64, Sendable {
        /// Between-event residual η (one per event).
        case betweenEvent = 1
        /// Within-event residuals ε (one per event and cell).
        case withinEvent = 2
        /// Real parts of a circulant-embedding field's spectral draws.
        case fieldReal = 3
        /// Imaginary parts of a circulant-embedding field's spectral draws.
        case fieldImaginary = 4
        /// Whether a building's fire flames up (one per event and building key).
        case fireIgnition = 5
    }

    /// Creates a generator.
    public init(seed: UInt64) { self.seed = seed }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in (0, 1) for the key.
    @inline(__always)
    public func uniform(_ stream: Stream, event: UInt64, index: UInt64, draw: UInt64) -> Double {
        var h = Self.mix(seed ^ (stream.rawValue &* 0xD6E8_FEB8_6659_FD93))
        h = Self.mix(h ^ event)
        h = Self.mix(h ^ (index &* 0x9E37_79B9_7F4A_7C15))
        h = Self.mix(h ^ draw)
        // 53 random bits, shifted off zero.
        return (Double(h >> 11) + 0.5) * 0x1.0p-53
    }

    /// A standard normal number truncated to [−limit, limit] (by rejection: the next draws of
    /// the same key), by the Box–Muller transform.
    public func truncatedNormal(_ stream: Stream, event: UInt64, index: UInt64, limit: Double) -> Double {
        var draw: UInt64 = 0
        while true {
            let u = uniform(stream, event: event, index: index, draw: draw)
            let v = uniform(stream, event: event, index: index, draw: draw + 1)
            let z = (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            if abs(z) <= limit || !limit.isFinite { return z }
            draw += 2
        }
    }
}
