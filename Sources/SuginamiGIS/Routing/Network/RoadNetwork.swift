import Foundation
import SuginamiKit

/// A road network ready to route on: the graph, its contraction hierarchy and a note saying
/// where it came from (shown with every answer, so that nobody takes a synthetic network for
/// the ward's streets).
///
/// One entry point reads every kind of network file (`load(_:)`, synchronous or async); ``save(to:)`` writes the
/// compact form that starts in milliseconds.
public struct RoadNetwork: Sendable {
    /// The junctions and road segments.
    public let graph: RoadGraph
    /// The metric-independent contraction hierarchy of ``graph``.
    public let hierarchy: RoadHierarchy
    /// Where the network came from, with its licence (e.g. `© OpenStreetMap contributors, ODbL`).
    public let note: String
    /// `true` for the bundled synthetic Suginami-scale network, which is not the ward's streets.
    public let isSynthetic: Bool
    /// The snapping index of ``graph``.
    public let locator: EdgeLocator
    /// The hierarchy customized for plain lengths (no closures, no penalties): what a router
    /// without closures searches, stored in the network file so that a cold start does not
    /// customize.
    public let customized: CustomizedHierarchy

    /// A network from a graph already in hand; its hierarchy (a fraction of a second at ward
    /// scale), snapping index and customization are built when not given.
    public init(graph: RoadGraph, hierarchy: RoadHierarchy? = nil, note: String, isSynthetic: Bool = false) {
        let hierarchy = hierarchy ?? RoadHierarchy(graph: graph)
        self.init(
            graph: graph, hierarchy: hierarchy, locator: EdgeLocator(graph: graph),
            customized: CustomizedHierarchy(hierarchy: hierarchy, graph: graph, metric: RoadMetric(graph: graph)),
            note: note, isSynthetic: isSynthetic)
    }

    /// A network from all its parts (read from a network file).
    init(
        graph: RoadGraph, hierarchy: RoadHierarchy, locator: EdgeLocator, customized: CustomizedHierarchy,
        note: String, isSynthetic: Bool = false
    ) {
        self.graph = graph
        self.hierarchy = hierarchy
        self.locator = locator
        self.customized = customized
        self.note = note
        self.isSynthetic = isSynthetic
    }

    /// A router over this network under `metric` (plain lengths when not given), using the
    /// network's own snapping index, and its customization when the metric is plain.
    public func router(metric: RoadMetric? = nil) -> Router {
        guard let metric, metric != customized.metric else {
            return Router(graph: graph, locator: locator, customized: customized)
        }
        return Router(
            graph: graph, locator: locator,
            customized: CustomizedHierarchy(hierarchy: hierarchy, graph: graph, metric: metric))
    }

    /// Where a network is read from.
    public enum Source: Sendable, Hashable {
        /// An OpenStreetMap file, uncompressed XML (`.osm`) or PBF (`.pbf`), told by
        /// its name, with the travel profile that decides which ways are roads.
        case openStreetMap(URL, profile: TravelProfile = .walking)
        /// The node and edge CSV lists of the synthetic data (gzip allowed).
        case csv(nodes: URL, edges: URL)
        /// A file written by ``save(to:)``.
        case saved(URL)
        /// The bundled SYNTHETIC Suginami-scale network: the size and shape of the ward's
        /// streets, not them.
        case bundledSynthetic
    }

    /// Reads a network.
    /// - Throws: `InputFileError` naming the file, the line where there is one, and why.
    public static func load(_ source: Source) throws(InputFileError) -> RoadNetwork {
        do {
            switch source {
            case .saved(let url):
                return try RoadNetworkFile.read(url)
            case .csv(let nodes, let edges):
                let graph = try RoadNetworkCSV.read(nodes: nodes, edges: edges)
                return RoadNetwork(
                    graph: graph, note: "CSV network \(nodes.lastPathComponent), \(edges.lastPathComponent)")
            case .openStreetMap(let url, let profile):
                let (graph, report) =
                    url.lastPathComponent.hasSuffix(".pbf")
                    ? try OSMPBFReader.read(url, profile: profile) : try OSMXMLReader.read(url, profile: profile)
                return RoadNetwork(
                    graph: graph,
                    note: "OpenStreetMap \(url.lastPathComponent) (\(profile.rawValue); "
                        + "\(report.missingNodeReferences) missing node references dropped); "
                        + "© OpenStreetMap contributors, ODbL")
            case .bundledSynthetic:
                return RoadNetwork(
                    graph: try RoadNetworkCSV.bundledSyntheticSuginami(),
                    note: "SYNTHETIC Suginami-scale network: not the ward's real streets", isSynthetic: true)
            }
        } catch let error as RoadNetworkFileError {
            throw error.inputFileError
        } catch let error as RoadNetworkError {
            throw error.inputFileError
        } catch {
            throw InputFileError(file: "\(source)", location: .file, reason: "\(error)")
        }
    }

    /// Reads a network from an async context: the same as the synchronous `load(_:)`, run on
    /// a thread of its own so that a large file (seconds for a city's OpenStreetMap extract)
    /// does not hold a thread of Swift's cooperative pool.
    /// - Throws: `InputFileError`, as the synchronous `load(_:)` does.
    public static func load(_ source: Source) async throws(InputFileError) -> RoadNetwork {
        try await runOffCooperativePool { () throws(InputFileError) -> RoadNetwork in try load(source) }
    }

    /// Writes the network (graph, hierarchy, snapping index, plain customization and note) to
    /// `url` in the compact binary form
    /// (``Source/saved(_:)`` reads it back), atomically.
    /// - Throws: `InputFileError` when the file cannot be written.
    public func save(to url: URL) throws(InputFileError) {
        do {
            try RoadNetworkFile.write(self, to: url)
        } catch {
            throw error.inputFileError
        }
    }
}

extension RoadNetworkFileError {
    /// The same problem in the SDK's one input-error shape.
    public var inputFileError: InputFileError {
        switch self {
        case .unreadable(let path, let reason): InputFileError(file: path, location: .file, reason: reason)
        case .damaged(let path, let reason):
            InputFileError(file: path, location: .file, reason: "not a usable network file: \(reason)")
        }
    }
}

extension RoadNetworkError {
    /// The same problem in the SDK's one input-error shape.
    public var inputFileError: InputFileError {
        InputFileError(file: file, location: line > 0 ? .line(line) : .file, reason: reason)
    }
}
