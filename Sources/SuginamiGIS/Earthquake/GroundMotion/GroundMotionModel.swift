/// A ground-motion prediction equation (GMPE): the seam where a municipality plugs in its
/// official model without forking the engine.
///
/// The engine asks for the median and the total standard deviation of ln PGV on the engineering
/// bedrock (Vs 600 m/s) at each 250 m cell, then applies the site model and the between- and
/// within-event variability. ``SiMidorikawa1999`` is the bundled conformer, verified value by
/// value against OpenQuake's implementation.
///
/// ```swift
/// struct PrefectureModel: GroundMotionModel {
///     var identifier: String { "tokyo-2022-pgv" }
///     var earthquakeType: EarthquakeType { .crustal }
///     var provenance: String { "ground motion: the prefecture's 2022 PGV model (report §3.2)" }
///     func lnMean(_ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double,
///                 rupture: Double, region: RegionalDistances?) throws(GroundMotionError) -> Double {
///         0.58 * magnitude - 1.2 - log(rupture + 1)   // the official equation here
///     }
///     func sigma(_ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double,
///                rupture: Double) throws(GroundMotionError) -> Double { 0.53 }
/// }
/// let scenario = DamageSimulation.Scenario(name: "…", rupture: rupture, model: PrefectureModel())
/// ```
public protocol GroundMotionModel: Sendable {
    /// A stable name (for provenance, and to tell two models apart).
    var identifier: String { get }
    /// The type of earthquake the model is for; a rupture of another type is refused.
    var earthquakeType: EarthquakeType { get }
    /// One line for a run's provenance: the model, its source and how the engine feeds it.
    var provenance: String { get }
    /// ln of the median of `measure` on the Vs 600 m/s layer (PGV in cm/s, PGA in g).
    /// - Parameters:
    ///   - measure: PGV or PGA.
    ///   - magnitude: moment magnitude.
    ///   - hypocentralDepth: km.
    ///   - rupture: the closest distance to the rupture plane, km.
    ///   - region: the distances a regional model needs (trench, volcanic front), if any.
    /// - Throws: ``GroundMotionError`` for inputs outside the model's range.
    func lnMean(
        _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double,
        region: RegionalDistances?
    ) throws(GroundMotionError) -> Double
    /// The total standard deviation of ln(`measure`).
    /// - Throws: ``GroundMotionError`` for inputs outside the model's range.
    func sigma(
        _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double
    ) throws(GroundMotionError) -> Double
}

extension SiMidorikawa1999: GroundMotionModel {
    /// `si-midorikawa-1999-` and the variant.
    public var identifier: String { "si-midorikawa-1999-\(variant.rawValue)" }

    /// The variant's type.
    public var earthquakeType: EarthquakeType { variant.earthquakeType }

    /// The equation, its source and the regional correction.
    public var provenance: String {
        "ground motion: \(variant.rawValue) (NIED 2009 eq. 3.5.1-1, 3.5.5), PGV on Vs 600 m/s, "
            + "rrup to the rupture plane at each 250 m cell centre"
            + (variant.isRegional
                ? "; regional correction (eq. 3.5.2-1/-2) with each cell's distance to the trench (NIED table "
                    + "3.5.2-1) or volcanic front (table 3.5.2-2) as OpenQuake's Rx, and rhypo"
                : "")
    }
}

extension GroundMotionModel {
    /// ``lnMean(_:magnitude:hypocentralDepth:rupture:region:)`` without regional distances.
    public func lnMean(
        _ measure: IntensityMeasure, magnitude: Double, hypocentralDepth: Double, rupture: Double
    ) throws(GroundMotionError) -> Double {
        try lnMean(measure, magnitude: magnitude, hypocentralDepth: hypocentralDepth, rupture: rupture, region: nil)
    }
}
