/// A static k-d tree over points in a plane (metres), for nearest-neighbour and range queries
/// over millions of items: shelters, road nodes, buildings.
///
/// Built once, then read-only and `Sendable`, so every task can query it at once. The tree is
/// implicit: points are reordered so that each subrange's median splits it, alternating the
/// axis, and kept as three flat arrays (x, y, item), so a query touches contiguous memory and
/// allocates nothing but its result.
///
/// Written here because no package in reach offers a spatial index (swift-collections has
/// none; SQLite's R*Tree costs a query per lookup).
public struct StaticPointIndex: Sendable {
    /// A point found by a query.
    public struct Neighbour: Sendable, Hashable {
        /// The item number given at build time.
        public var item: Int
        /// Plane distance from the query point in metres.
        public var distance: Double
    }

    private let xs: [Double]
    private let ys: [Double]
    private let items: [Int]

    /// How many points the index holds.
    public var count: Int { items.count }

    /// Builds the index. Item `i` is `points[i]`; points with a non-finite coordinate are left out.
    public init(points: [PlanePoint]) {
        var order = points.indices.filter { points[$0].easting.isFinite && points[$0].northing.isFinite }
        var xs = points.map(\.easting)
        var ys = points.map(\.northing)
        Self.build(&order, 0, order.count, axis: 0, xs: xs, ys: ys)
        self.items = order
        xs = order.map { points[$0].easting }
        ys = order.map { points[$0].northing }
        self.xs = xs
        self.ys = ys
    }

    /// Arranges `order[lower..<upper]` so its median (by the axis) sits in the middle with
    /// smaller values before it, then recurses on both halves with the other axis.
    private static func build(_ order: inout [Int], _ lower: Int, _ upper: Int, axis: Int, xs: [Double], ys: [Double]) {
        guard upper - lower > 1 else { return }
        let middle = (lower + upper) / 2
        let key = axis == 0 ? xs : ys
        order.withUnsafeMutableBufferPointer { buffer in
            select(buffer, lower, upper - 1, middle) { key[$0] < key[$1] }
        }
        build(&order, lower, middle, axis: 1 - axis, xs: xs, ys: ys)
        build(&order, middle + 1, upper, axis: 1 - axis, xs: xs, ys: ys)
    }

    /// Quickselect (Hoare partition, median-of-three pivot): element `k` ends where sorting would put it.
    private static func select(
        _ a: UnsafeMutableBufferPointer<Int>, _ left: Int, _ right: Int, _ k: Int, by less: (Int, Int) -> Bool
    ) {
        var left = left
        var right = right
        while right > left {
            let mid = (left + right) / 2
            if less(a[mid], a[left]) { a.swapAt(mid, left) }
            if less(a[right], a[left]) { a.swapAt(right, left) }
            if less(a[right], a[mid]) { a.swapAt(right, mid) }
            let pivot = a[mid]
            var i = left
            var j = right
            while i <= j {
                while less(a[i], pivot) { i += 1 }
                while less(pivot, a[j]) { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                right = j
            } else if k >= i {
                left = i
            } else {
                return
            }
        }
    }

    /// The nearest point to `point`, or `nil` for an empty index.
    public func nearest(to point: PlanePoint) -> Neighbour? {
        guard !items.isEmpty, point.easting.isFinite, point.northing.isFinite else { return nil }
        var best = -1
        var bestSquared = Double.infinity
        xs.withUnsafeBufferPointer { xs in
            ys.withUnsafeBufferPointer { ys in
                searchNearest(xs, ys, 0, items.count, axis: 0, point.easting, point.northing, &best, &bestSquared)
            }
        }
        return Neighbour(item: items[best], distance: bestSquared.squareRoot())
    }

    private func searchNearest(
        _ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>, _ lower: Int, _ upper: Int, axis: Int,
        _ x: Double, _ y: Double, _ best: inout Int, _ bestSquared: inout Double
    ) {
        guard upper > lower else { return }
        let middle = (lower + upper) / 2
        let dx = xs[middle] - x
        let dy = ys[middle] - y
        let squared = dx * dx + dy * dy
        if best < 0 || squared < bestSquared || (squared == bestSquared && items[middle] < items[best]) {
            bestSquared = squared
            best = middle
        }
        let split = axis == 0 ? dx : dy
        // Near side first; the far side only if the splitting line is closer than the best so far.
        if split > 0 {
            searchNearest(xs, ys, lower, middle, axis: 1 - axis, x, y, &best, &bestSquared)
            if split * split <= bestSquared {
                searchNearest(xs, ys, middle + 1, upper, axis: 1 - axis, x, y, &best, &bestSquared)
            }
        } else {
            searchNearest(xs, ys, middle + 1, upper, axis: 1 - axis, x, y, &best, &bestSquared)
            if split * split <= bestSquared {
                searchNearest(xs, ys, lower, middle, axis: 1 - axis, x, y, &best, &bestSquared)
            }
        }
    }

    /// The `k` nearest points, nearest first (ties by item number).
    public func nearest(_ k: Int, to point: PlanePoint) -> [Neighbour] {
        guard k > 0, !items.isEmpty, point.easting.isFinite, point.northing.isFinite else { return [] }
        // A small sorted buffer of the best k: k is small (a handful of shelters) in practice.
        var found: [(squared: Double, item: Int)] = []
        found.reserveCapacity(k + 1)
        xs.withUnsafeBufferPointer { xs in
            ys.withUnsafeBufferPointer { ys in
                searchK(xs, ys, 0, items.count, axis: 0, point.easting, point.northing, k, &found)
            }
        }
        return found.map { Neighbour(item: $0.item, distance: $0.squared.squareRoot()) }
    }

    private func searchK(
        _ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>, _ lower: Int, _ upper: Int, axis: Int,
        _ x: Double, _ y: Double, _ k: Int, _ found: inout [(squared: Double, item: Int)]
    ) {
        guard upper > lower else { return }
        let middle = (lower + upper) / 2
        let dx = xs[middle] - x
        let dy = ys[middle] - y
        let candidate = (squared: dx * dx + dy * dy, item: items[middle])
        if found.count < k
            || (candidate.squared, candidate.item) < (found[found.count - 1].squared, found[found.count - 1].item)
        {
            let position =
                found.firstIndex { (candidate.squared, candidate.item) < ($0.squared, $0.item) } ?? found.count
            found.insert(candidate, at: position)
            if found.count > k { found.removeLast() }
        }
        let split = axis == 0 ? dx : dy
        if split > 0 {
            searchK(xs, ys, lower, middle, axis: 1 - axis, x, y, k, &found)
            if split * split <= Self.worst(found, k) {
                searchK(xs, ys, middle + 1, upper, axis: 1 - axis, x, y, k, &found)
            }
        } else {
            searchK(xs, ys, middle + 1, upper, axis: 1 - axis, x, y, k, &found)
            if split * split <= Self.worst(found, k) { searchK(xs, ys, lower, middle, axis: 1 - axis, x, y, k, &found) }
        }
    }

    /// The squared distance a candidate must beat: infinite until k are found.
    private static func worst(_ found: [(squared: Double, item: Int)], _ k: Int) -> Double {
        found.count < k ? .infinity : found[found.count - 1].squared
    }

    /// Every point within `radius` metres, nearest first.
    public func within(_ radius: Double, of point: PlanePoint) -> [Neighbour] {
        guard radius >= 0, point.easting.isFinite, point.northing.isFinite else { return [] }
        var found: [Neighbour] = []
        collect(
            0, items.count, axis: 0, point.easting - radius, point.easting + radius, point.northing - radius,
            point.northing + radius
        ) { index in
            let dx = xs[index] - point.easting
            let dy = ys[index] - point.northing
            let distance = (dx * dx + dy * dy).squareRoot()
            if distance <= radius { found.append(Neighbour(item: items[index], distance: distance)) }
        }
        return found.sorted { ($0.distance, $0.item) < ($1.distance, $1.item) }
    }

    /// Every item whose point lies in the box (edges included), in item order.
    public func items(minEasting: Double, maxEasting: Double, minNorthing: Double, maxNorthing: Double) -> [Int] {
        var found: [Int] = []
        collect(0, items.count, axis: 0, minEasting, maxEasting, minNorthing, maxNorthing) { found.append(items[$0]) }
        return found.sorted()
    }

    private func collect(
        _ lower: Int, _ upper: Int, axis: Int, _ minX: Double, _ maxX: Double, _ minY: Double, _ maxY: Double,
        _ visit: (Int) -> Void
    ) {
        guard upper > lower else { return }
        let middle = (lower + upper) / 2
        let x = xs[middle]
        let y = ys[middle]
        if x >= minX && x <= maxX && y >= minY && y <= maxY { visit(middle) }
        let value = axis == 0 ? x : y
        let low = axis == 0 ? minX : minY
        let high = axis == 0 ? maxX : maxY
        if low <= value { collect(lower, middle, axis: 1 - axis, minX, maxX, minY, maxY, visit) }
        if high >= value { collect(middle + 1, upper, axis: 1 - axis, minX, maxX, minY, maxY, visit) }
    }
}
