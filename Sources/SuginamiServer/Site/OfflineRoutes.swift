import Foundation
import SuginamiGIS

/// The shelter tree as the exported map reads it with no server: for every junction that
/// reaches an open relief centre, its position, the next junction on the way, the metres left
/// and which centre it leads to.
///
/// The page snaps a tapped position to the nearest such junction and follows the next hops, so
/// an offline answer is the tree's own route from that junction (the daemon snaps to the
/// nearest point of a road instead, and writes turn-by-turn instructions). Junctions that reach
/// no centre are left out, so the page never snaps to one.
struct OfflineRoutes: Sendable {
    /// The document (`SUGINAMI_SITE.data.routes` in the page).
    let document: JSONValue
    /// Junctions written.
    let junctions: Int

    /// Encodes the tree of `snapshot` (its open centres, closures and reports as they are now;
    /// computed for its closures when a refresh was still running behind it).
    init(snapshot: ReliefCentreRouting.Snapshot, exportedAt: Date) {
        let graph = snapshot.network.graph
        let tree = snapshot.currentTree()
        // Centres by the node they are reached at; the first open one where two share a node.
        var centreOfNode: [Int: Int] = [:]
        var centres: [JSONValue] = []
        for centre in snapshot.centres where centre.isOpen {
            guard let node = centre.node, centreOfNode[node] == nil else { continue }
            centreOfNode[node] = centres.count
            let position = centre.facility.position
            centres.append(
                .object([
                    ("id", .string(centre.facility.id)), ("name", .string(centre.facility.name)),
                    (
                        "position",
                        .array([.number(Self.degrees(position.longitude)), .number(Self.degrees(position.latitude))])
                    ),
                ]))
        }
        // Reached junctions, renumbered densely in node order.
        var index = [Int32](repeating: -1, count: graph.nodeCount)
        var kept: [Int] = []
        for node in 0..<graph.nodeCount where tree.distances[node].isFinite && tree.shelter[node] >= 0 {
            guard centreOfNode[Int(tree.shelter[node])] != nil else { continue }
            index[node] = Int32(kept.count)
            kept.append(node)
        }
        let metres = Self.metresToCentre(tree: tree, graph: graph)
        var positions: [JSONValue] = []
        var next: [JSONValue] = []
        var left: [JSONValue] = []
        var centre: [JSONValue] = []
        var shapes: [(key: String, value: JSONValue)] = []
        positions.reserveCapacity(kept.count * 2)
        for node in kept {
            let here = graph.position(of: node)
            positions += [.number(Self.degrees(here.longitude)), .number(Self.degrees(here.latitude))]
            let hop = Int(tree.nextHop[node])
            next.append(.number(hop >= 0 ? Double(index[hop]) : -1))
            left.append(.number((metres[node] * 10).rounded() / 10))
            centre.append(.number(Double(centreOfNode[Int(tree.shelter[node])] ?? -1)))
            // The bends of the road to the next junction, when the data has them.
            if hop >= 0, let edge = Self.edge(from: node, to: hop, graph: graph) {
                var bends = graph.geometry(ofEdge: edge).dropFirst().dropLast().map { $0 }
                if graph.from(ofEdge: edge) != node { bends.reverse() }
                if !bends.isEmpty {
                    shapes.append(
                        (
                            String(index[node]),
                            .array(
                                bends.flatMap {
                                    [.number(Self.degrees($0.longitude)), .number(Self.degrees($0.latitude))]
                                })
                        ))
                }
            }
        }
        document = .object([
            ("exported_at", .string(exportedAt.formatted(.iso8601))),
            ("network", .string(snapshot.network.note)),
            ("synthetic", .bool(snapshot.network.isSynthetic)),
            ("speed_m_s", .number(Route.defaultWalkingSpeed)),
            ("maximum_snap_m", .number(snapshot.router.locator.maximumDistance)),
            ("centres", .array(centres)),
            ("positions", .array(positions)),
            ("next", .array(next)),
            ("metres", .array(left)),
            ("centre", .array(centre)),
            ("bends", .object(shapes)),
        ])
        junctions = kept.count
    }

    /// Metres (not weighted metres) from every node to its centre along the tree: the tree's
    /// distances are weighted where penalty areas apply, and the page says how far to walk.
    static func metresToCentre(tree: ShelterTree, graph: RoadGraph) -> [Double] {
        var metres = [Double](repeating: -1, count: graph.nodeCount)
        var chain: [Int] = []
        for start in 0..<graph.nodeCount where tree.distances[start].isFinite {
            // Walk up to a node already known (or the centre), then fill the chain back down.
            var node = start
            // Bounded: a next hop never repeats a node, and a chain is at most every node.
            while metres[node] < 0, chain.count <= graph.nodeCount {
                chain.append(node)
                let hop = Int(tree.nextHop[node])
                guard hop >= 0 else { break }
                node = hop
            }
            var below = metres[node] < 0 ? 0 : metres[node]
            if metres[node] < 0 { metres[node] = 0 }
            for member in chain.reversed() where metres[member] < 0 {
                let hop = Int(tree.nextHop[member])
                below += edge(from: member, to: hop, graph: graph).map(graph.length(ofEdge:)) ?? 0
                metres[member] = below
            }
            chain.removeAll(keepingCapacity: true)
        }
        return metres.map { max(0, $0) }
    }

    /// The shortest edge joining two adjacent nodes, in either direction.
    static func edge(from: Int, to: Int, graph: RoadGraph) -> Int? {
        (graph.edges(from: from, to: to) + graph.edges(from: to, to: from)).min {
            graph.length(ofEdge: $0) < graph.length(ofEdge: $1)
        }
    }

    /// Six decimals: about 0.1 m, finer than any position in the data.
    static func degrees(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}
