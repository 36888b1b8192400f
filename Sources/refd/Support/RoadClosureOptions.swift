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
    static func closedEdges(closures: String?, noGo: String?, in graph: RoadGraph) throws -> Set<Int32> {
        var closed = try closures.map { try RoadNetworkInputs.closures(URL(fileURLWithPath: $0), in: graph) } ?? []
        if let noGo {
            closed.formUnion(
                HazardAreas.closedEdges(in: graph, areas: try RoadNetworkInputs.noGoAreas(URL(fileURLWithPath: noGo))))
        }
        return closed
    }
}
