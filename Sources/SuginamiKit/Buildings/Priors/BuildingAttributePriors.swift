import Foundation
import SuginamiCore

/// The documented rules that give a real footprint the attributes no open source records for
/// Suginami: storeys, structure (木造/非木造), construction year, floor area and 防火性能.
///
/// PLATEAU gives each building its footprint and measured height only. The damage and fire
/// models need structure, era and fire-resistance class, so the bundled stock draws them from
/// priors, and every record says so in ``Building/assumedAttributes``. The rules, each testable:
///
/// - **Storeys from height** (DERIVED): `max(1, round((height − 0.8 m) / 3.3 m))`, the rule that
///   matches the most storey counts of the 荒川区 sample (76.5 % exact, 98.5 % within one storey;
///   `Tools/plateau-buildings/learn_priors.py` re-derives it).
/// - **Structure** (DERIVED): the share of 木造 by height band and footprint band learnt from
///   the 荒川区 sample (each cell smoothed towards the sample's share with 10 pseudo-buildings),
///   shifted on the logit scale by one constant so that the expected 木造 share of the whole
///   stock equals the Tokyo-wide table's (70.3 %, TMG 2022): the sample gives the relation to
///   shape, Tokyo gives the level, because the sample is one dense wooden district.
/// - **Construction era** (DERIVED): the Tokyo-wide table's era mix for the structure; for
///   木造, reweighted by height band with the sample's ratio of each era class to its overall
///   mix (low houses are older, three-storey ones newer: 3-storey timber houses became common
///   after the 1987 code change). The sample's classes (≤1971, 1972–81, 1982–90, 1991–2000,
///   2001–) stand for the TMG classes they overlap most (≤1971 for both ≤1962 and 1963–71).
///   非木造 keeps the table's mix: the sample has too few to condition on.
/// - **Year** (ASSUMED): uniform within the era, open eras closed at 1946 and 2020.
/// - **Floor area** (ASSUMED): footprint area × storeys.
/// - **防火性能** (ASSUMED, no published per-building source): 非木造 → 耐火; 木造 built
///   ≤1962 → 裸木造 (before mortar-clad 防火構造 walls were usual); 1963–2000 → 防火造; 2001– →
///   準耐火 (Tokyo's 新たな防火規制 of 2003 and the wide 準防火地域 require at least 準耐火 for
///   new houses in most of the ward). A planner can override it with the simulation's
///   `--fire-classes`.
/// - **Retrofit** (ASSUMED): none; no open register of 耐震改修 exists for the ward.
///
/// Draws are deterministic per building: a counter-based stream seeded by the building's id
/// and ``seed``, so the stock is the same on every machine and in any order.
public struct BuildingAttributePriors: Sendable, Hashable {
    /// Bands of measured height (m) for the structure table: < 7, 7–10, 10–13, 13–20, ≥ 20.
    public static let heightBands: [Double] = [7, 10, 13, 20]
    /// Bands of footprint area (m²): < 50, 50–100, 100–200, ≥ 200.
    public static let footprintBands: [Double] = [50, 100, 200]
    /// 木造 share per [height band][footprint band] in the 荒川区 sample (smoothed).
    public static let sampleWoodenShare: [[Double]] = [
        [0.842, 0.786, 0.600, 0.598],
        [0.927, 0.663, 0.367, 0.382],
        [0.865, 0.555, 0.390, 0.247],
        [0.509, 0.529, 0.239, 0.199],
        [0.449, 0.454, 0.292, 0.170],
    ]
    /// Bands of measured height (m) for the wooden era reweighting: < 7, 7–10, ≥ 10.
    public static let eraHeightBands: [Double] = [7, 10]
    /// Per era height band, the sample's ratio of each era class (≤1971, 1972–81, 1982–90,
    /// 1991–2000, 2001–) among 木造 of that band to its share among all 木造.
    public static let sampleWoodenEraRatio: [[Double]] = [
        [1.300, 1.239, 0.743, 0.701, 0.709],
        [0.948, 0.861, 1.040, 1.093, 1.120],
        [0.383, 1.050, 1.552, 1.391, 1.215],
    ]
    /// Metres of height below the first storey, and per storey, of the storeys rule.
    public static let storeyRule = (base: 0.8, perStorey: 3.3)

    /// Tokyo's stock by structure and era: the level the structure and era draws are set to.
    public var stock: BuildingStockTable
    /// The seed mixed into every building's stream.
    public var seed: UInt64
    /// The logit shift making the expected 木造 share of the stock equal the table's; found
    /// by ``calibrated(to:)``, 0 before.
    public private(set) var woodenLogitShift: Double

    /// Priors over Tokyo's table, not yet calibrated to a stock.
    public init(stock: BuildingStockTable, seed: UInt64 = 20_260_127, woodenLogitShift: Double = 0) {
        self.stock = stock
        self.seed = seed
        self.woodenLogitShift = woodenLogitShift
    }

    /// The 木造 share of Tokyo's table.
    public var tableWoodenShare: Double {
        Double(stock.rows.filter(\.isWooden).reduce(0) { $0 + $1.buildings }) / Double(max(1, stock.total))
    }

    /// Storeys for a measured height.
    public static func floors(height: Double) -> Int {
        max(1, Int(((height - storeyRule.base) / storeyRule.perStorey).rounded()))
    }

    /// The probability that a building of this height and footprint is 木造.
    public func woodenProbability(height: Double, footprintArea: Double) -> Double {
        let share = Self.sampleWoodenShare[Self.band(height, Self.heightBands)][
            Self.band(footprintArea, Self.footprintBands)]
        let logit = log(share / (1 - share)) + woodenLogitShift
        return 1 / (1 + exp(-logit))
    }

    /// The same priors with the logit shift that makes the expected 木造 share over these
    /// buildings (height, footprint area) equal the table's (bisection to 1e-9).
    public func calibrated(to buildings: [(height: Double, footprintArea: Double)]) -> BuildingAttributePriors {
        guard !buildings.isEmpty else { return self }
        let target = tableWoodenShare
        var low = -10.0
        var high = 10.0
        var result = self
        for _ in 0..<80 {
            result.woodenLogitShift = (low + high) / 2
            let share =
                buildings.reduce(0) {
                    $0 + result.woodenProbability(height: $1.height, footprintArea: $1.footprintArea)
                }
                / Double(buildings.count)
            if share < target { low = result.woodenLogitShift } else { high = result.woodenLogitShift }
            if high - low < 1e-9 { break }
        }
        return result
    }

    /// The era classes and their probabilities for a building of this structure and height.
    public func eraProbabilities(isWooden: Bool, height: Double) -> [(row: BuildingStockTable.Row, probability: Double)]
    {
        let rows = stock.rows.filter { $0.isWooden == isWooden }
        let ratios = Self.sampleWoodenEraRatio[Self.band(height, Self.eraHeightBands)]
        let weights = rows.map { row -> Double in
            guard isWooden else { return Double(row.buildings) }
            return Double(row.buildings) * ratios[Self.sampleClass(of: row)]
        }
        let total = weights.reduce(0, +)
        return zip(rows, weights).map { ($0, $1 / total) }
    }

    /// The fire-resistance class the rule gives.
    public static func fireResistance(structure: StructureClass, year: Int) -> FireResistanceClass {
        guard structure.isWooden else { return .fireResistant }
        switch year {
        case ...1962: return .bareWooden
        case 1963...2000: return .firePreventive
        default: return .quasiFireResistant
        }
    }

    /// The assumed attributes of one building, drawn from its own stream.
    public func attributes(id: String, height: Double, footprintArea: Double) -> Attributes {
        var random = SplitMix64(seed: seed ^ Self.fnv1a(id))
        let wooden = random.nextUnit() < woodenProbability(height: height, footprintArea: footprintArea)
        let eras = eraProbabilities(isWooden: wooden, height: height)
        let draw = random.nextUnit()
        var cumulative = 0.0
        var row = eras[eras.count - 1].row
        for era in eras {
            cumulative += era.probability
            if draw < cumulative {
                row = era.row
                break
            }
        }
        let firstYear = row.yearFrom ?? 1946
        let lastYear = row.yearTo ?? 2020
        let year = firstYear + min(lastYear - firstYear, Int(random.nextUnit() * Double(lastYear - firstYear + 1)))
        let structure: StructureClass = wooden ? .wooden : .nonWoodenUnspecified
        let floors = Self.floors(height: height)
        return Attributes(
            structure: structure, constructionYear: year, floors: floors,
            floorArea: (footprintArea * Double(floors)).rounded(),
            fireResistance: Self.fireResistance(structure: structure, year: year))
    }

    /// What the priors give one building.
    public struct Attributes: Sendable, Hashable {
        /// 木造 or 非木造 (unspecified system).
        public var structure: StructureClass
        /// The year drawn within the era.
        public var constructionYear: Int
        /// Storeys from height.
        public var floors: Int
        /// Footprint × storeys, m².
        public var floorArea: Double
        /// By the stated rule.
        public var fireResistance: FireResistanceClass
    }

    /// The fields these priors assume.
    public static let assumedAttributes: Set<Building.Attribute> = [
        .structure, .constructionYear, .floors, .floorArea, .fireResistance, .seismicRetrofit,
    ]

    static func band(_ value: Double, _ limits: [Double]) -> Int {
        limits.reduce(0) { $0 + (value >= $1 ? 1 : 0) }
    }

    /// The sample's era class (0 ≤1971 … 4 2001–) a TMG wooden era stands for.
    static func sampleClass(of row: BuildingStockTable.Row) -> Int {
        switch row.yearTo ?? Int.max {
        case ...1971: 0
        case ...1980: 1
        case ...1990: 2
        case ...2000: 3
        default: 4
        }
    }

    /// FNV-1a over the id's UTF-8: a stable hash (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
