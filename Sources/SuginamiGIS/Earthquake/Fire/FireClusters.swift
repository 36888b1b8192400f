import Foundation
import SuginamiKit

/// 延焼クラスター: buildings linked when the gap between them is below the spread-limit
/// distance of both (``SpreadDistances``), and not separated by a firebreak; an ignition
/// anywhere in a cluster burns all of it (the cluster method of TMG 2022, after 加藤ら 2006).
///
/// Built once over the whole inventory with a uniform grid and union-find (path halving, union
/// by size), in time linear in buildings and candidate pairs. The gap between two buildings is
/// the distance between their footprints' bounding boxes in a local plane: exact for
/// axis-aligned rectangles, never more than the true gap otherwise (so links err towards
/// spread). A building without a footprint is a square of its floor area over its floors, or
/// a point.
public struct FireClusters: Sendable {
    /// Per building, its cluster (0 ..< ``count``), in the order the buildings were given.
    public let clusterOfBuilding: [Int32]
    /// Per cluster, where its members start in ``members`` (count + 1 offsets).
    public let memberStart: [Int32]
    /// Building indices grouped by cluster.
    public let members: [Int32]
    /// Pairs linked.
    public let links: Int
    /// Pairs within distance but cut by a firebreak.
    public let cutByFirebreaks: Int
    /// The links as pairs of building indices with their gap (m), for time-stepped spread.
    public let linkPairs: [(Int32, Int32, Float)]

    /// Number of clusters.
    public var count: Int { memberStart.count - 1 }

    /// The size of a cluster.
    public func size(of cluster: Int) -> Int { Int(memberStart[cluster + 1] - memberStart[cluster]) }

    /// Builds the clusters.
    /// - Parameters:
    ///   - footprints: per building, its box in metres of `plane`.
    ///   - limits: per building, its spread-limit distance (m) at the run's wind.
    ///   - firebreaks: lines (wide roads, rivers) that no link may cross.
    ///   - wind: the wind's elongation of the limits along its axis (none by default).
    public init(
        footprints: [FootprintBox], limits: [Double], firebreaks: Firebreaks = Firebreaks(),
        wind: WindElongation = .none
    ) {
        precondition(footprints.count == limits.count)
        let n = footprints.count
        let reach = (limits.max() ?? 0) * wind.factor
        // A dense grid of cells at least as large as the largest footprint plus the reach:
        // candidates are in the 3 × 3 block around a building's centre cell. Buildings are
        // bucketed by a counting sort (CSR), so building the grid is linear.
        let largest = footprints.map { max($0.maxX - $0.minX, $0.maxY - $0.minY) }.max() ?? 0
        var cell = max(reach + largest, 1)
        var minX = Double.infinity
        var minY = Double.infinity
        var maxX = -Double.infinity
        var maxY = -Double.infinity
        for box in footprints {
            minX = min(minX, box.centreX)
            minY = min(minY, box.centreY)
            maxX = max(maxX, box.centreX)
            maxY = max(maxY, box.centreY)
        }
        // A sparse inventory (buildings far apart) would make the grid huge: coarser cells keep
        // it within a few cells a building, at the cost of more candidates.
        while n > 0, ((maxX - minX) / cell + 1) * ((maxY - minY) / cell + 1) > Double(max(4 * n, 65_536)) { cell *= 2 }
        let columns = n == 0 ? 1 : Int(((maxX - minX) / cell).rounded(.down)) + 1
        let rows = n == 0 ? 1 : Int(((maxY - minY) / cell).rounded(.down)) + 1
        var cellOf = [Int32](repeating: 0, count: n)
        var bucketStart = [Int32](repeating: 0, count: columns * rows + 1)
        for index in 0..<n {
            let x = Int(((footprints[index].centreX - minX) / cell).rounded(.down))
            let y = Int(((footprints[index].centreY - minY) / cell).rounded(.down))
            cellOf[index] = Int32(y * columns + x)
            bucketStart[y * columns + x + 1] += 1
        }
        for index in 0..<(columns * rows) { bucketStart[index + 1] += bucketStart[index] }
        var bucketFill = bucketStart
        var order = [Int32](repeating: 0, count: n)
        for index in 0..<n {
            let bucket = Int(cellOf[index])
            order[Int(bucketFill[bucket])] = Int32(index)
            bucketFill[bucket] += 1
        }
        var parent = Array(0..<Int32(n))
        var size = [Int32](repeating: 1, count: n)
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x {
                parent[Int(x)] = parent[Int(parent[Int(x)])]
                x = parent[Int(x)]
            }
            return x
        }
        var links = 0
        var cut = 0
        var pairs: [(Int32, Int32, Float)] = []
        for a in 0..<n where limits[a] > 0 {
            let cx = Int(cellOf[a]) % columns
            let cy = Int(cellOf[a]) / columns
            for dy in -1...1 {
                for dx in -1...1 {
                    let (x, y) = (cx + dx, cy + dy)
                    guard x >= 0, y >= 0, x < columns, y < rows else { continue }
                    let range = Int(bucketStart[y * columns + x])..<Int(bucketStart[y * columns + x + 1])
                    for position in range {
                        let b = Int(order[position])
                        guard b > a, limits[b] > 0 else { continue }
                        let gap = footprints[a].gap(to: footprints[b])
                        guard gap < min(limits[a], limits[b]) * wind.factor else { continue }
                        if wind.factor > 1 {
                            let stretch = wind.stretch(
                                footprints[b].centreX - footprints[a].centreX,
                                footprints[b].centreY - footprints[a].centreY)
                            guard gap < min(limits[a], limits[b]) * stretch else { continue }
                        }
                        if !firebreaks.isEmpty,
                            firebreaks.cuts(
                                footprints[a].centreX, footprints[a].centreY, footprints[b].centreX,
                                footprints[b].centreY)
                        {
                            cut += 1
                            continue
                        }
                        links += 1
                        pairs.append((Int32(a), Int32(b), Float(gap)))
                        var ra = find(Int32(a))
                        var rb = find(Int32(b))
                        if ra != rb {
                            if size[Int(ra)] < size[Int(rb)] { swap(&ra, &rb) }
                            parent[Int(rb)] = ra
                            size[Int(ra)] += size[Int(rb)]
                        }
                    }
                }
            }
        }
        // Dense cluster numbers in order of first member, then members grouped by cluster.
        var number = [Int32](repeating: -1, count: n)
        var clusterOf = [Int32](repeating: 0, count: n)
        var count: Int32 = 0
        for index in 0..<n {
            let root = Int(find(Int32(index)))
            if number[root] < 0 {
                number[root] = count
                count += 1
            }
            clusterOf[index] = number[root]
        }
        var starts = [Int32](repeating: 0, count: Int(count) + 1)
        for cluster in clusterOf { starts[Int(cluster) + 1] += 1 }
        for index in 0..<Int(count) { starts[index + 1] += starts[index] }
        var fill = starts
        var members = [Int32](repeating: 0, count: n)
        for index in 0..<n {
            let cluster = Int(clusterOf[index])
            members[Int(fill[cluster])] = Int32(index)
            fill[cluster] += 1
        }
        clusterOfBuilding = clusterOf
        memberStart = starts
        self.members = members
        self.links = links
        cutByFirebreaks = cut
        linkPairs = pairs
    }
}

/// How wind stretches the spread-limit distance: by ``factor`` along the wind's axis (fire
/// reaches further downwind, and a pair aligned with the wind links in either order of
/// ignition), unchanged across it, elliptically between: `1 + (factor − 1) cos² θ`.
public struct WindElongation: Sendable, Hashable {
    /// The stretch along the axis (1: none).
    public var factor: Double
    /// The axis, a unit vector in the plane (east, north).
    public var axisX: Double
    /// The axis, a unit vector in the plane (east, north).
    public var axisY: Double

    /// No elongation.
    public static let none = WindElongation(factor: 1, towardsDegrees: 0)

    /// An elongation along the direction the wind blows towards (degrees clockwise from north).
    public init(factor: Double, towardsDegrees: Double) {
        self.factor = max(1, factor)
        let radians = towardsDegrees * Double.pi / 180
        axisX = sin(radians)
        axisY = cos(radians)
    }

    /// The stretch for a pair separated by (dx, dy) metres.
    @inlinable
    public func stretch(_ dx: Double, _ dy: Double) -> Double {
        let length2 = dx * dx + dy * dy
        guard length2 > 0 else { return factor }
        let along = dx * axisX + dy * axisY
        return 1 + (factor - 1) * along * along / length2
    }
}

/// A building's footprint as an axis-aligned box in a local plane, metres.
public struct FootprintBox: Sendable, Hashable {
    /// Bounds.
    public var minX: Double
    /// Bounds.
    public var minY: Double
    /// Bounds.
    public var maxX: Double
    /// Bounds.
    public var maxY: Double

    /// Creates a box.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The box of a building in `plane`: its footprint's, else a square of its floor area over
    /// its floors around its position, else its position.
    public init(_ building: Building, in plane: LocalPlane) {
        if let footprint = building.footprint {
            var box = FootprintBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
            for point in footprint.exterior {
                let (x, y) = plane.project(point)
                box.minX = min(box.minX, x)
                box.minY = min(box.minY, y)
                box.maxX = max(box.maxX, x)
                box.maxY = max(box.maxY, y)
            }
            self = box
            return
        }
        let (x, y) = plane.project(building.position)
        var half = 0.0
        if let area = building.floorArea, area > 0 {
            half = (area / Double(max(building.floors ?? 1, 1))).squareRoot() / 2
        }
        self.init(minX: x - half, minY: y - half, maxX: x + half, maxY: y + half)
    }

    /// Centre.
    public var centreX: Double { (minX + maxX) / 2 }
    /// Centre.
    public var centreY: Double { (minY + maxY) / 2 }
    /// Mean side, m.
    public var side: Double { ((maxX - minX) + (maxY - minY)) / 2 }
    /// Footprint area, m².
    public var area: Double { (maxX - minX) * (maxY - minY) }

    /// The gap to another box (0 when they touch or overlap).
    @inlinable
    public func gap(to other: FootprintBox) -> Double {
        let dx = max(0, max(other.minX - maxX, minX - other.maxX))
        let dy = max(0, max(other.minY - maxY, minY - other.maxY))
        return (dx * dx + dy * dy).squareRoot()
    }
}
