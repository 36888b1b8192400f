import ArgumentParser
import Foundation
import SuginamiGIS

/// The closed roads and no-go areas `route`, `serve` and `export-site` route around.
struct RoadClosureOptions: ParsableArguments {
    @Option(help: "Closed roads: a CSV with a header edge_index (0-based edge numbers) or way_id (OSM ways).")
    var closures: String?

    @Option(
        name: .customLong("no-go"),
        help: "No-go areas: a GeoJSON FeatureCollection of Polygon/MultiPolygon features (e.g. a fire footprint).")
    var noGo: String?
}

extension RoadClosureOptions {
    /// The edges of `graph` closed by a closures file and the roads a no-go file's areas touch.
    /// - Parameter tell: told how many roads each no-go area closes, so that an area that closes
    ///   nothing (drawn off the network, or with its coordinates swapped) is not taken silently.
    static func closedEdges(
        closures: String?, noGo: String?, in graph: RoadGraph, tell: (String) -> Void = { _ in }
    ) throws -> Set<Int32> {
        var closed = try closures.map { try RoadNetworkInputs.closures(URL(fileURLWithPath: $0), in: graph) } ?? []
        if let noGo {
            let areas = try RoadNetworkInputs.noGoAreas(URL(fileURLWithPath: noGo))
            for (number, area) in areas.enumerated() {
                let edges = HazardAreas.closedEdges(in: graph, areas: [area])
                tell(
                    edges.isEmpty
                        ? "\(noGo): no-go area \(number + 1) closes no road: it lies off the network"
                        : "\(noGo): no-go area \(number + 1) closes \(edges.count) roads")
                closed.formUnion(edges)
            }
        }
        return closed
    }
}
