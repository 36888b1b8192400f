/// 町丁目: a neighbourhood, the smallest unit of the census and of the ward's statistics.
public struct Town: Sendable, Hashable, Codable, Identifiable {
    /// The 11-digit census code (e.g. `13115001001` is 方南一丁目).
    public var code: String
    /// The name (方南一丁目).
    public var name: String
    /// The boundary.
    public var boundary: GeoMultiPolygon
    /// 世帯数: households.
    public var households: Int
    /// Residents by age band.
    public var population: AgeProfile

    /// The census code.
    public var id: String { code }

    /// Creates a town.
    public init(code: String, name: String, boundary: GeoMultiPolygon, households: Int, population: AgeProfile) {
        self.code = code
        self.name = name
        self.boundary = boundary
        self.households = households
        self.population = population
    }
}

/// Residents by single year of age, men and women separately.
///
/// The ward publishes 0 … 121 years; index `i` holds people aged `i`.
public struct AgeProfile: Sendable, Hashable, Codable {
    /// Men by age.
    public var men: [Int]
    /// Women by age.
    public var women: [Int]

    /// Creates a profile; both arrays must have the same length.
    public init(men: [Int], women: [Int]) {
        precondition(men.count == women.count, "men and women need the same number of age columns")
        self.men = men
        self.women = women
    }

    /// Everyone.
    public var total: Int { men.reduce(0, +) + women.reduce(0, +) }

    /// People whose age lies in the range (both sexes).
    public func count(ages: ClosedRange<Int>) -> Int {
        let clamped = ages.clamped(to: 0...(men.count - 1))
        return clamped.reduce(0) { $0 + men[$1] + women[$1] }
    }

    /// People aged 65 and over (高齢者), the largest group among those needing assistance.
    public var elderly: Int { count(ages: 65...(men.count - 1)) }

    /// Children under 15 (年少人口).
    public var children: Int { count(ages: 0...14) }

    /// The bands Japanese statistics report: 年少人口 0–14, 生産年齢人口 15–64,
    /// 前期高齢者 65–74 and 後期高齢者 75 and over.
    public var standardBands: [AgeBand] {
        let oldest = men.count - 1
        return [
            AgeBand(ages: 0...14, people: count(ages: 0...14)),
            AgeBand(ages: 15...64, people: count(ages: 15...64)),
            AgeBand(ages: 65...74, people: count(ages: 65...74)),
            AgeBand(ages: 75...oldest, people: count(ages: 75...oldest)),
        ]
    }
}

/// Residents within a range of ages.
public struct AgeBand: Sendable, Hashable, Codable {
    /// The ages, both ends included.
    public var ages: ClosedRange<Int>
    /// How many people.
    public var people: Int
}
