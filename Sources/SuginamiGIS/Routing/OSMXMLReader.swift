import Foundation
import SuginamiKit

/// Who travels on the network, and so which OSM ways and directions count.
public enum TravelProfile: String, Sendable, Hashable, CaseIterable {
    /// On foot (the default): footways, steps, residential streets and every road but motorways,
    /// both directions; `foot=no` excluded, and private or closed access unless `foot` allows it.
    case walking
    /// In a wheelchair (車いす): as on foot, but without steps (`highway=steps`) and without ways
    /// tagged `wheelchair=no`; `wheelchair=limited` is kept.
    case wheelchair
    /// By car: roads from motorway to service, `oneway` respected, `access`/`motor_vehicle`=no excluded.
    case driving

    static let walkable: Set<String> = [
        "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "living_street", "service",
        "pedestrian", "footway", "path", "steps", "track", "cycleway", "road", "trunk_link", "primary_link",
        "secondary_link", "tertiary_link",
    ]
    static let drivable: Set<String> = [
        "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "living_street",
        "service", "road", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link",
    ]

    /// Whether a way with these tags is used, and in which directions (forward, backward).
    func directions(_ tags: [String: String]) -> (forward: Bool, backward: Bool)? {
        guard let highway = tags["highway"] else { return nil }
        let closedToAll = ["private", "no"].contains(tags["access"] ?? "")
        switch self {
        case .wheelchair:
            guard highway != "steps", tags["wheelchair"] != "no" else { return nil }
            return Self.walking.directions(tags)
        case .walking:
            // OSM's access rules on foot: `foot` overrides `access` (a park path tagged
            // access=no + foot=yes is walkable), foot=no excludes, oneway does not apply.
            guard Self.walkable.contains(highway) else { return nil }
            let foot = tags["foot"] ?? ""
            if ["no", "private", "use_sidepath"].contains(foot) { return nil }
            if closedToAll && !["yes", "designated", "permissive", "official", "destination"].contains(foot) {
                return nil
            }
            return (true, true)
        case .driving:
            guard !closedToAll, Self.drivable.contains(highway),
                !["no", "private"].contains(tags["motor_vehicle"] ?? ""),
                !["no", "private"].contains(tags["motorcar"] ?? "")
            else { return nil }
            let oneway = tags["oneway"] ?? (tags["junction"] == "roundabout" || highway == "motorway" ? "yes" : "no")
            switch oneway {
            case "yes", "1", "true": return (true, false)
            case "-1", "reverse": return (false, true)
            default: return (true, true)
            }
        }
    }
}

/// Reads OpenStreetMap XML (`.osm`) into a junction graph for a travel profile: nodes where
/// ways meet or end, edges along the way geometry between them with their length on the
/// ellipsoid (Karney's geodesic on GRS80), the way id and street name.
public enum OSMXMLReader {
    /// What the reader met besides the graph.
    public struct Report: Sendable, Hashable {
        /// Ways used.
        public var waysUsed = 0
        /// References to nodes the file does not contain (dropped from their ways, as extracts
        /// clipped at a boundary have them).
        public var missingNodeReferences = 0
        /// Nodes dropped by keeping only the largest connected component.
        public var nodesOutsideLargestComponent = 0
    }

    /// Reads a file, streaming: one pass over the mapped file, keeping node positions and the
    /// ways that carry a `highway` tag (with the tags routing reads).
    /// - Throws: ``RoadNetworkError`` naming the line for unreadable, malformed or truncated XML,
    ///   invalid UTF-8, a node without a valid id and position, or no usable way at all.
    public static func read(
        _ url: URL, profile: TravelProfile = .walking, keepLargestComponent: Bool = true
    ) throws(RoadNetworkError) -> (graph: RoadGraph, report: Report) {
        let file = url.lastPathComponent
        // Mapped, not read: the file's pages come and go with the page cache.
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw RoadNetworkError(file: file, line: 0, reason: "cannot read the file")
        }
        var osm = OSMData()
        let failure = data.withUnsafeBytes { bytes -> OSMXMLScanner.Failure? in
            do throws(OSMXMLScanner.Failure) {
                try OSMXMLScanner.scan(bytes, into: &osm)
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            let line = data.prefix(failure.offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw RoadNetworkError(file: file, line: line, reason: failure.reason)
        }
        return try build(osm, profile: profile, keepLargestComponent: keepLargestComponent, file: file)
    }

    /// The junction graph of OSM nodes and ways, as read from XML or PBF (``OSMPBFReader``).
    static func build(
        _ osm: OSMData, profile: TravelProfile, keepLargestComponent: Bool, file: String
    ) throws(RoadNetworkError) -> (graph: RoadGraph, report: Report) {
        var report = Report()
        var ways: [(id: Int64, nodes: [Int64], forward: Bool, backward: Bool, name: String, steps: Bool)] = []
        for way in osm.ways {
            guard let (forward, backward) = profile.directions(way.tags) else { continue }
            let present = way.nodes.filter { osm.positions[$0] != nil }
            report.missingNodeReferences += way.nodes.count - present.count
            guard present.count >= 2 else { continue }
            ways.append((way.id, present, forward, backward, way.tags["name"] ?? "", way.tags["highway"] == "steps"))
        }
        report.waysUsed = ways.count
        guard !ways.isEmpty else {
            throw RoadNetworkError(file: file, line: 0, reason: "no way usable for \(profile.rawValue) in the file")
        }
        // Junctions: nodes used twice or more, counting a way's ends twice.
        var use: [Int64: Int] = [:]
        for way in ways {
            for (position, node) in way.nodes.enumerated() {
                use[node, default: 0] += (position == 0 || position == way.nodes.count - 1) ? 2 : 1
            }
        }
        var index: [Int64: Int32] = [:]
        var ids: [Int64] = []
        func node(_ id: Int64) -> Int32 {
            if let existing = index[id] { return existing }
            index[id] = Int32(ids.count)
            ids.append(id)
            return Int32(ids.count - 1)
        }
        var edges: [RoadGraph.Edge] = []
        let geodesic = Geodesic.grs80
        for way in ways {
            var start = way.nodes[0]
            var length = 0.0
            var shape: [GeoPoint] = []
            for (a, b) in zip(way.nodes, way.nodes.dropFirst()) {
                length += geodesic.distance(from: osm.positions[a]!, to: osm.positions[b]!)
                if use[b, default: 0] >= 2 || b == way.nodes.last! {
                    if start != b {
                        let (from, to) = way.forward ? (node(start), node(b)) : (node(b), node(start))
                        edges.append(
                            RoadGraph.Edge(
                                from: from, to: to, length: length, twoWay: way.forward && way.backward, way: way.id,
                                name: way.name, shape: way.forward ? shape : shape.reversed(), isSteps: way.steps))
                    }
                    start = b
                    length = 0
                    shape = []
                } else {
                    shape.append(osm.positions[b]!)
                }
            }
        }
        // Ways whose nodes all repeat one position give no edge (found by fuzzing: the component
        // search below then had nothing to choose from).
        guard !edges.isEmpty else {
            throw RoadNetworkError(
                file: file, line: 0,
                reason: "no way usable for \(profile.rawValue) joins two different nodes (\(ways.count) ways read)")
        }
        var keep = [Bool](repeating: true, count: ids.count)
        if keepLargestComponent {
            // Union-find over the undirected edges.
            var parent = Array(0..<ids.count)
            func root(_ x: Int) -> Int {
                var x = x
                while parent[x] != x {
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                }
                return x
            }
            for edge in edges {
                let a = root(Int(edge.from))
                let b = root(Int(edge.to))
                if a != b { parent[a] = b }
            }
            var sizes: [Int: Int] = [:]
            for x in 0..<ids.count { sizes[root(x), default: 0] += 1 }
            // Edges exist, so there is at least one component.
            let largest = sizes.max { $0.value < $1.value }?.key ?? 0
            for x in 0..<ids.count { keep[x] = root(x) == largest }
            report.nodesOutsideLargestComponent = keep.count { !$0 }
        }
        var remap = [Int32](repeating: -1, count: ids.count)
        var keptIDs: [Int64] = []
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        for (old, id) in ids.enumerated() where keep[old] {
            remap[old] = Int32(keptIDs.count)
            keptIDs.append(id)
            latitudes.append(osm.positions[id]!.latitude)
            longitudes.append(osm.positions[id]!.longitude)
        }
        let keptEdges = edges.compactMap { edge -> RoadGraph.Edge? in
            guard keep[Int(edge.from)], keep[Int(edge.to)] else { return nil }
            var kept = edge
            kept.from = remap[Int(edge.from)]
            kept.to = remap[Int(edge.to)]
            return kept
        }
        do {
            let graph = try RoadGraph(nodeIDs: keptIDs, latitudes: latitudes, longitudes: longitudes, edges: keptEdges)
            return (graph, report)
        } catch {
            throw RoadNetworkError(file: file, line: 0, reason: error.description)
        }
    }
}
