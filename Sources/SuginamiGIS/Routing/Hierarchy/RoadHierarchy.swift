import Foundation

/// The metric-independent part of a customizable contraction hierarchy (CCH; Dibbelt,
/// Strasser and Wagner, 2016) over a ``RoadGraph``: a nested-dissection order and the
/// chordal supergraph it induces, stored as upward arcs in rank space.
///
/// Built once per network (a fraction of a second at ward scale); every metric — lengths,
/// closures, penalties — is then applied by ``CustomizedHierarchy`` in milliseconds, without
/// rebuilding. Nodes here are numbered by rank: rank 0 is contracted first, the top separator
/// last. Plain arrays; read-only and shared across tasks.
public struct RoadHierarchy: Sendable, Equatable {
    /// `rankOf[v]` is graph node v's rank.
    public let rankOf: FlatArray<Int32>
    /// `nodeAt[r]` is the graph node ranked r.
    public let nodeAt: FlatArray<Int32>
    /// Upward arcs of rank r are `upOffsets[r]..<upOffsets[r+1]`, heads ascending.
    let upOffsets: FlatArray<Int32>
    /// The higher end of each upward arc.
    let upHeads: FlatArray<Int32>
    /// Lower neighbours of rank r are `downOffsets[r]..<downOffsets[r+1]`, ascending: the
    /// neighbour and the arc joining them, for unpacking shortcuts and lower triangles.
    let downOffsets: FlatArray<Int32>
    let downTails: FlatArray<Int32>
    let downArcs: FlatArray<Int32>
    /// Elimination-tree parent of each rank (its lowest upward neighbour), −1 at a root.
    let parent: FlatArray<Int32>
    /// For each graph arc: the hierarchy arc it lies on, as `arc << 1 | direction` (direction 1:
    /// the arc runs upward, from the lower rank to the higher), or −1 for a loop.
    let arcSlots: FlatArray<Int32>
    /// The elimination tree cut into two independent halves, for two threads.
    let split: ParallelSplit

    /// Orders and contracts `graph` (both directions of every arc count as one undirected
    /// edge; the order uses node positions projected on a local plane).
    public init(graph: RoadGraph) {
        let n = graph.nodeCount
        // The undirected simple graph, without loops.
        var adjacency = [[Int32]](repeating: [], count: n)
        for node in 0..<n {
            for arc in Int(graph.offsets[node])..<Int(graph.offsets[node + 1]) {
                let head = graph.heads[arc]
                if Int(head) == node { continue }
                adjacency[node].append(head)
                adjacency[Int(head)].append(Int32(node))
            }
        }
        var offsets: [Int32] = [0]
        var neighbours: [Int32] = []
        for node in 0..<n {
            let unique = Array(Set(adjacency[node])).sorted()
            neighbours += unique
            offsets.append(Int32(neighbours.count))
            adjacency[node] = unique
        }
        let meanLatitude = graph.latitudes.isEmpty ? 0 : graph.latitudes.reduce(0, +) / Double(n)
        let scale = cos(meanLatitude * .pi / 180)
        let order = NestedDissection.order(
            offsets: offsets, neighbours: neighbours, x: graph.longitudes.map { $0 * scale }, y: graph.latitudes.array)
        self.init(graph: graph, order: order, adjacency: adjacency)
    }

    /// Contracts in the given order (`order[r]` = the node ranked r).
    init(graph: RoadGraph, order: [Int32], adjacency: [[Int32]]) {
        let n = order.count
        var rank = [Int32](repeating: 0, count: n)
        for (r, node) in order.enumerated() { rank[Int(node)] = Int32(r) }
        // Upward neighbour sets in rank space; contracting r joins its upward neighbours into
        // a clique, which is recorded at the lowest of them (enough for chordality).
        var upper = [[Int32]](repeating: [], count: n)
        for node in 0..<n {
            let r = Int(rank[node])
            upper[r] = adjacency[node].map { rank[Int($0)] }.filter { $0 > Int32(r) }.sorted()
        }
        var parent = [Int32](repeating: -1, count: n)
        for r in 0..<n {
            let list = upper[r]
            guard let lowest = list.first else { continue }
            parent[r] = lowest
            if list.count > 1 { upper[Int(lowest)] = Self.union(upper[Int(lowest)], list.dropFirst()) }
        }
        var upOffsets: [Int32] = [0]
        upOffsets.reserveCapacity(n + 1)
        var upHeads: [Int32] = []
        var upTails: [Int32] = []
        for r in 0..<n {
            upHeads += upper[r]
            upTails += repeatElement(Int32(r), count: upper[r].count)
            upOffsets.append(Int32(upHeads.count))
        }
        // Transpose: lower neighbours by head, ascending by construction.
        var downOffsets = [Int32](repeating: 0, count: n + 1)
        for head in upHeads { downOffsets[Int(head) + 1] += 1 }
        for r in 0..<n { downOffsets[r + 1] += downOffsets[r] }
        var cursor = downOffsets
        var downTails = [Int32](repeating: 0, count: upHeads.count)
        var downArcs = [Int32](repeating: 0, count: upHeads.count)
        for arc in upHeads.indices {
            let head = Int(upHeads[arc])
            downTails[Int(cursor[head])] = upTails[arc]
            downArcs[Int(cursor[head])] = Int32(arc)
            cursor[head] += 1
        }
        // Each graph arc's slot.
        var slots = [Int32](repeating: -1, count: graph.arcCount)
        for node in 0..<graph.nodeCount {
            for arc in Int(graph.offsets[node])..<Int(graph.offsets[node + 1]) {
                let head = Int(graph.heads[arc])
                if head == node { continue }
                let (low, high, upward) =
                    rank[node] < rank[head] ? (rank[node], rank[head], 1) : (rank[head], rank[node], 0)
                let range = Int(upOffsets[Int(low)])..<Int(upOffsets[Int(low) + 1])
                let found = Self.search(upHeads, in: range, for: high)
                slots[arc] = Int32(found << 1 | upward)
            }
        }
        self.init(
            rankOf: FlatArray(rank), nodeAt: FlatArray(order), upOffsets: FlatArray(upOffsets),
            upHeads: FlatArray(upHeads), downOffsets: FlatArray(downOffsets), downTails: FlatArray(downTails),
            downArcs: FlatArray(downArcs), parent: FlatArray(parent), arcSlots: FlatArray(slots))
    }

    /// A hierarchy from its arrays (contracted above, or read and checked by ``RoadNetworkFile``).
    init(
        rankOf: FlatArray<Int32>, nodeAt: FlatArray<Int32>, upOffsets: FlatArray<Int32>, upHeads: FlatArray<Int32>,
        downOffsets: FlatArray<Int32>, downTails: FlatArray<Int32>, downArcs: FlatArray<Int32>,
        parent: FlatArray<Int32>, arcSlots: FlatArray<Int32>
    ) {
        self.rankOf = rankOf
        self.nodeAt = nodeAt
        self.upOffsets = upOffsets
        self.upHeads = upHeads
        self.downOffsets = downOffsets
        self.downTails = downTails
        self.downArcs = downArcs
        self.parent = parent
        self.arcSlots = arcSlots
        split = ParallelSplit(parent: parent)
    }

    /// Number of nodes.
    public var nodeCount: Int { nodeAt.count }
    /// Number of hierarchy arcs (graph edges plus shortcuts, one per node pair).
    public var arcCount: Int { upHeads.count }

    /// The height of the elimination tree: the most nodes an upward search visits.
    public var eliminationTreeHeight: Int {
        var depth = [Int32](repeating: 1, count: nodeCount)
        for r in stride(from: nodeCount - 1, through: 0, by: -1) where parent[r] >= 0 {
            depth[r] = depth[Int(parent[r])] + 1
        }
        return Int(depth.max() ?? 0)
    }

    /// The sorted union of two ascending lists without repeats.
    static func union(_ a: [Int32], _ b: ArraySlice<Int32>) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(a.count + b.count)
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex || j < b.endIndex {
            if j == b.endIndex || (i < a.endIndex && a[i] < b[j]) {
                result.append(a[i])
                i += 1
            } else if i == a.endIndex || b[j] < a[i] {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
                j += 1
            }
        }
        return result
    }

    /// The index of `value` in the ascending `range` of `array` (which holds it).
    static func search(_ array: [Int32], in range: Range<Int>, for value: Int32) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if array[middle] < value { low = middle + 1 } else { high = middle }
        }
        precondition(low < range.upperBound && array[low] == value, "an arc of the graph lies on the hierarchy")
        return low
    }
}
