/// The allowed flows of an inventory as a directed graph, for reachability across zones.
///
/// Nodes are the assets, plus two per zone: "zone as source" (every asset of the zone feeds it)
/// and "zone as destination" (it feeds every asset of the zone), so that a zone-level flow adds
/// one edge instead of one per pair of assets. Size stays linear in assets + flows.
struct FlowGraph {
    /// A step of a path: the node reached and the flow taken (nil for a zone-membership step).
    struct Step {
        let node: Int
        let flow: Int?
    }

    let assetCount: Int
    let zoneIDs: [String]
    private let zoneNumber: [String: Int]
    private let offsets: [Int]
    private let targets: [Int]
    private let edgeFlows: [Int]  // -1 for membership edges

    /// The graph of `index`'s allowed flows, without those numbered in `excluding` (flows a
    /// waiver accepts for the rule at hand).
    init(_ index: InventoryIndex, throughSanitizers: Bool, excluding: Set<Int> = []) {
        let inventory = index.inventory
        assetCount = inventory.assets.count
        zoneIDs = inventory.zones.map(\.id)
        let zoneNumber = Dictionary(uniqueKeysWithValues: zoneIDs.enumerated().map { ($1, $0) })
        self.zoneNumber = zoneNumber
        let assetCount = assetCount
        let zoneCount = zoneIDs.count
        func sourceNode(_ end: String) -> Int {
            index.assetIndexByID[end] ?? (assetCount + zoneNumber[end]!)
        }
        func destinationNode(_ end: String) -> Int {
            index.assetIndexByID[end] ?? (assetCount + zoneCount + zoneNumber[end]!)
        }
        var edges: [(from: Int, to: Int, flow: Int)] = []
        edges.reserveCapacity(inventory.flows.count + 2 * assetCount)
        for (number, asset) in inventory.assets.enumerated() {
            let zone = zoneNumber[asset.zone]!
            edges.append((number, assetCount + zone, -1))
            edges.append((assetCount + zoneCount + zone, number, -1))
        }
        for (number, flow) in inventory.flows.enumerated() where flow.action == .allow && !excluding.contains(number) {
            // 無害化 passes content, not a connection: by default it cuts a path, where the
            // guideline allows it (internet → LGWAN) and nowhere else.
            if !throughSanitizers, index.sanitisationCuts(flow) { continue }
            edges.append((sourceNode(flow.from), destinationNode(flow.to), number))
        }
        // Compressed adjacency (CSR) by counting sort on the source node.
        let nodeCount = assetCount + 2 * zoneCount
        var offsets = [Int](repeating: 0, count: nodeCount + 1)
        for edge in edges { offsets[edge.from + 1] += 1 }
        for node in 0..<nodeCount { offsets[node + 1] += offsets[node] }
        var cursor = offsets
        var targets = [Int](repeating: 0, count: edges.count)
        var edgeFlows = [Int](repeating: 0, count: edges.count)
        for edge in edges {
            targets[cursor[edge.from]] = edge.to
            edgeFlows[cursor[edge.from]] = edge.flow
            cursor[edge.from] += 1
        }
        self.offsets = offsets
        self.targets = targets
        self.edgeFlows = edgeFlows
    }

    var nodeCount: Int { offsets.count - 1 }

    /// The node a flow from `end` leaves (the asset, or its zone as a source).
    func sourceNode(of end: String, index: InventoryIndex) -> Int? {
        index.assetIndexByID[end] ?? zoneNumber[end].map { assetCount + $0 }
    }

    /// The node a flow to `end` reaches (the asset, or its zone as a destination).
    func destinationNode(of end: String, index: InventoryIndex) -> Int? {
        index.assetIndexByID[end] ?? zoneNumber[end].map { assetCount + zoneIDs.count + $0 }
    }

    /// Every node reachable from `sources` (themselves included), not going on from the nodes
    /// of `stops` (a path ends where it first enters the other side).
    func reachable(from sources: [Int], stoppingAt stops: Set<Int> = []) -> [Bool] {
        var seen = [Bool](repeating: false, count: nodeCount)
        var queue = sources.filter { !seen[$0] }
        for node in queue { seen[node] = true }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            if stops.contains(node) { continue }
            for edge in offsets[node]..<offsets[node + 1] where !seen[targets[edge]] {
                seen[targets[edge]] = true
                queue.append(targets[edge])
            }
        }
        return seen
    }

    /// The nodes standing for the assets and zones of some zone kinds, as sources or destinations.
    func nodes(ofKinds kinds: Set<ZoneKind>, index: InventoryIndex, asSource: Bool) -> [Int] {
        var nodes: [Int] = []
        for (number, asset) in index.inventory.assets.enumerated()
        where index.zoneKindByZoneID[asset.zone].map(kinds.contains) ?? false {
            nodes.append(number)
        }
        for (number, zone) in index.inventory.zones.enumerated() where kinds.contains(zone.kind) {
            nodes.append(assetCount + (asSource ? 0 : zoneIDs.count) + number)
        }
        return nodes
    }

    /// Breadth-first search from `sources`; the shortest path to each reached node of
    /// `destinations`, in the order reached.
    func paths(from sources: [Int], to destinations: Set<Int>, limit: Int) -> (count: Int, paths: [[Step]]) {
        var parent = [Int](repeating: -2, count: nodeCount)
        var parentFlow = [Int](repeating: -1, count: nodeCount)
        var queue: [Int] = []
        queue.reserveCapacity(nodeCount)
        for source in sources where parent[source] == -2 {
            parent[source] = -1
            queue.append(source)
        }
        var reached: [Int] = []
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            // A path ends where it first enters the other side: count boundary crossings, not
            // everything behind them.
            if destinations.contains(node) && parent[node] != -1 { continue }
            for edge in offsets[node]..<offsets[node + 1] {
                let next = targets[edge]
                guard parent[next] == -2 else { continue }
                parent[next] = node
                parentFlow[next] = edgeFlows[edge]
                queue.append(next)
                if destinations.contains(next) { reached.append(next) }
            }
        }
        let paths = reached.prefix(limit).map { end -> [Step] in
            var steps: [Step] = []
            var node = end
            while node >= 0 {
                steps.append(Step(node: node, flow: parentFlow[node] >= 0 ? parentFlow[node] : nil))
                node = parent[node]
            }
            return steps.reversed()
        }
        return (reached.count, paths)
    }

    /// `inet-proxy-01 →[f-12]→ lgwan-gw →[f-40]→ mn-db-01`, naming zone nodes by their zone id.
    func describe(_ path: [Step], index: InventoryIndex) -> String {
        var text = ""
        for (position, step) in path.enumerated() {
            let name =
                step.node < assetCount
                ? index.inventory.assets[step.node].id
                : "zone:" + zoneIDs[(step.node - assetCount) % zoneIDs.count]
            if position == 0 {
                text = name
            } else if let flow = step.flow {
                text += " →[\(index.inventory.flows[flow].id)]→ \(name)"
            } else if step.node < assetCount {
                // A membership step into an asset from its zone: name the asset.
                text += " ⊃ \(name)"
            }
        }
        return text
    }
}
