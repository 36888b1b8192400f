import Foundation
import SuginamiKit

/// The files that change a network for one situation: closed roads, no-go and penalty areas,
/// and fixed shelter nodes. Each is read by one entry point that throws `InputFileError`.
public enum RoadNetworkInputs {
    /// Closed roads from a CSV whose first column is `edge_index` (0-based edge numbers of
    /// `graph`) or `way_id` (OpenStreetMap ways: all their edges close).
    /// - Throws: `InputFileError` naming the row of an edge or way the network lacks.
    public static func closures(_ url: URL, in graph: RoadGraph) throws(InputFileError) -> Set<Int32> {
        let table = try CSVTable(parsing: try InputFile.text(url), file: url.path)
        guard let column = table.header.first, ["edge_index", "way_id"].contains(column) else {
            throw InputFileError(
                file: url.path, location: .line(1), reason: "the first column must be edge_index or way_id")
        }
        var closed = Set<Int32>()
        var edgesOfWay: [Int64: [Int32]] = [:]
        if column == "way_id" {
            for edge in 0..<graph.edgeCount { edgesOfWay[graph.edgeWays[edge], default: []].append(Int32(edge)) }
        }
        for (index, record) in table.records.enumerated() {
            let field = (record.first ?? "").trimmingCharacters(in: .whitespaces)
            let location = InputFileError.Location.row(index + 1, line: table.lines[index])
            if column == "edge_index" {
                guard let edge = Int32(field), edge >= 0, Int(edge) < graph.edgeCount else {
                    throw InputFileError(
                        file: url.path, location: location, field: column,
                        reason: "\"\(field)\" is not an edge of the network (0–\(graph.edgeCount - 1))")
                }
                closed.insert(edge)
            } else {
                guard let way = Int64(field), let edges = edgesOfWay[way] else {
                    throw InputFileError(
                        file: url.path, location: location, field: column,
                        reason: "\"\(field)\" is not a way of the network")
                }
                closed.formUnion(edges)
            }
        }
        return closed
    }

    /// No-go areas (a fire's footprint, a collapsed block): a GeoJSON FeatureCollection of
    /// Polygon and MultiPolygon features. ``HazardAreas/closedEdges(in:areas:)`` closes the
    /// roads they touch.
    /// - Throws: `InputFileError` naming the feature whose geometry is not a polygon.
    public static func noGoAreas(_ url: URL) throws(InputFileError) -> [GeoMultiPolygon] {
        var areas: [GeoMultiPolygon] = []
        for feature in try GeoJSON.features(in: try InputFile.data(url), file: url.path) {
            do {
                areas.append(try GeoJSON.multiPolygon(feature.geometry))
            } catch {
                throw InputFileError(
                    file: url.path, location: .feature(feature.index), field: "geometry", reason: error.reason)
            }
        }
        return areas
    }

    /// Penalty areas: a GeoJSON FeatureCollection of polygons, each with a numeric property
    /// `factor` ≥ 1; a road they touch counts `factor` times its length.
    /// - Throws: `InputFileError` naming the feature with a bad geometry or factor.
    public static func penaltyAreas(_ url: URL) throws(InputFileError) -> [(area: GeoMultiPolygon, factor: Double)] {
        var areas: [(area: GeoMultiPolygon, factor: Double)] = []
        for feature in try GeoJSON.features(in: try InputFile.data(url), file: url.path) {
            guard case .number(let factor)? = feature.properties["factor"], factor.isFinite, factor >= 1 else {
                throw InputFileError(
                    file: url.path, location: .feature(feature.index), field: "factor",
                    reason: "must be a number of at least 1")
            }
            do {
                areas.append((try GeoJSON.multiPolygon(feature.geometry), factor))
            } catch {
                throw InputFileError(
                    file: url.path, location: .feature(feature.index), field: "geometry", reason: error.reason)
            }
        }
        return areas
    }

    /// Shelter nodes given directly (to compare with other tools on the same shelters): a CSV
    /// with a `node_id` column of the network's node ids. Returns node indices.
    /// - Throws: `InputFileError` naming the row of an id the network lacks.
    public static func shelterNodes(_ url: URL, in graph: RoadGraph) throws(InputFileError) -> [Int] {
        let table = try CSVTable(parsing: try InputFile.text(url), file: url.path)
        guard let column = table.header.firstIndex(of: "node_id") else {
            throw InputFileError(file: url.path, location: .line(1), reason: "no node_id column in the header")
        }
        var index: [Int64: Int] = [:]
        for node in 0..<graph.nodeCount { index[graph.nodeIDs[node]] = node }
        var nodes: [Int] = []
        for (offset, record) in table.records.enumerated() {
            let field = column < record.count ? record[column].trimmingCharacters(in: .whitespaces) : ""
            guard let id = Int64(field), let node = index[id] else {
                throw InputFileError(
                    file: url.path, location: .row(offset + 1, line: table.lines[offset]), field: "node_id",
                    reason: "\"\(field)\" is not a node of the network")
            }
            nodes.append(node)
        }
        guard !nodes.isEmpty else { throw InputFileError(file: url.path, location: .file, reason: "no shelter nodes") }
        return nodes
    }
}
