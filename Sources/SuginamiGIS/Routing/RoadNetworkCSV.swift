import Foundation
import SuginamiKit

/// Reads node/edge CSV lists (`id,lon,lat` and `u,v,length_m[,highway]`; gzip or plain), every
/// edge walkable both ways: the synthetic networks and the peer script's junction graphs.
public enum RoadNetworkCSV {
    /// The bundled SYNTHETIC Suginami-scale network (not the ward's real streets).
    public static func bundledSyntheticSuginami() throws(RoadNetworkError) -> RoadGraph {
        guard
            let nodes = Bundle.suginamiGIS?.url(
                forResource: "suginami_synth_v1_nodes.csv", withExtension: "gz", subdirectory: "Resources/roads"),
            let edges = Bundle.suginamiGIS?.url(
                forResource: "suginami_synth_v1_edges.csv", withExtension: "gz", subdirectory: "Resources/roads")
        else { throw RoadNetworkError(file: "suginami_synth_v1", line: 0, reason: "bundled resource is missing") }
        return try read(nodes: nodes, edges: edges)
    }

    /// Reads a network; node ids must be 0..n−1 in order, as the synthetic files have them.
    /// - Throws: ``RoadNetworkError`` naming the file, line and field.
    public static func read(nodes nodesURL: URL, edges edgesURL: URL) throws(RoadNetworkError) -> RoadGraph {
        let nodeLines = try lines(of: nodesURL)
        guard nodeLines.first == "id,lon,lat" else {
            throw RoadNetworkError(file: nodesURL.lastPathComponent, line: 1, reason: "header must be id,lon,lat")
        }
        var ids: [Int64] = []
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        for (offset, line) in nodeLines.dropFirst().enumerated() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let lineNumber = offset + 2
            guard fields.count == 3, let id = Int64(fields[0]), let lon = Double(fields[1]), let lat = Double(fields[2])
            else {
                throw RoadNetworkError(
                    file: nodesURL.lastPathComponent, line: lineNumber, reason: "expected id,lon,lat numbers")
            }
            guard id == Int64(ids.count) else {
                throw RoadNetworkError(
                    file: nodesURL.lastPathComponent, line: lineNumber,
                    reason: "node ids must be 0, 1, 2… in order; got \(id)")
            }
            guard (try? GeoPoint(latitude: lat, longitude: lon)) != nil else {
                throw RoadNetworkError(
                    file: nodesURL.lastPathComponent, line: lineNumber,
                    reason: "position \(lon), \(lat) is not a valid longitude, latitude")
            }
            ids.append(id)
            latitudes.append(lat)
            longitudes.append(lon)
        }
        let edgeLines = try lines(of: edgesURL)
        guard let header = edgeLines.first, header == "u,v,length_m,highway" || header == "u,v,length_m" else {
            throw RoadNetworkError(
                file: edgesURL.lastPathComponent, line: 1, reason: "header must be u,v,length_m[,highway]")
        }
        let columns = header.split(separator: ",").count
        var edges: [RoadGraph.Edge] = []
        edges.reserveCapacity(edgeLines.count)
        for (offset, line) in edgeLines.dropFirst().enumerated() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let lineNumber = offset + 2
            guard fields.count == columns, let u = Int32(fields[0]), let v = Int32(fields[1]),
                let length = Double(fields[2])
            else {
                throw RoadNetworkError(file: edgesURL.lastPathComponent, line: lineNumber, reason: "expected \(header)")
            }
            guard Int(u) < ids.count, Int(v) < ids.count, u >= 0, v >= 0 else {
                throw RoadNetworkError(
                    file: edgesURL.lastPathComponent, line: lineNumber,
                    reason: "edge \(u)–\(v) references a missing node")
            }
            guard length.isFinite, length >= 0 else {
                throw RoadNetworkError(
                    file: edgesURL.lastPathComponent, line: lineNumber,
                    reason: "length \(fields[2]) must be a finite, non-negative number")
            }
            edges.append(
                RoadGraph.Edge(
                    from: u, to: v, length: length, twoWay: true, way: Int64(offset + 1),
                    isSteps: columns == 4 && fields[3] == "steps"))
        }
        do {
            return try RoadGraph(nodeIDs: ids, latitudes: latitudes, longitudes: longitudes, edges: edges)
        } catch {
            throw RoadNetworkError(file: edgesURL.lastPathComponent, line: 0, reason: error.description)
        }
    }

    static func lines(of url: URL) throws(RoadNetworkError) -> [Substring] {
        guard var data = try? Data(contentsOf: url) else {
            throw RoadNetworkError(file: url.lastPathComponent, line: 0, reason: "cannot read the file")
        }
        if data.starts(with: [0x1f, 0x8b]) {
            do {
                data = try Gzip.decompress(data)
            } catch {
                throw RoadNetworkError(file: url.lastPathComponent, line: 0, reason: error.description)
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RoadNetworkError(file: url.lastPathComponent, line: 0, reason: "not UTF-8 text")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
    }
}

/// A problem in a road-network file.
public struct RoadNetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The line (0 for the file as a whole).
    public var line: Int
    /// Why.
    public var reason: String

    /// `file:line: reason`.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}
