import Foundation
import SuginamiCore

/// A nested-dissection node order by inertial flow (Schild and Sommer, 2015, as used by
/// RoutingKit): a part of the network is cut by the smallest vertex separator that a maximum
/// flow finds between the two ends of the part along one of four compass lines; the separator
/// is ranked above both halves, which are ordered the same way.
///
/// The order is what makes a contraction hierarchy small and its searches short: separators
/// near the top of the order are few and small, so every upward search climbs only O(√n)
/// nodes on road networks. Written by hand: no package in the mirror (or Debian's METIS, whose
/// general-purpose orders are coarser on road networks) gives a geometric flow-based order.
public enum NestedDissection {
    /// Parts this small are ranked as they come; cutting them gains nothing measurable.
    static let leafSize = 4
    /// The share of a part taken as each end (source and sink) of the flow.
    static let endShare = 0.25
    /// Parts at least this large are cut along the four directions at once.
    static let parallelPart = 256
    /// When both halves of a cut are at least this large, they are ordered at once.
    static let parallelHalves = 10_000

    /// The order: `order[r]` is the node ranked r (0 = lowest, contracted first).
    /// - Parameters:
    ///   - offsets: where each node's neighbours start (`offsets.count` = nodes + 1).
    ///   - neighbours: the undirected simple graph as CSR.
    ///   - x: node positions east on any plane (metres or scaled degrees).
    ///   - y: node positions north.
    public static func order(offsets: [Int32], neighbours: [Int32], x: [Double], y: [Double]) -> [Int32] {
        let n = offsets.count - 1
        var order = [Int32](repeating: -1, count: n)
        let graph = PartCutter.Graph(offsets: offsets, neighbours: neighbours, x: x, y: y)
        for (rank, node) in ranks(of: [(Array(0..<Int32(n)), 0)], in: graph) { order[rank] = node }
        return order
    }

    /// The ranks of the nodes of `tasks`: each a set of nodes and the rank range
    /// [low, low + count) they fill. Separators take the top of their range, so the halves are
    /// ordered independently — on two threads when both are large.
    static func ranks(of tasks: [(nodes: [Int32], low: Int)], in graph: PartCutter.Graph) -> [(Int, Int32)] {
        var cutter = PartCutter(graph: graph)
        var tasks = tasks
        var placed: [(Int, Int32)] = []
        while let (nodes, low) = tasks.popLast() {
            let components = cutter.components(of: nodes)
            if components.count > 1 {
                var start = low
                for component in components {
                    tasks.append((component, start))
                    start += component.count
                }
                continue
            }
            if nodes.count <= leafSize {
                for (offset, node) in nodes.enumerated() { placed.append((low + offset, node)) }
                continue
            }
            let cut = cutter.bestCut(of: nodes)
            let top = low + nodes.count - cut.separator.count
            for (offset, node) in cut.separator.enumerated() { placed.append((top + offset, node)) }
            let halves = [(cut.first, low), (cut.second, low + cut.first.count)].filter { !$0.0.isEmpty }
            if halves.count == 2 && halves.allSatisfy({ $0.0.count >= parallelHalves }) {
                for ranked in concurrentMap(2, { ranks(of: [halves[$0]], in: graph) }) { placed += ranked }
            } else {
                tasks += halves
            }
        }
        return placed
    }
}

/// The working state for cutting parts of one graph: scratch arrays indexed by global node,
/// reused across parts so that a part costs time in its own size only.
struct PartCutter {
    /// The whole graph, shared by the cutters of every thread.
    struct Graph: Sendable {
        let offsets: [Int32]
        let neighbours: [Int32]
        let x: [Double]
        let y: [Double]
    }

    let offsets: [Int32]
    let neighbours: [Int32]
    let x: [Double]
    let y: [Double]
    /// Local index of each global node in the current part, −1 outside it.
    var local: [Int32]

    init(graph: Graph) {
        offsets = graph.offsets
        neighbours = graph.neighbours
        x = graph.x
        y = graph.y
        local = [Int32](repeating: -1, count: offsets.count - 1)
    }

    /// The connected components of the subgraph induced by `nodes`.
    mutating func components(of nodes: [Int32]) -> [[Int32]] {
        for (index, node) in nodes.enumerated() { local[Int(node)] = Int32(index) }
        defer { for node in nodes { local[Int(node)] = -1 } }
        var seen = [Bool](repeating: false, count: nodes.count)
        var result: [[Int32]] = []
        var stack: [Int32] = []
        for start in nodes.indices where !seen[start] {
            seen[start] = true
            var component: [Int32] = [nodes[start]]
            stack.append(nodes[start])
            while let node = stack.popLast() {
                for arc in Int(offsets[Int(node)])..<Int(offsets[Int(node) + 1]) {
                    let other = Int(neighbours[arc])
                    let index = Int(local[other])
                    if index >= 0 && !seen[index] {
                        seen[index] = true
                        component.append(Int32(other))
                        stack.append(Int32(other))
                    }
                }
            }
            result.append(component)
            if result.count == 1 && component.count == nodes.count { break }
        }
        return result
    }

    /// The smallest separator over the four directions (ties: the more balanced), with the two
    /// sides it leaves.
    mutating func bestCut(of nodes: [Int32]) -> (separator: [Int32], first: [Int32], second: [Int32]) {
        for (index, node) in nodes.enumerated() { local[Int(node)] = Int32(index) }
        defer { for node in nodes { local[Int(node)] = -1 } }
        let graph = LocalGraph(nodes: nodes, offsets: offsets, neighbours: neighbours, local: local)
        let directions: [(Double, Double)] = [(1, 0), (0, 1), (1, 1), (1, -1)]
        let (x, y) = (x, y)
        func cut(along direction: Int) -> (separator: [Int32], first: [Int32], second: [Int32]) {
            let (dx, dy) = directions[direction]
            // Projected once, then sorted by key (ties by index, so the order is the same on
            // every run).
            let keys = nodes.map { x[Int($0)] * dx + y[Int($0)] * dy }
            let sorted = nodes.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            let ends = max(1, Int(Double(nodes.count) * NestedDissection.endShare))
            let cut = graph.minimumVertexCut(sources: sorted.prefix(ends), sinks: sorted.suffix(ends))
            return (
                separator: cut.separator.map { nodes[$0] }, first: cut.first.map { nodes[$0] },
                second: cut.second.map { nodes[$0] }
            )
        }
        // The four flows are independent: on every core for a large part, where they cost
        // most (the top cuts of a city take seconds); one after another for a small one,
        // where waking threads would cost more than the flow.
        let candidates =
            nodes.count >= NestedDissection.parallelPart
            ? concurrentMap(directions.count, cut(along:)) : directions.indices.map(cut(along:))
        var best: (separator: [Int32], first: [Int32], second: [Int32])?
        for candidate in candidates {
            if let current = best {
                let balance = min(candidate.first.count, candidate.second.count)
                let currentBalance = min(current.first.count, current.second.count)
                if candidate.separator.count > current.separator.count
                    || (candidate.separator.count == current.separator.count && balance <= currentBalance)
                {
                    continue
                }
            }
            best = candidate
        }
        return best!
    }
}

/// A part of the graph with local node numbers 0..<count, as CSR.
struct LocalGraph {
    var offsets: [Int32]
    var heads: [Int32]

    init(nodes: [Int32], offsets global: [Int32], neighbours: [Int32], local: [Int32]) {
        offsets = [0]
        offsets.reserveCapacity(nodes.count + 1)
        heads = []
        for node in nodes {
            for arc in Int(global[Int(node)])..<Int(global[Int(node) + 1]) {
                let other = local[Int(neighbours[arc])]
                if other >= 0 { heads.append(other) }
            }
            offsets.append(Int32(heads.count))
        }
    }

    var count: Int { offsets.count - 1 }

    /// A minimum set of nodes whose removal disconnects every source from every sink (each node
    /// has capacity one, each edge unbounded), by Dinic's algorithm on the split-node graph,
    /// with the sides: `first` holds the nodes still reachable from the sources, `second` the
    /// rest.
    func minimumVertexCut(
        sources: some Collection<Int>, sinks: some Collection<Int>
    ) -> (separator: [Int], first: [Int], second: [Int]) {
        let n = count
        // Node v is split into in(v) = 2v and out(v) = 2v + 1, joined by a unit arc.
        var through = [Bool](repeating: false, count: n)  // in(v) → out(v) carries flow
        var flow = [Bool](repeating: false, count: heads.count)  // out(u) → in(v) carries flow
        var isSink = [Bool](repeating: false, count: n)
        for t in sinks { isSink[t] = true }
        // Reverse arc index: for arc u→v, the arc v→u (the graph is symmetric).
        var reverse = [Int32](repeating: -1, count: heads.count)
        for u in 0..<n {
            for arc in Int(offsets[u])..<Int(offsets[u + 1]) {
                let v = Int(heads[arc])
                if v < u { continue }
                for back in Int(offsets[v])..<Int(offsets[v + 1]) where heads[back] == Int32(u) && reverse[back] < 0 {
                    reverse[arc] = Int32(back)
                    reverse[back] = Int32(arc)
                    break
                }
            }
        }
        var visited = [Int32](repeating: -1, count: 2 * n)  // split node → the round it was reached
        var parent = [Int32](repeating: -1, count: 2 * n)  // split node → split node it came from
        var parentArc = [Int32](repeating: -1, count: 2 * n)
        // Dinic's algorithm, as RoutingKit runs it: a breadth-first search gives every split node
        // its level, then depth-first searches push flow along arcs that climb one level, each
        // node resuming at the arc it last tried, until no path is left at those levels; one
        // breadth-first search per round rather than one per unit of flow.
        var level = [Int32](repeating: -1, count: 2 * n)
        var cursor = [Int32](repeating: -1, count: 2 * n)  // the option a node tries next (−1: its unit arc)
        var queue = [Int32](repeating: 0, count: 2 * n)
        var stack: [Int32] = []
        stack.reserveCapacity(2 * n)
        var round: Int32 = 0
        /// The split node reached from `split` by its option `option` (−1: its unit arc, else
        /// an arc of its node) along a residual arc, with the arc's code for augmenting; nil
        /// when that arc has no room.
        func residual(from split: Int, option: Int) -> (next: Int, arc: Int32)? {
            let v = split >> 1
            if option < 0 {
                // in(v) → out(v) while its unit is free; out(v) → in(v) to cancel it.
                return (split & 1 == 0 ? !through[v] : through[v]) ? (split ^ 1, -1) : nil
            }
            if split & 1 == 0 {
                // in(v): back over a flow arc u → v into out(u).
                let back = Int(reverse[option])
                return back >= 0 && flow[back] ? (2 * Int(heads[option]) + 1, Int32(-2 - back)) : nil
            }
            return (2 * Int(heads[option]), Int32(option))  // out(v): forward to any in(u)
        }
        while true {
            round += 1
            // Levels, from every source at once; a sink's in-node with a free unit ends a path.
            var head = 0
            var tail = 0
            for s in sources where visited[2 * s] != round {
                visited[2 * s] = round
                level[2 * s] = 0
                queue[tail] = Int32(2 * s)
                tail += 1
            }
            var sinkReached = false
            while head < tail {
                let split = Int(queue[head])
                head += 1
                let v = split >> 1
                if split & 1 == 0 && isSink[v] && !through[v] {
                    sinkReached = true
                    continue
                }
                func relax(_ option: Int) {
                    guard let (next, _) = residual(from: split, option: option), visited[next] != round else { return }
                    visited[next] = round
                    level[next] = level[split] + 1
                    queue[tail] = Int32(next)
                    tail += 1
                }
                relax(-1)
                for option in Int(offsets[v])..<Int(offsets[v + 1]) { relax(option) }
            }
            // The last search reached exactly the source side of a minimum cut.
            if !sinkReached { break }
            for index in 0..<tail { cursor[Int(queue[index])] = -1 }
            // Paths along the levels until none is left.
            for s in sources where visited[2 * s] == round && level[2 * s] == 0 {
                while level[2 * s] == 0 {
                    stack.removeAll(keepingCapacity: true)
                    stack.append(Int32(2 * s))
                    parent[2 * s] = -1
                    var reached = -1
                    while let top = stack.last {
                        let split = Int(top)
                        let v = split >> 1
                        if split & 1 == 0 && isSink[v] && !through[v] {
                            parent[split + 1] = Int32(split)
                            parentArc[split + 1] = -1
                            reached = split + 1
                            break
                        }
                        var option = Int(cursor[split])
                        let end = Int(offsets[v + 1])
                        var descended = false
                        while option < end {
                            if option >= 0 && option < Int(offsets[v]) { option = Int(offsets[v]) }
                            if option >= end { break }
                            if let (next, arc) = residual(from: split, option: option), visited[next] == round,
                                level[next] == level[split] + 1
                            {
                                parent[next] = Int32(split)
                                parentArc[next] = arc
                                stack.append(Int32(next))
                                descended = true
                                break
                            }
                            option += 1
                        }
                        cursor[split] = Int32(option)
                        if !descended {
                            // A dead end at these levels: nobody enters it again this round.
                            level[split] = -1
                            stack.removeLast()
                            if let below = stack.last { cursor[Int(below)] += 1 }
                        }
                    }
                    if reached < 0 { break }
                    // Augment along the path back to the source.
                    var split = reached
                    while parent[split] >= 0 {
                        let from = Int(parent[split])
                        let arc = Int(parentArc[split])
                        if from >> 1 == split >> 1 {
                            through[split >> 1] = from & 1 == 0  // in→out sets, out→in cancels
                        } else if arc >= 0 {
                            // Forward along u → v. (Cancelling a unit on v → u instead, as this once did, is
                            // not the same flow: out(u) → in(v) and out(v) → in(u) are different arcs, and
                            // the cuts came out up to a fifth larger than the minimum.)
                            flow[arc] = true
                        } else {
                            flow[-2 - arc] = false
                        }
                        split = from
                    }
                }
            }
        }
        var separator: [Int] = []
        var first: [Int] = []
        var second: [Int] = []
        for v in 0..<n {
            let inReached = visited[2 * v] == round
            let outReached = visited[2 * v + 1] == round
            if inReached && !outReached {
                separator.append(v)
            } else if inReached {
                first.append(v)
            } else {
                second.append(v)
            }
        }
        return (separator, first, second)
    }
}
