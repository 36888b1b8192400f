#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import HeapModule

/// The coefficients of a Hamada-type spread-time formula (浜田式). The published values could
/// not be found offline (`PARAMETERS.md`: NOT FOUND for 東消式 and 浜田式), so they are a
/// **required input with no default**: a municipality loads the values it uses.
///
/// The time (minutes) for fire to pass from a burning building to the next across a gap `d`
/// (m), buildings of mean side `a` (m), wind `V` (m/s), in each of three directions:
///
///     t = [(1 − c)(α₀ + α₁ a + α₂ d / (α₃ + α₄ V)) + c (β₀ + β₁ a + β₂ d / (α₃ + α₄ V))] / D(V)
///     D(V) = γ₀ (1 + γ₁ V + γ₂ V²)      with γ per direction (downwind, sideways, upwind)
///
/// where `c` is 1 when the receiving building is 防火造 and 0 when it is 裸木造 (準耐火 and 耐火
/// buildings do not take part). Between the three directions the spread *speed* (a + d)/t is
/// interpolated by the cosine of the angle to the downwind direction. JSON:
///
/// ```json
/// {"alpha": [α₀, α₁, α₂, α₃, α₄], "beta": [β₀, β₁, β₂],
///  "downwind": [γ₀, γ₁, γ₂], "sideways": [γ₀, γ₁, γ₂], "upwind": [γ₀, γ₁, γ₂],
///  "status": "…", "source": "…"}
/// ```
public struct SpreadTimeCoefficients: Sendable, Codable, Hashable {
    /// α₀ … α₄.
    public var alpha: [Double]
    /// β₀ … β₂.
    public var beta: [Double]
    /// γ downwind.
    public var downwind: [Double]
    /// γ sideways.
    public var sideways: [Double]
    /// γ upwind.
    public var upwind: [Double]
    /// Status of the values.
    public var status: String
    /// Where they come from.
    public var source: String

    /// Creates coefficients, checked.
    /// - Throws: ``FireInputError`` as ``load(_:)`` does.
    public init(
        alpha: [Double], beta: [Double], downwind: [Double], sideways: [Double], upwind: [Double], status: String,
        source: String
    ) throws(FireInputError) {
        self.alpha = alpha
        self.beta = beta
        self.downwind = downwind
        self.sideways = sideways
        self.upwind = upwind
        self.status = status
        self.source = source
        try check(file: "spread coefficients")
    }

    /// Reads and checks a coefficients file.
    /// - Throws: ``FireInputError`` naming the field: wrong counts, non-finite values, a
    ///   denominator that is not positive for winds of 0–30 m/s.
    public static func load(_ url: URL) throws(FireInputError) -> SpreadTimeCoefficients {
        guard let data = try? Data(contentsOf: url) else {
            throw FireInputError(source: url.path, reason: "cannot read the file")
        }
        let value: SpreadTimeCoefficients
        do {
            value = try JSONDecoder().decode(SpreadTimeCoefficients.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw FireInputError(source: url.path, field: key.stringValue, reason: "required (there is no default)")
        } catch {
            throw FireInputError(source: url.path, reason: "\(error)")
        }
        try value.check(file: url.path)
        return value
    }

    func check(file: String) throws(FireInputError) {
        for (field, values, count) in [
            ("alpha", alpha, 5), ("beta", beta, 3), ("downwind", downwind, 3), ("sideways", sideways, 3),
            ("upwind", upwind, 3),
        ] {
            guard values.count == count else {
                throw FireInputError(source: file, field: field, reason: "needs \(count) numbers, has \(values.count)")
            }
            guard values.allSatisfy(\.isFinite) else {
                throw FireInputError(source: file, field: field, reason: "numbers must be finite")
            }
        }
        guard !status.isEmpty, !source.isEmpty else {
            throw FireInputError(source: file, field: "source", reason: "status and source are required")
        }
        for wind in stride(from: 0.0, through: 30, by: 0.5) {
            for (field, gamma) in [("downwind", downwind), ("sideways", sideways), ("upwind", upwind)]
            where !(gamma[0] * (1 + gamma[1] * wind + gamma[2] * wind * wind) > 0) {
                throw FireInputError(source: file, field: field, reason: "D(V) is not positive at \(wind) m/s")
            }
            guard alpha[3] + alpha[4] * wind > 0 else {
                throw FireInputError(source: file, field: "alpha", reason: "α₃ + α₄V is not positive at \(wind) m/s")
            }
        }
    }

    /// Minutes to pass a gap `gap` between buildings of mean side `side`, for a receiving
    /// building with weight `c`, at `wind` m/s, `cosine` the cosine of the angle between the
    /// spread and the downwind direction.
    func minutes(side: Double, gap: Double, c: Double, wind: Double, cosine: Double) -> Double {
        let spacing = gap / (alpha[3] + alpha[4] * wind)
        let numerator =
            (1 - c) * (alpha[0] + alpha[1] * side + alpha[2] * spacing) + c
            * (beta[0] + beta[1] * side + beta[2] * spacing)
        func speed(_ gamma: [Double]) -> Double {
            (side + gap) * gamma[0] * (1 + gamma[1] * wind + gamma[2] * wind * wind) / numerator
        }
        let across = speed(sideways)
        let v =
            cosine >= 0 ? across + (speed(downwind) - across) * cosine : across + (speed(upwind) - across) * -cosine
        return (side + gap) / v
    }
}

/// A time-stepped spread for one event: from the buildings where fire caught, the time each
/// building catches fire over the links of the clusters, with Hamada-type passage times
/// (``SpreadTimeCoefficients``) under the run's wind; reported at fixed steps (the burnt
/// buildings and area each minute, say, for 6 hours). Arrival times are exact for the link
/// graph (a shortest-time search), so the step only sets the reporting grid.
public struct TimeSteppedSpread: Sendable {
    /// Per building: minutes after ignition when it catches, or `nil` if it does not within the
    /// horizon.
    public let arrival: [Double?]
    /// Per step: (minutes, buildings burning or burnt, footprint area m²).
    public let steps: [(minutes: Double, buildings: Int, area: Double)]

    /// Runs the spread.
    /// - Parameters:
    ///   - model: the fire model (classes, footprints, links).
    ///   - ignitions: building indices where fire starts at minute 0.
    ///   - coefficients: the spread-time formula's coefficients.
    ///   - step: reporting step, minutes (> 0).
    ///   - horizon: how long to follow the spread, minutes (≤ 7 days).
    /// - Throws: ``FireInputError`` for a bad step, horizon or ignition index.
    public init(
        model: FireModel, ignitions: [Int32], coefficients: SpreadTimeCoefficients, step: Double = 1,
        horizon: Double = 360
    ) throws(FireInputError) {
        guard step.isFinite, step > 0, horizon.isFinite, horizon > 0, horizon <= 10_080, horizon / step <= 1_000_000
        else {
            throw FireInputError(source: "spread", field: "step", reason: "step \(step) and horizon \(horizon) min")
        }
        let n = model.classes.count
        for index in ignitions where !(0..<Int32(n)).contains(index) {
            throw FireInputError(source: "spread", field: "ignitions", reason: "no building \(index)")
        }
        // Adjacency from the cluster links, both ways.
        var degree = [Int32](repeating: 0, count: n + 1)
        for (a, b, _) in model.clusters.linkPairs {
            degree[Int(a) + 1] += 1
            degree[Int(b) + 1] += 1
        }
        for index in 0..<n { degree[index + 1] += degree[index] }
        var fill = degree
        var target = [Int32](repeating: 0, count: Int(degree[n]))
        var minutes = [Double](repeating: 0, count: Int(degree[n]))
        let wind = model.parameters.windSpeed
        // Downwind unit vector: the wind blows *from* windFrom.
        let toward = (model.parameters.windFrom + 180) * .pi / 180
        let (wx, wy) = (sin(toward), cos(toward))
        func passage(_ from: Int, _ to: Int, gap: Double) -> Double {
            let (a, b) = (model.boxes[from], model.boxes[to])
            let (dx, dy) = (b.centreX - a.centreX, b.centreY - a.centreY)
            let length = (dx * dx + dy * dy).squareRoot()
            let cosine = length > 0 ? (dx * wx + dy * wy) / length : 0
            let c = model.classes[to] == .firePreventive ? 1.0 : 0.0
            return coefficients.minutes(side: (a.side + b.side) / 2, gap: gap, c: c, wind: wind, cosine: cosine)
        }
        for (a, b, gap) in model.clusters.linkPairs {
            let (i, j) = (Int(a), Int(b))
            target[Int(fill[i])] = b
            minutes[Int(fill[i])] = passage(i, j, gap: Double(gap))
            fill[i] += 1
            target[Int(fill[j])] = a
            minutes[Int(fill[j])] = passage(j, i, gap: Double(gap))
            fill[j] += 1
        }
        // Shortest arrival times from the ignitions (Dijkstra with a binary heap).
        var time = [Double](repeating: .infinity, count: n)
        var heap = Heap<Arrival>()
        for index in ignitions {
            time[Int(index)] = 0
            heap.insert(Arrival(minutes: 0, building: index))
        }
        while let next = heap.popMin() {
            let from = Int(next.building)
            guard next.minutes == time[from], next.minutes <= horizon else { continue }
            for edge in Int(degree[from])..<Int(degree[from + 1]) {
                let to = Int(target[edge])
                let candidate = next.minutes + minutes[edge]
                if candidate < time[to] {
                    time[to] = candidate
                    heap.insert(Arrival(minutes: candidate, building: Int32(to)))
                }
            }
        }
        arrival = time.map { $0 <= horizon ? $0 : nil }
        // Report: sort arrivals once, then sweep the steps.
        let caught = (0..<n).filter { time[$0] <= horizon }.sorted { time[$0] < time[$1] }
        var steps: [(Double, Int, Double)] = []
        var position = 0
        var area = 0.0
        let count = Int((horizon / step).rounded(.down))
        steps.reserveCapacity(count + 1)
        for k in 0...count {
            let t = Double(k) * step
            while position < caught.count, time[caught[position]] <= t {
                area += model.boxes[caught[position]].area
                position += 1
            }
            steps.append((t, position, area))
        }
        self.steps = steps
    }

    private struct Arrival: Comparable {
        var minutes: Double
        var building: Int32
        static func < (lhs: Arrival, rhs: Arrival) -> Bool { lhs.minutes < rhs.minutes }
    }
}

extension TimeSteppedSpread {
    /// The steps as CSV: `minute,buildings_burning_or_burnt,footprint_area_m2`.
    public func csv() -> String {
        CSVTable.write(
            header: ["minute", "buildings_burning_or_burnt", "footprint_area_m2"],
            records: steps.map {
                [String(format: "%.0f", $0.minutes), String($0.buildings), String(format: "%.1f", $0.area)]
            })
    }
}
