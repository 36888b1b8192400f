import SuginamiKit

/// What a damage simulation gives: per 250 m cell and per town, expected counts per damage
/// state with their 5/50/95 % range over events; per building the probability of each state
/// (mean over events); and every assumption and source the run used.
public struct DamageSimulationResult: Sendable {
    /// Mean and range over events of a count.
    public struct Range: Sendable, Hashable, Codable {
        /// Mean over events (the expected count).
        public var mean: Double
        /// 5th percentile over events.
        public var p5: Double
        /// Median over events.
        public var p50: Double
        /// 95th percentile over events.
        public var p95: Double

        /// The mean and the 5th, 50th and 95th percentiles of `values` (one per event; linear
        /// interpolation between order statistics, numpy's default).
        init(summarizing values: [Double]) {
            let sorted = values.sorted()
            let events = sorted.count
            func quantile(_ q: Double) -> Double {
                guard events > 0 else { return 0 }
                let position = q * Double(events - 1)
                let lower = Int(position)
                let upper = min(lower + 1, events - 1)
                return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
            }
            mean = events == 0 ? 0 : sorted.reduce(0, +) / Double(events)
            (p5, p50, p95) = (quantile(0.05), quantile(0.5), quantile(0.95))
        }

        init(mean: Double, p5: Double, p50: Double, p95: Double) {
            (self.mean, self.p5, self.p50, self.p95) = (mean, p5, p50, p95)
        }
    }

    /// One 250 m cell.
    public struct CellResult: Sendable, Hashable {
        /// The JIS X 0410 1/4 mesh code.
        public var mesh: String
        /// Its centre.
        public var centre: GeoPoint
        /// Buildings in it.
        public var buildings: Int
        /// JMA intensity of the median motion.
        public var medianIntensity: Double
        /// Mean JMA intensity over events.
        public var meanIntensity: Double
        /// Per modelled state (in ``DamageSimulationResult/states`` order).
        public var damage: [Range]
    }

    /// One town (町丁目).
    public struct TownResult: Sendable, Hashable {
        /// The town code ("" for buildings without one).
        public var town: String
        /// Buildings in it.
        public var buildings: Int
        /// Per modelled state.
        public var damage: [Range]
        /// Expected deaths in wooden collapses at the run's occupancy (TMG 2022;
        /// ``DamageSimulation/occupancy``), if collapse is modelled.
        public var woodenDeaths: Double?
        /// Expected deaths in non-wooden collapses at the run's occupancy (TMG 2022), if collapse
        /// is modelled and the night populations were given (``DamageSimulation/NightPopulation``).
        public var nonWoodenDeaths: Double?
    }

    /// The scenario's name.
    public var scenario: String
    /// Events simulated.
    public var events: Int
    /// The seed.
    public var seed: UInt64
    /// The damage states modelled (others have no function and are not reported).
    public var states: [DamageState]
    /// Cells, by mesh code.
    public var cells: [CellResult]
    /// Towns, by code.
    public var towns: [TownResult]
    /// Per event: the expected number of buildings in each modelled state (event × state), for
    /// the distribution over events and its standard error.
    public var eventTotals: [[Double]]
    /// Per building (input order): P(state) per modelled state, mean over events.
    public var buildingProbabilities: [[Float]]
    /// Per event and town (event-major, `event * towns.count + town`): expected collapses, for
    /// paired comparisons; empty when collapse is not modelled.
    public var townEventCollapse: [Double]
    /// Per event and town, as ``townEventCollapse``: expected 半壊 buildings that are not 全壊
    /// (P(半壊 or worse) − P(全壊)); empty when 半壊 is not modelled.
    public var townEventHalfCollapse: [Double] = []
    /// Fire following the earthquake, when the run had a ``FireModel``.
    public var fire: FireResult?
    /// Every assumption and parameter source.
    public var provenance: [String]

    /// Expected buildings in a state over the whole exposure.
    public func expectedTotal(_ state: DamageState) -> Double? {
        guard let index = states.firstIndex(of: state) else { return nil }
        return cells.reduce(0) { $0 + $1.damage[index].mean }
    }

    /// The standard error of ``expectedTotal(_:)`` over events (sample standard deviation of
    /// the per-event totals ÷ √events).
    public func standardError(_ state: DamageState) -> Double? {
        guard let index = states.firstIndex(of: state), events > 1 else { return nil }
        let values = eventTotals.map { $0[index] }
        let mean = values.reduce(0, +) / Double(events)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(events - 1)
        return (variance / Double(events)).squareRoot()
    }
}

/// What the fire part of a run gives: burnt buildings per cell and town (mean and range over
/// events of the expected count), fire deaths, per building P(burnt), and per event the
/// expected total and one sampled realisation (which clusters burned).
public struct FireResult: Sendable {
    /// Per cell (``DamageSimulationResult/cells`` order): burnt buildings.
    public var cells: [DamageSimulationResult.Range]
    /// Per town (``DamageSimulationResult/towns`` order): burnt buildings.
    public var towns: [DamageSimulationResult.Range]
    /// Per town: expected fire deaths.
    public var townDeaths: [Double]
    /// Per event: expected burnt buildings.
    public var eventBurnt: [Double]
    /// Per event and town (event-major): expected burnt buildings.
    public var townEventBurnt: [Double]
    /// Per event: the buildings where fire caught in the sampled realisation, one per cluster
    /// that burned (their clusters burned whole).
    public var ignitions: [[Int32]]
    /// Per building, its cluster (``FireClusters/clusterOfBuilding``).
    public var clusterOfBuilding: [Int32]
    /// Per cluster, its size.
    public var clusterSizes: [Int32]

    /// Per event: the clusters that burned in the sampled realisation.
    public var burnedClusters: [[Int32]] { ignitions.map { $0.map { clusterOfBuilding[Int($0)] } } }

    /// Per event: buildings burnt in the sampled realisation.
    public var sampledBurnt: [Int] { burnedClusters.map { $0.reduce(0) { $0 + Int(clusterSizes[Int($1)]) } } }
    /// Per building (input order): P(burnt), mean over events.
    public var buildingProbabilities: [Float]

    /// Expected burnt buildings over the exposure.
    public var expectedBurnt: Double { cells.reduce(0) { $0 + $1.mean } }

    /// The standard error of ``expectedBurnt`` over events.
    public var standardError: Double {
        let n = Double(eventBurnt.count)
        guard n > 1 else { return 0 }
        let mean = eventBurnt.reduce(0, +) / n
        let variance = eventBurnt.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (variance / n).squareRoot()
    }
}
