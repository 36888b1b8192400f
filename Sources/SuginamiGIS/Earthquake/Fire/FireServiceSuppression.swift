import Foundation

/// Suppression by the fire services (公設消防) and the volunteer fire corps (消防団), by TMG's
/// (2022, p. 6-23, PRIMARY) formula after 火災予防審議会・東京消防庁 (2005):
///
/// - P_S = {1 − (1 − 249,705 / 地域面積)^水利数} × 30 / {29 × (消火活動開始所要時間 +
///   駆付け時間 + ホース展開時間) / 10}, the fire services' share of fires stopped;
/// - P_D = P_S / 2, the fire corps' (pump outlets 2 against 3, halved for an earthquake);
/// - P = P_D + (1 − P_D) P_S, the share of flaming fires stopped before they spread.
///
/// Its inputs are a municipality's own figures, which the bundled data lack: the number of water
/// sources (消防水利) in the area and the minutes from the call to water on the fire. So there is
/// no default, and a run without them models no suppression (as TFD's spread survey) and says so.
/// The units are not printed in the retrieved text: they are read as square metres and minutes
/// (ASSUMED), so that 249,705 m² is the area one water source serves and the time factor is 1 at
/// about 10 minutes. Both factors are kept within [0, 1].
public struct FireServiceSuppression: Sendable, Hashable, Codable {
    /// 水利数: fire-fighting water sources (hydrants, cisterns) in the area.
    public var waterSources: Int
    /// 消火活動開始所要時間 + 火点までの平均的な駆付け時間 + ホース展開時間, minutes.
    public var responseMinutes: Double
    /// 地域面積, m²; `nil` takes the total area of the run's towns (町丁目).
    public var area: Double?
    /// Whether ``area`` was filled in from the run's towns rather than given (for provenance).
    var areaIsTheTowns = false

    private enum CodingKeys: String, CodingKey { case waterSources, responseMinutes, area }

    /// The area one water source serves in TMG's formula, m² (ASSUMED unit).
    public static let areaPerWaterSource = 249_705.0

    /// Creates the inputs.
    public init(waterSources: Int, responseMinutes: Double, area: Double? = nil) {
        self.waterSources = waterSources
        self.responseMinutes = responseMinutes
        self.area = area
    }

    /// Checks the inputs.
    /// - Throws: ``FireInputError`` naming the input: a negative water-source count, a response
    ///   time that is not 1 to 1,440 minutes, an area that is not positive.
    public func validated() throws(FireInputError) -> FireServiceSuppression {
        func fail(_ field: String, _ reason: String) -> FireInputError {
            FireInputError(source: "fire parameters", field: field, reason: reason)
        }
        guard (0...10_000_000).contains(waterSources) else {
            throw fail("waterSources", "\(waterSources) must be 0 to 10,000,000 water sources")
        }
        guard responseMinutes.isFinite, (1...1_440).contains(responseMinutes) else {
            throw fail("responseMinutes", "\(responseMinutes) must be 1 to 1,440 minutes")
        }
        if let area {
            guard area.isFinite, area > 0, area <= 1e12 else {
                throw fail("area", "\(area) m² must be a positive area up to 1,000,000 km²")
            }
        }
        return self
    }

    /// The share of the area within reach of a water source: 1 − (1 − 249,705 / area)^sources.
    public func coverage(area: Double) -> Double {
        1 - pow(1 - min(1, Self.areaPerWaterSource / area), Double(waterSources))
    }

    /// The time factor 30 / (29 × minutes / 10), at most 1.
    public var timeFactor: Double { min(1, 30 / (29 * responseMinutes / 10)) }

    /// P_S, the fire services' share of fires stopped.
    public func publicShare(area: Double) -> Double { coverage(area: area) * timeFactor }

    /// P = P_D + (1 − P_D) P_S with P_D = P_S / 2: the share of flaming fires stopped.
    public func share(area: Double) -> Double {
        let services = publicShare(area: area)
        let corps = services / 2
        return corps + (1 - corps) * services
    }

    /// The line for a run's provenance, at `area`.
    func provenance(area: Double) -> String {
        "fire: suppression by fire services and fire corps \(String(format: "%.3f", share(area: area))) = P_D + "
            + "(1 − P_D) P_S, P_S = coverage \(String(format: "%.3f", coverage(area: area))) × time factor "
            + "\(String(format: "%.3f", timeFactor)), P_D = P_S / 2 (TMG 2022 p. 6-23, PRIMARY formula) with the "
            + "given \(waterSources) water sources over \(String(format: "%.2f", area / 1_000_000)) km²"
            + (areaIsTheTowns ? " (the towns' total area)" : " (given)")
            + " and \(responseMinutes) minutes from the call to water (given); units read as m² and minutes (ASSUMED)"
    }
}
