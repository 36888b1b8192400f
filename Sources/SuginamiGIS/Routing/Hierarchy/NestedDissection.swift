import Foundation

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

    /// The order: `order[r]` is the node ranked r (0 = lowest, contracted first).
    /// - Parameters:
    ///   - offsets: where each node's neighbours start (`offsets.count` = nodes + 1).
    ///   - neighbours: the undirected simple graph as CSR.
    ///   - x: node positions east on any plane (metres or scaled degrees).
    ///   - y: node positions north.
    public static func order(offsets: [Int32], neighbours: [Int32], x: [Double], y: [Double]) -> [Int32] {
        let n = offsets.count - 1
        var order = [Int32](repeating: -1, count: n)
        var cutter = PartCutter(offsets: offsets, neighbours: neighbours, x: x, y: y)
        // Tasks: a set of nodes and the rank range [low, low + count) they fill. Separators take
        // the top of their range, so the halves can be ordered independently.
        var tasks: [(nodes: [Int32], low: Int)] = [(Array(0..<Int32(n)), 0)]
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
                for (offset, node) in nodes.enumerated() { order[low + offset] = node }
                continue
            }
            let cut = cutter.bestCut(of: nodes)
            let top = low + nodes.count - cut.separator.count
            for (offset, node) in cut.separator.enumerated() { order[top + offset] = node }
            if !cut.first.isEmpty { tasks.append((cut.first, low)) }
            if !cut.second.isEmpty { tasks.append((cut.second, low + cut.first.count)) }
        }
        return order
    }
}

/// The working state for cutting parts of one graph: scratch arrays indexed by global node,
/// reused across parts so that a part costs time in its own size only.
struct PartCutter {
    let offsets: [Int32]
    let neighbours: [Int32]
    let x: [Double]
    let y: [Double]
    /// Local index of each global node in the current part, −1 outside it.
    var local: [Int32]

    init(offsets: [Int32], neighbours: [Int32], x: [Double], y: [Double]) {
        self.offsets = offsets
        self.neighbours = neighbours
        self.x = x
        self.y = y
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
        var best: (separator: [Int32], first: [Int32], second: [Int32])?
        let directions: [(Double, Double)] = [(1, 0), (0, 1), (1, 1), (1, -1)]
        for (dx, dy) in directions {
            let sorted = nodes.indices.sorted {
                let a = x[Int(nodes[$0])] * dx + y[Int(nodes[$0])] * dy
                let b = x[Int(nodes[$1])] * dx + y[Int(nodes[$1])] * dy
                return a != b ? a < b : $0 < $1
            }
            let ends = max(1, Int(Double(nodes.count) * NestedDissection.endShare))
            let cut = graph.minimumVertexCut(sources: sorted.prefix(ends), sinks: sorted.suffix(ends))
            let candidate = (
                separator: cut.separator.map { nodes[$0] }, first: cut.first.map { nodes[$0] },
                second: cut.second.map { nodes[$0] }
            )
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
    /// has capacity one, each edge unbounded), by breadth-first augmenting paths on the
    /// split-node graph, with the sides: `first` holds the nodes still reachable from the
    /// sources, `second` the rest.
    func minimumVertexCut(
        sources: some Collection<Int>, sinks: some Collection<Int>
    ) -> (separator: [Int], first: [Int], second: [Int]) {
        let n = count
        // Node v is split into in(v) = 2v and out(v) = 2v + 1, joined by a unit arc.
        var through = [Bool](repeating: false, count: n)  // in(v) → out(v) carries flow
        var flow = [Bool](repeating: false, count: heads.count)  // out(u) → in(v) carries flow
        var isSource = [Bool](repeating: false, count: n)
        var isSink = [Bool](repeating: false, count: n)
        for s in sources { isSource[s] = true }
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
        var queue = [Int32](repeating: 0, count: 2 * n)
        var round: Int32 = 0
        while true {
            round += 1
            var head = 0
            var tail = 0
            for s in sources where visited[2 * s] != round {
                visited[2 * s] = round
                parent[2 * s] = -1
                queue[tail] = Int32(2 * s)
                tail += 1
            }
            var reached: Int32 = -1
            search: while head < tail {
                let split = Int(queue[head])
                head += 1
                let v = split >> 1
                func visit(_ next: Int, _ arc: Int32) {
                    if visited[next] != round {
                        visited[next] = round
                        parent[next] = Int32(split)
                        parentArc[next] = arc
                        queue[tail] = Int32(next)
                        tail += 1
                    }
                }
                if split & 1 == 0 {
                    // in(v): on to out(v) if its unit is free; back over a flow arc into v.
                    if !through[v] {
                        if isSink[v] {
                            parent[2 * v + 1] = Int32(split)
                            parentArc[2 * v + 1] = -1
                            visited[2 * v + 1] = round
                            reached = Int32(2 * v + 1)
                            break search
                        }
                        visit(2 * v + 1, -1)
                    }
                    for arc in Int(offsets[v])..<Int(offsets[v + 1]) {
                        let back = Int(reverse[arc])  // u→v is `back` seen from u
                        if back >= 0 && flow[back] { visit(2 * Int(heads[arc]) + 1, Int32(-2 - back)) }
                    }
                } else {
                    // out(v): back to in(v) if its unit is used; forward to any in(u).
                    if through[v] { visit(2 * v, -1) }
                    for arc in Int(offsets[v])..<Int(offsets[v + 1]) {
                        visit(2 * Int(heads[arc]), Int32(arc))
                    }
                }
            }
            if reached < 0 { break }
            // Augment along the path back to a source.
            var split = Int(reached)
            while parent[split] >= 0 {
                let from = Int(parent[split])
                let arc = Int(parentArc[split])
                if from >> 1 == split >> 1 {
                    through[split >> 1] = from & 1 == 0  // in→out sets, out→in cancels
                } else if arc >= 0 {
                    let back = Int(reverse[arc])
                    if back >= 0 && flow[back] {
                        flow[back] = false  // cancel opposite flow instead of adding a cycle
                    } else {
                        flow[arc] = true
                    }
                } else {
                    flow[-2 - arc] = false
                }
                split = from
            }
        }
        // The last search reached exactly the source side of a minimum cut.
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
