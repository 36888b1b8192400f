#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Intensity measures the ground-motion models give.
public enum IntensityMeasure: String, Sendable, Hashable, Codable, CaseIterable {
    /// Peak ground velocity, cm/s.
    case pgv = "PGV"
    /// Peak ground acceleration, in g.
    case pga = "PGA"
}

/// Tectonic types of earthquake.
public enum EarthquakeType: String, Sendable, Hashable, Codable, CaseIterable {
    /// 地殻内地震 (active shallow crust).
    case crustal
    /// プレート間地震 (subduction interface).
    case interface
    /// プレート内地震 (subduction intraslab).
    case intraslab
}

/// Si & Midorikawa (1999) ground-motion prediction (司・翠川 1999), in the seven variants
/// OpenQuake's hazardlib implements, from the equations of the NIED (2009) "Technical Reports
/// on National Seismic Hazard Maps for Japan", eq. 3.5.1-1 (mean), 3.5.2-1/-2 (regional
/// corrections) and 3.5.5-1/-2 (sigma).
///
/// The equation gives the motion on a stiff layer of Vs = 600 m/s. ``lnMean(_:magnitude:hypocentralDepth:rupture:)``
/// returns that; site amplification is a separate step (``SiteAmplification``), because this SDK
/// varies it per 250 m mesh where OpenQuake accepts one uniform vs30 of 400, 600 or 800 m/s.
/// ``openQuakeSiteTerm(vs30:)`` reproduces OpenQuake's three values for side-by-side checks.
public struct SiMidorikawa1999: Sendable, Hashable {
    /// The variants, by OpenQuake's class names.
    public enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
        /// `SiMidorikawa1999Asc`: crustal.
        case crustal = "SiMidorikawa1999Asc"
        /// `SiMidorikawa1999SInter`: interface.
        case interface = "SiMidorikawa1999SInter"
        /// `SiMidorikawa1999SSlab`: intraslab.
        case intraslab = "SiMidorikawa1999SSlab"
        /// `SiMidorikawa1999SInterNorthEastCorrection`: interface, north-east Japan (trench distance).
        case interfaceNorthEast = "SiMidorikawa1999SInterNorthEastCorrection"
        /// `SiMidorikawa1999SInterSouthWestCorrection`: interface, south-west Japan (volcanic front).
        case interfaceSouthWest = "SiMidorikawa1999SInterSouthWestCorrection"
        /// `SiMidorikawa1999SSlabNorthEastCorrection`: intraslab, north-east Japan.
        case intraslabNorthEast = "SiMidorikawa1999SSlabNorthEastCorrection"
        /// `SiMidorikawa1999SSlabSouthWestCorrection`: intraslab, south-west Japan.
        case intraslabSouthWest = "SiMidorikawa1999SSlabSouthWestCorrection"

        /// The earthquake type the variant is for.
        public var earthquakeType: EarthquakeType {
            switch self {
            case .crustal: .crustal
            case .interface, .interfaceNorthEast, .interfaceSouthWest: .interface
            case .intraslab, .intraslabNorthEast, .intraslabSouthWest: .intraslab
            }
        }

        /// Whether the variant has a regional correction (and needs ``RegionalDistances``).
        public var isRegional: Bool {
            switch self {
            case .crustal, .interface, .intraslab: false
            case .interfaceNorthEast, .interfaceSouthWest, .intraslabNorthEast, .intraslabSouthWest: true
            }
        }
    }

    /// The variant.
    public let variant: Variant

    /// Magnitudes above this are clipped (NIED 2009, note to table 3.3.2-6).
    public static let magnitudeClip = 8.3
    /// The magnitude range the model is used for; outside it a prediction is an error.
    public static let magnitudeRange = 5.0...9.5
    /// Standard gravity, to turn cm/s² into g (as scipy.constants.g, which OpenQuake uses).
    public static let standardGravity = 9.806_65

    /// Creates the model.
    public init(_ variant: Variant) { self.variant = variant }

    /// The earthquake-type term d of eq. 3.5.1-1.
    func typeTerm(_ measure: IntensityMeasure) -> Double {
        switch (variant.earthquakeType, measure) {
        case (.crustal, _): 0
        case (.interface, .pgv): -0.02
        case (.interface, .pga): 0.01
        case (.intraslab, .pgv): 0.12
        case (.intraslab, .pga): 0.22
        }
    }

    /// log10 of the median on the Vs 600 m/s layer: PGV in cm/s, PGA in g.
    /// - Parameters:
    ///   - hypocentralDepth: D, km.
    ///   - rupture: X, the shortest distance to the rupture plane (rrup), km.
    func log10Median(_ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double)
        -> Double
    {
        let m = min(magnitude, Self.magnitudeClip)
        let d = typeTerm(measure)
        switch measure {
        case .pgv:
            return 0.58 * m + 0.0038 * hypocentralDepth + d - 1.29 - log10(rupture + 0.0028 * pow(10, 0.5 * m))
                - 0.002 * rupture
        case .pga:
            let centimetres =
                0.50 * m + 0.0043 * hypocentralDepth + d + 0.61 - log10(rupture + 0.0055 * pow(10, 0.5 * m))
                - 0.003 * rupture
            return centimetres - log10(Self.standardGravity * 100)
        }
    }

    /// The natural log of the median on the Vs 600 m/s layer (PGV in cm/s, PGA in g), with the
    /// regional correction of the north-east and south-west variants when `region` is given.
    /// - Throws: ``GroundMotionError`` for a magnitude outside ``magnitudeRange``, a negative or
    ///   non-finite distance or depth, or a regional variant without its region distances.
    public func lnMean(
        _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double,
        region: RegionalDistances? = nil
    ) throws(GroundMotionError) -> Double {
        try Self.check(magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture)
        var ln =
            log10Median(measure, magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture)
            * M_LN10
        switch variant {
        case .interfaceNorthEast, .intraslabNorthEast:
            guard let trench = region?.trench, trench.isFinite, let hypocentral = region?.hypocentral,
                hypocentral.isFinite, hypocentral >= 0
            else { throw .missingRegionalDistance(variant) }
            ln += log(trenchCorrection(measure, trench: trench, depth: hypocentralDepth, hypocentral: hypocentral))
        case .interfaceSouthWest, .intraslabSouthWest:
            guard let front = region?.volcanicFront, front.isFinite else { throw .missingRegionalDistance(variant) }
            ln += volcanicFrontLog10(measure, front: front, depth: hypocentralDepth) * M_LN10
        default:
            break
        }
        return ln
    }

    /// Eq. 3.5.2-1: amplification near the trench (north-east Japan), a factor ≥ 1 in the
    /// hypocentral distance (as OpenQuake reads the equation) times the deep-event term for
    /// H > 30 km.
    func trenchCorrection(_ measure: IntensityMeasure, trench: Double, depth: Double, hypocentral: Double) -> Double {
        let (c0, exponent, a, b): (Double, Double, Double, Double) =
            measure == .pgv ? (-0.012, 2.064, -4.021e-5, 9.905e-3) : (0.13, 3.2, -8.1e-5, 2.0e-2)
        var factor = max(1, pow(10, c0) * pow(hypocentral / 300, exponent))
        if depth > 30 { factor *= pow(10, (a * trench + b) * (depth - 30)) }
        return factor
    }

    /// Eq. 3.5.2-2: the volcanic-front term V1 (log10) for south-west Japan.
    func volcanicFrontLog10(_ measure: IntensityMeasure, front: Double, depth: Double) -> Double {
        let (near, far): (Double, Double) = measure == .pgv ? (4.28e-5, 3.21e-3) : (7.06e-5, 5.30e-3)
        return front <= 75 ? near * front * (depth - 30) : far * (depth - 30)
    }

    /// The total standard deviation of ln(motion) (the model has no between/within split).
    ///
    /// Crustal (eq. 3.5.5-2): 0.23 (log10) within 20 km, falling linearly in log distance to
    /// 0.20 at 30 km. Interface and intraslab (eq. 3.5.5-1): 0.20 up to a Vs600 PGV of 25 cm/s,
    /// linear to 0.15 at 50 cm/s. As in OpenQuake, the subduction rule is fed the variant's own
    /// median for the measure, so for PGA (in g, far below 25) it is always 0.20.
    public func sigma(
        _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double
    ) throws(GroundMotionError) -> Double {
        try Self.check(magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture)
        let log10Sigma: Double
        if variant.earthquakeType == .crustal {
            if rupture <= 20 {
                log10Sigma = 0.23
            } else if rupture <= 30 {
                log10Sigma = 0.23 - 0.03 * log10(rupture / 20) / log10(30.0 / 20)
            } else {
                log10Sigma = 0.20
            }
        } else {
            let motion = pow(
                10, log10Median(measure, magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture))
            log10Sigma = motion <= 25 ? 0.20 : motion <= 50 ? 0.20 - 0.05 * (motion - 25) / 25 : 0.15
        }
        return log10Sigma * M_LN10
    }

    /// OpenQuake's site term for this model (ln): 0 at vs30 600, ln 1.41 at 400, −ln 1.25 at 800.
    /// - Throws: ``GroundMotionError/unsupportedVs30(_:)`` for any other vs30, as OpenQuake does.
    public static func openQuakeSiteTerm(vs30: Double) throws(GroundMotionError) -> Double {
        switch vs30 {
        case 600: 0
        case 400: log(1.41)
        case 800: -log(1.25)
        default: throw .unsupportedVs30(vs30)
        }
    }

    static func check(magnitude: Double, hypocentralDepth: Double, rupture: Double) throws(GroundMotionError) {
        guard magnitude.isFinite, magnitudeRange.contains(magnitude) else {
            throw .magnitudeOutOfRange(magnitude, magnitudeRange)
        }
        guard hypocentralDepth.isFinite, hypocentralDepth >= 0 else { throw .invalidDepth(hypocentralDepth) }
        guard rupture.isFinite, rupture >= 0 else { throw .invalidDistance(rupture) }
    }
}

/// Why a ground-motion value could not be computed.
public enum GroundMotionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The magnitude is outside the model's range.
    case magnitudeOutOfRange(Double, ClosedRange<Double>)
    /// A negative or non-finite depth.
    case invalidDepth(Double)
    /// A negative or non-finite distance.
    case invalidDistance(Double)
    /// A regional variant was asked without its distance to the trench or volcanic front.
    case missingRegionalDistance(SiMidorikawa1999.Variant)
    /// OpenQuake's site term exists only for vs30 400, 600 and 800 m/s.
    case unsupportedVs30(Double)
    /// AVS30 must be a positive, finite velocity.
    case invalidAVS30(Double)
    /// PGV must be positive and finite to give an intensity.
    case invalidPGV(Double)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .magnitudeOutOfRange(let m, let range):
            "magnitude \(m) is outside the model's range \(range.lowerBound)–\(range.upperBound)"
        case .invalidDepth(let d): "hypocentral depth \(d) km must be a finite, non-negative number"
        case .invalidDistance(let x): "distance \(x) km must be a finite, non-negative number"
        case .missingRegionalDistance(let v):
            "\(v.rawValue) needs its regional distances (trench and hypocentral, or volcanic front)"
        case .unsupportedVs30(let v): "OpenQuake's Si-Midorikawa site term supports vs30 400, 600 or 800 m/s, not \(v)"
        case .invalidAVS30(let v): "AVS30 \(v) m/s must be a positive, finite velocity"
        case .invalidPGV(let v): "PGV \(v) cm/s must be positive and finite"
        }
    }
}
