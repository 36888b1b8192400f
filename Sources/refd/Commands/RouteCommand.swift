import ArgumentParser
import Foundation
import SuginamiGIS
import SuginamiKit

/// `refd route`: a route to the nearest open relief centre, or between two points.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Route to the nearest open relief centre (震災救援所), or between two points.",
        discussion: """
            The default network is the bundled SYNTHETIC Suginami-scale network: it has the size and \
            shape of the ward's streets but is not them, and every answer says so. Give a real one with \
            --osm FILE (OpenStreetMap XML, or PBF when the name ends in .pbf). Relief centres and their status come from --database; \
            centres without a status report count as open unless --unreported closed.
            refd route --from 139.6366,35.6995                    nearest open relief centre
            refd route --from 139.6366,35.6995 --to 139.65,35.70 --format geojson
            refd route --tree-csv tree.csv                         distance to the nearest centre, every node
            refd route --osm area.osm.pbf --save-network area.sgknet --tree-csv tree.csv
            refd route --network area.sgknet --from 139.6366,35.6995
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Origin as longitude,latitude.")
    var from: LonLatArgument?

    @Option(help: "Destination as longitude,latitude (default: the nearest open relief centre).")
    var to: LonLatArgument?

    @Option(help: "An OpenStreetMap XML or .osm.pbf file (default: the bundled synthetic network).")
    var osm: String?

    @Option(
        help: ArgumentHelp(
            "A compact network file written by --save-network (graph and hierarchy; starts in milliseconds).",
            valueName: "file"))
    var network: String?

    @Option(
        help: ArgumentHelp(
            "Write the network read (with its hierarchy and source note) to this compact binary file.",
            valueName: "file"))
    var saveNetwork: String?

    @Option(
        help: ArgumentHelp(
            "A network as the CSV node and edge lists of the synthetic data (gzip allowed): NODES,EDGES.",
            valueName: "nodes,edges"))
    var csvNetwork: String?

    @Option(
        help: ArgumentHelp(
            "Route to these network nodes instead of the open relief centres: a CSV with a node_id column.",
            discussion: "For comparing the tree with other tools on the same shelters; --room does not apply.",
            valueName: "file"))
    var shelterNodes: String?

    @Option(help: "Travel profile for --osm: walking or driving.")
    var profile: TravelProfile = .walking

    @Option(help: "Closed roads: a CSV with a header edge_index (0-based edge numbers) or way_id (OSM ways).")
    var closures: String?

    @Option(
        name: .customLong("no-go"),
        help: "No-go areas: a GeoJSON FeatureCollection of Polygon/MultiPolygon features (e.g. a fire footprint).")
    var noGo: String?

    @Option(
        help: ArgumentHelp(
            "Penalty areas: a GeoJSON FeatureCollection of polygons, each with a numeric property factor ≥ 1.",
            discussion: "Roads they touch count factor times their length: avoided where a detour is short enough."))
    var penalty: String?

    @Option(help: "Centres with no status report count as open or closed.")
    var unreported: UnreportedPolicy = .open

    @Option(
        help:
            "Walking speed in m/s for the time estimate (a parameter: 1.0 by default, slower for elderly people or wheelchairs)."
    )
    var speed = 1.0

    @Option(help: "Output: json or geojson.")
    var format: RouteFormat = .json

    @Option(help: "Language of the instructions: ja, en, zh-Hans, ko or ja-easy (やさしい日本語).")
    var lang: RouteLanguage = .japanese

    @Option(
        help: ArgumentHelp(
            "Only centres with room for this many more people: capacity minus the last reported occupancy.",
            discussion: "Centres without a known capacity are left out when this is given."))
    var room: Int?

    @Option(help: "Also write the whole shelter tree (node_id,distance_m) to this CSV file.")
    var treeCsv: String?

    @Flag(
        help: """
            Assign every town's population (bundled census data) to open centres within their             capacities, least total walking; print the assignment as JSON.
            """)
    var assign = false

    enum UnreportedPolicy: String, ExpressibleByArgument, CaseIterable { case open, closed }
    enum RouteFormat: String, ExpressibleByArgument, CaseIterable { case json, geojson }

    func validate() throws {
        guard speed.isFinite, speed > 0, speed < 50 else {
            throw ValidationError("--speed must be between 0 and 50 m/s")
        }
        guard from != nil || treeCsv != nil || assign || saveNetwork != nil else {
            throw ValidationError("give --from, --tree-csv, --assign or --save-network")
        }
        if [network, osm, csvNetwork].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --network, --osm and --csv-network")
        }
        if let csvNetwork, csvNetwork.split(separator: ",").count != 2 {
            throw ValidationError("--csv-network takes NODES,EDGES (two file names), got \"\(csvNetwork)\"")
        }
        if shelterNodes != nil && (room != nil || assign) {
            throw ValidationError(
                "--shelter-nodes replaces the relief centres, so it cannot go with --room or --assign")
        }
        if to != nil && from == nil { throw ValidationError("--to needs --from") }
        if let room, room < 1 { throw ValidationError("--room must be at least 1, got \(room)") }
        if room != nil && to != nil { throw ValidationError("--room chooses a centre, so it cannot go with --to") }
    }

    func run() async throws {
        let graph: RoadGraph
        var hierarchy: RoadHierarchy?
        let networkNote: String
        do {
            if let network {
                let read = try RoadNetworkFile.read(URL(fileURLWithPath: network))
                (graph, hierarchy, networkNote) = (read.graph, read.hierarchy, read.note)
            } else if let csvNetwork {
                let files = csvNetwork.split(separator: ",").map { URL(fileURLWithPath: String($0)) }
                graph = try RoadNetworkCSV.read(nodes: files[0], edges: files[1])
                networkNote = "CSV network \(files[0].lastPathComponent), \(files[1].lastPathComponent)"
            } else if let osm {
                let url = URL(fileURLWithPath: osm)
                let (read, report) =
                    osm.hasSuffix(".pbf")
                    ? try OSMPBFReader.read(url, profile: profile) : try OSMXMLReader.read(url, profile: profile)
                graph = read
                networkNote =
                    "OpenStreetMap \(URL(fileURLWithPath: osm).lastPathComponent) (\(profile.rawValue); "
                    + "\(report.missingNodeReferences) missing node references dropped); © OpenStreetMap contributors, ODbL"
            } else {
                graph = try RoadNetworkCSV.bundledSyntheticSuginami()
                networkNote = "SYNTHETIC Suginami-scale network: not the ward's real streets"
            }
        } catch let error as RoadNetworkFileError {
            throw InputError(error.description)
        } catch let error as RoadNetworkError {
            throw InputError(error.description)
        }
        if hierarchy == nil { hierarchy = RoadHierarchy(graph: graph) }
        if let saveNetwork {
            do {
                try RoadNetworkFile.write(
                    graph: graph, hierarchy: hierarchy!, note: networkNote, to: URL(fileURLWithPath: saveNetwork))
            } catch {
                throw InputError(error.description)
            }
            if from == nil && treeCsv == nil && !assign { return }
        }
        var closed = try closures.map { try readClosures($0, graph: graph) } ?? []
        if let noGo {
            guard let data = FileManager.default.contents(atPath: noGo) else {
                throw InputError("\(noGo): cannot read the file")
            }
            var areas: [GeoMultiPolygon] = []
            do {
                for feature in try GeoJSON.features(in: data, file: noGo) {
                    do {
                        areas.append(try GeoJSON.multiPolygon(feature.geometry))
                    } catch {
                        throw InputError("\(noGo): feature \(feature.index): geometry: \(error.reason)")
                    }
                }
            } catch let error as InputFileError {
                throw InputError(error.description)
            }
            closed.formUnion(HazardAreas.closedEdges(in: graph, areas: areas))
        }
        var penalties: EdgePenalties?
        if let penalty {
            guard let data = FileManager.default.contents(atPath: penalty) else {
                throw InputError("\(penalty): cannot read the file")
            }
            var areas: [(area: GeoMultiPolygon, factor: Double)] = []
            do {
                for feature in try GeoJSON.features(in: data, file: penalty) {
                    guard case .number(let factor)? = feature.properties["factor"], factor.isFinite, factor >= 1 else {
                        throw InputError("\(penalty): feature \(feature.index): properties.factor must be a number ≥ 1")
                    }
                    do {
                        areas.append((try GeoJSON.multiPolygon(feature.geometry), factor))
                    } catch {
                        throw InputError("\(penalty): feature \(feature.index): geometry: \(error.reason)")
                    }
                }
            } catch let error as InputFileError {
                throw InputError(error.description)
            }
            do {
                penalties = try EdgePenalties(graph: graph, areas: areas)
            } catch {
                throw InputError("\(penalty): \(error)")
            }
        }
        let metric: RoadMetric
        do {
            metric = try RoadMetric(graph: graph, closedEdges: closed, penalties: penalties)
        } catch {
            throw InputError(error.description)
        }
        let router = Router(graph: graph, hierarchy: hierarchy, metric: metric)
        if let from, let to {
            let route: Route
            do {
                route = try router.route(from: from.point, to: to.point)
            } catch {
                throw InputError(error.description)
            }
            try output(
                route, destination: ["longitude": to.point.longitude, "latitude": to.point.latitude], note: networkNote)
            return
        }
        if let shelterNodes {
            let nodes = try readShelterNodes(shelterNodes, graph: graph)
            let tree = try shelterTree(router, shelters: nodes)
            if let treeCsv { try writeTree(tree, graph: graph, to: treeCsv) }
            guard let from else { return }
            let route: Route
            do {
                route = try router.routeToShelter(from: from.point, tree: tree)
            } catch {
                throw InputError(error.description)
            }
            try output(route, destination: ["node_id": graph.nodeIDs[route.nodes.last ?? 0]], note: networkNote)
            return
        }
        // Shelters: open relief centres from the store, snapped to the nearest network node.
        let database = try store.openExisting()
        let centres = try await database.facilities(kinds: [.reliefCentre])
        let statuses = try await database.currentStatuses()
        var open = centres.filter { centre in
            guard let status = statuses[centre.id] else { return unreported == .open }
            return status.state == .open
        }
        guard !open.isEmpty else { throw InputError("no open relief centre in \(store.database)") }
        if let room {
            open = open.filter { centre in
                guard let capacity = centre.capacity else { return false }
                return capacity - (statuses[centre.id]?.occupancy ?? 0) >= room
            }
            guard !open.isEmpty else {
                throw InputError("no open relief centre in \(store.database) has room for \(room) more people")
            }
        }
        var shelterNodes: [Int] = []
        var centreAtNode: [Int: Facility] = [:]
        for centre in open {
            guard let node = router.locator.nearestNode(to: centre.position) else { continue }
            shelterNodes.append(node)
            centreAtNode[node] = centreAtNode[node] ?? centre
        }
        guard !shelterNodes.isEmpty else { throw InputError("no open relief centre lies on the network") }
        let tree = try shelterTree(router, shelters: shelterNodes)
        if let treeCsv { try writeTree(tree, graph: graph, to: treeCsv) }
        if assign { try await printAssignment(database: database, router: router, centres: open) }
        guard let from else { return }
        let route: Route
        do {
            route = try router.routeToShelter(from: from.point, tree: tree)
        } catch {
            throw InputError(error.description)
        }
        let centre = route.nodes.last.flatMap { centreAtNode[$0] }
        try output(
            route,
            destination: [
                "facility_id": centre?.id ?? "", "name": centre?.name ?? "",
                "longitude": centre?.position.longitude ?? 0, "latitude": centre?.position.latitude ?? 0,
            ], note: networkNote)
    }

    /// Each town's population at one point (the mean of its boundary vertices, snapped to the
    /// network) assigned to open centres within their capacities.
    func printAssignment(database: SuginamiStore, router: Router, centres: [Facility]) async throws {
        func node(_ point: GeoPoint) -> Int? { router.locator.nearestNode(to: point) }
        var demands: [ShelterAssignment.Demand] = []
        var offNetwork: [String] = []
        for town in try await database.towns() {
            let vertices = town.boundary.polygons.flatMap(\.exterior)
            guard !vertices.isEmpty else { continue }
            let latitude = vertices.map(\.latitude).reduce(0, +) / Double(vertices.count)
            let longitude = vertices.map(\.longitude).reduce(0, +) / Double(vertices.count)
            guard let point = try? GeoPoint(latitude: latitude, longitude: longitude), let at = node(point) else {
                offNetwork.append(town.code)
                continue
            }
            demands.append(ShelterAssignment.Demand(id: town.code, node: at, people: town.population.total))
        }
        let shelters = centres.compactMap { centre -> ShelterAssignment.Shelter? in
            guard let capacity = centre.capacity, let at = node(centre.position) else { return nil }
            return ShelterAssignment.Shelter(id: centre.id, node: at, capacity: capacity)
        }
        let result: ShelterAssignment.Result
        do {
            result = try ShelterAssignment.solve(demands: demands, shelters: shelters, router: router)
        } catch {
            throw InputError(error.description)
        }
        var load: [String: Int] = [:]
        for flow in result.flows { load[flow.shelter, default: 0] += flow.people }
        let object: [String: Any] = [
            "people": demands.reduce(0) { $0 + $1.people },
            "placed": result.flows.reduce(0) { $0 + $1.people },
            "unplaced_by_town": result.unplaced,
            "towns_off_network": offNetwork,
            "person_km": (result.personMetres / 100).rounded() / 10,
            "optimal": result.verifiedOptimal,
            "centres_used": load.count, "centres_with_capacity": shelters.count,
            "flows": result.flows.map {
                [
                    "town": $0.demand, "centre": $0.shelter, "people": $0.people,
                    "distance_m": ($0.distance * 10).rounded() / 10,
                ]
            },
            "assumption":
                "each town's population placed at the mean of its boundary vertices; centres without a capacity are left out"
                + (penalty == nil
                    ? ""
                    : "; with --penalty, distance_m and person_km are weighted (metres × factor), not plain metres")
                ,
        ]
        print(
            String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]),
                as: UTF8.self))
    }

    func output(_ route: Route, destination: [String: Any], note: String) throws {
        let name = (destination["name"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "the destination"
        let properties: [String: Any] = [
            "destination": destination, "walking_time_s": (route.walkingTime(speed: speed) * 10).rounded() / 10,
            "speed_m_s": speed, "network": note, "language": lang.rawValue,
            "instructions": RouteInstructions(route: route, destination: name).sentences(lang),
        ]
        let feature = try route.geoJSON(properties: properties)
        if format == .geojson {
            print(String(decoding: feature, as: UTF8.self))
            return
        }
        var object = properties
        object["length_m"] = (route.length * 10).rounded() / 10
        object["access_m"] = (route.accessDistance * 10).rounded() / 10
        if penalty != nil { object["cost_m"] = (route.cost * 10).rounded() / 10 }
        object["streets"] = route.streets
        object["geometry"] = (try JSONSerialization.jsonObject(with: feature) as? [String: Any])?["geometry"]
        print(
            String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]),
                as: UTF8.self))
    }

    /// The tree as `node_id,distance_m` (metres, `inf` where no shelter is reachable).
    func writeTree(_ tree: ShelterTree, graph: RoadGraph, to path: String) throws {
        var text = "node_id,distance_m\n"
        for node in 0..<graph.nodeCount {
            text += "\(graph.nodeIDs[node]),\(tree.distances[node].isFinite ? String(tree.distances[node]) : "inf")\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Shelter nodes from a CSV with a `node_id` column (network node ids).
    func readShelterNodes(_ path: String, graph: RoadGraph) throws -> [Int] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError("\(path): cannot read the file")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }),
            let column = header.firstIndex(of: "node_id")
        else {
            throw InputError("\(path):1: no node_id column in the header")
        }
        var index: [Int64: Int] = [:]
        for node in 0..<graph.nodeCount { index[graph.nodeIDs[node]] = node }
        var nodes: [Int] = []
        for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let field = column < fields.count ? String(fields[column]).trimmingCharacters(in: .whitespaces) : ""
            guard let id = Int64(field), let node = index[id] else {
                throw InputError("\(path):\(offset + 2): node_id \"\(field)\" is not a node of the network")
            }
            nodes.append(node)
        }
        guard !nodes.isEmpty else { throw InputError("\(path): no shelter nodes") }
        return nodes
    }

    /// The shelter tree, with a node the network lacks reported as bad input.
    func shelterTree(_ router: Router, shelters: [Int]) throws -> ShelterTree {
        do {
            return try router.shelterTree(shelters: shelters)
        } catch {
            throw InputError(error.description)
        }
    }

    func readClosures(_ path: String, graph: RoadGraph) throws -> Set<Int32> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError("\(path): cannot read the file")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let header = lines.first?.split(separator: ",").first.map(String.init),
            ["edge_index", "way_id"].contains(header)
        else {
            throw InputError("\(path):1: the first column must be edge_index or way_id")
        }
        var closed = Set<Int32>()
        var edgesOfWay: [Int64: [Int32]] = [:]
        if header == "way_id" {
            for edge in 0..<graph.edgeCount { edgesOfWay[graph.edgeWays[edge], default: []].append(Int32(edge)) }
        }
        for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let field = String(line.split(separator: ",").first ?? "")
            if header == "edge_index" {
                guard let edge = Int32(field), edge >= 0, Int(edge) < graph.edgeCount else {
                    throw InputError(
                        "\(path):\(offset + 2): edge_index \"\(field)\" is not an edge of the network (0–\(graph.edgeCount - 1))"
                    )
                }
                closed.insert(edge)
            } else {
                guard let way = Int64(field), let edges = edgesOfWay[way] else {
                    throw InputError("\(path):\(offset + 2): way_id \"\(field)\" is not a way of the network")
                }
                closed.formUnion(edges)
            }
        }
        return closed
    }
}

/// A `longitude,latitude` argument.
struct LonLatArgument: ExpressibleByArgument {
    let point: GeoPoint

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let longitude = Double(parts[0]), let latitude = Double(parts[1]),
            let point = try? GeoPoint(latitude: latitude, longitude: longitude)
        else { return nil }
        self.point = point
    }
}

extension TravelProfile: ExpressibleByArgument {}

extension RouteLanguage: ExpressibleByArgument {}
