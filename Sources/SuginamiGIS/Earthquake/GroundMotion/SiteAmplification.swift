#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// PGV amplification from the Vs 600 m/s layer of ``SiMidorikawa1999`` to the surface, from
/// the average shear-wave velocity of the top 30 m (AVS30). Two published conventions are in use:
///
/// - ``Convention/fujimotoMidorikawa2006``: log10 ARV = 2.367 − 0.852 log10 AVS30, normalised
///   to 600 m/s (its factor at 400 m/s, 1.41, is the one OpenQuake applies).
/// - ``Convention/midorikawa1994``: log10 ARV = 1.83 − 0.66 log10 AVS30 (松岡・翠川 1994, used by
///   NIED's J-MAP simplified method), normalised to 600 m/s (factor 1.31 at 400 m/s).
///
/// The two differ by about 8 % in PGV (0.055 in JMA intensity) on a 400 m/s site. Which one a
/// run uses is part of its recorded inputs.
public enum SiteAmplification {
    /// The published relations.
    public enum Convention: String, Sendable, Hashable, Codable, CaseIterable {
        /// Fujimoto & Midorikawa (2006).
        case fujimotoMidorikawa2006 = "fujimoto-midorikawa-2006"
        /// Midorikawa, Matsuoka & Sakugawa (1994).
        case midorikawa1994 = "midorikawa-1994"

        /// (a, b) of log10 ARV = a − b log10 AVS30.
        var coefficients: (Double, Double) {
            switch self {
            case .fujimotoMidorikawa2006: (2.367, 0.852)
            case .midorikawa1994: (1.83, 0.66)
            }
        }
    }

    /// The PGV factor from the 600 m/s layer to a site of `avs30` m/s.
    /// - Throws: ``GroundMotionError/invalidAVS30(_:)`` for a velocity that is not positive and finite.
    public static func pgvFactor(avs30: Double, convention: Convention) throws(GroundMotionError) -> Double {
        guard avs30.isFinite, avs30 > 0 else { throw .invalidAVS30(avs30) }
        let (_, b) = convention.coefficients
        // ARV(avs30) / ARV(600): the intercept cancels.
        return pow(600 / avs30, b)
    }
}

/// JMA instrumental intensity (計測震度) and its classes (震度階級).
public enum JMAIntensity {
    /// Midorikawa, Fujimoto & Muramatsu (1999): I = 2.68 + 1.72 log10 PGV (surface PGV in cm/s),
    /// fitted for 4 ≤ I ≤ 7; values outside are returned as computed, clamped to 0…7.
    /// - Throws: ``GroundMotionError/invalidPGV(_:)`` for PGV that is not positive and finite.
    public static func fromPGV(_ pgv: Double) throws(GroundMotionError) -> Double {
        guard pgv.isFinite, pgv > 0 else { throw .invalidPGV(pgv) }
        return fromLnPGV(log(pgv))
    }

    /// The same from ln PGV (what the simulation carries), with no check: for hot loops.
    @inlinable @inline(__always)
    public static func fromLnPGV(_ lnPGV: Double) -> Double {
        min(7, max(0, 2.68 + 1.72 * lnPGV / M_LN10))
    }

    /// 震度階級 from the instrumental intensity, by JMA's boundaries (rounded to one decimal
    /// first, as JMA does).
    public enum Class: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// 震度0.
        case zero = "0"
        /// 震度1.
        case one = "1"
        /// 震度2.
        case two = "2"
        /// 震度3.
        case three = "3"
        /// 震度4.
        case four = "4"
        /// 震度5弱.
        case fiveLower = "5-"
        /// 震度5強.
        case fiveUpper = "5+"
        /// 震度6弱.
        case sixLower = "6-"
        /// 震度6強.
        case sixUpper = "6+"
        /// 震度7.
        case seven = "7"

        /// The class of an instrumental intensity.
        public init(instrumental: Double) {
            let value = (instrumental * 10).rounded() / 10
            let lowerBounds: [(Double, Class)] = [
                (6.5, .seven), (6.0, .sixUpper), (5.5, .sixLower), (5.0, .fiveUpper), (4.5, .fiveLower),
                (3.5, .four), (2.5, .three), (1.5, .two), (0.5, .one),
            ]
            self = lowerBounds.first { value >= $0.0 }?.1 ?? .zero
        }

        /// The Japanese name, e.g. 震度6弱.
        public var japanese: String {
            switch self {
            case .fiveLower: "震度5弱"
            case .fiveUpper: "震度5強"
            case .sixLower: "震度6弱"
            case .sixUpper: "震度6強"
            default: "震度\(rawValue)"
            }
        }

        /// In increasing strength.
        public static func < (lhs: Class, rhs: Class) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }
}
