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

    @Option(help: "Origin as longitude,latitude (e.g. 139.6366,35.6995).", transform: parsePosition)
    var from: GeoPoint?

    @Option(
        help: "Destination as longitude,latitude (default: the nearest open relief centre).", transform: parsePosition)
    var to: GeoPoint?

    @Option(help: "An OpenStreetMap XML or .osm.pbf file (default: the bundled synthetic network).")
    var osm: String?

    @Option(
        help: ArgumentHelp(
            "A compact network file written by --save-network (graph, hierarchy, snapping index and customization: a cold start reads them instead of computing them).",
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

    @Option(help: "Travel profile for --osm: walking, wheelchair (no steps, no wheelchair=no ways) or driving.")
    var profile: TravelProfile = .walking

    @OptionGroup var roads: RoadClosureOptions

    @Option(
        help: ArgumentHelp(
            "Penalty areas: a GeoJSON FeatureCollection of polygons, each with a numeric property factor ≥ 1.",
            discussion: "Roads they touch count factor times their length: avoided where a detour is short enough."))
    var penalty: String?

    @Option(help: "Centres with no status report count as open or closed.")
    var unreported: ReliefCentreRouting.UnreportedCentres = .open

    @Option(help: "Walking speed in m/s for the time estimate (a parameter: slower for elderly people or wheelchairs).")
    var speed = Route.defaultWalkingSpeed

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

    @Flag(help: "Replace a file already at --tree-csv (in one step); without it, one there is kept.")
    var replace = false

    @Flag(
        help: """
            Assign every town's population (bundled census data) to open centres within their             capacities, least total walking; print the assignment as JSON.
            """)
    var assign = false

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

    /// Where the network comes from.
    var source: RoadNetwork.Source {
        if let network { return .saved(URL(fileURLWithPath: network)) }
        if let csvNetwork {
            let files = csvNetwork.split(separator: ",").map { URL(fileURLWithPath: String($0)) }
            return .csv(nodes: files[0], edges: files[1])
        }
        if let osm { return .openStreetMap(URL(fileURLWithPath: osm), profile: profile) }
        return .bundledSynthetic
    }

    func run() async throws {
        if let treeCsv { try checkOutputFile(treeCsv, replace: replace, option: "--tree-csv") }
        let network = try await RoadNetwork.load(source)
        if let saveNetwork {
            try network.save(to: URL(fileURLWithPath: saveNetwork))
            if from == nil && treeCsv == nil && !assign { return }
        }
        let graph = network.graph
        let closed = try RoadClosureOptions.closedEdges(closures: roads.closures, noGo: roads.noGo, in: graph) {
            FileHandle.standardError.write(Data("\($0)\n".utf8))
        }
        var penalties: EdgePenalties?
        if let penalty {
            penalties = try EdgePenalties(
                graph: graph, areas: try RoadNetworkInputs.penaltyAreas(URL(fileURLWithPath: penalty)))
        }
        // Plain lengths use the network's own customization (read from a network file) as it is.
        let metric =
            closed.isEmpty && penalties == nil
            ? nil : try RoadMetric(graph: graph, closedEdges: closed, penalties: penalties)
        if let shelterNodes {
            // Fixed shelter nodes instead of the store's centres: for comparing with other tools.
            let router = network.router(metric: metric)
            let tree = try router.shelterTree(
                shelters: try RoadNetworkInputs.shelterNodes(URL(fileURLWithPath: shelterNodes), in: graph))
            if let treeCsv { try write(tree.csv(graph: graph), to: treeCsv) }
            if let from {
                let route =
                    try to.map { try router.route(from: from, to: $0) }
                    ?? router.routeToShelter(from: from, tree: tree)
                output(
                    route, to: to.map { .position($0) } ?? .node(graph.nodeIDs[route.nodes.last ?? 0]),
                    note: network.note)
            }
            return
        }
        if let from, let to {
            let route = try network.router(metric: metric).route(from: from, to: to)
            output(route, to: .position(to), note: network.note)
            return
        }
        let database = try await store.openExisting()
        let routing = try await ReliefCentreRouting(
            store: database, network: network, unreported: unreported, closedEdges: closed, penalties: penalties)
        let snapshot = await routing.snapshot
        if let treeCsv { try write(snapshot.treeCSV(), to: treeCsv) }
        if assign {
            print(
                try snapshot.assign(towns: try await database.towns()).json(weighted: penalty != nil).serialized(
                    pretty: true))
        }
        guard let from else { return }
        let way = try snapshot.routeToNearestCentre(from: from, withRoomFor: room)
        output(way.route, to: .centre(way.centre.facility), note: network.note)
    }

    func write(_ text: String, to path: String) throws {
        try Staging.writeFile(Data(text.utf8), to: URL(fileURLWithPath: path), replacing: replace)
    }

    /// Prints the answer in the chosen format.
    func output(_ route: Route, to destination: RouteAnswer.Destination, note: String) {
        let answer = RouteAnswer(
            route: route, destination: destination, networkNote: note, speed: speed, language: lang,
            weighted: penalty != nil)
        print((format == .geojson ? answer.geoJSONFeature() : answer.json()).serialized(pretty: format == .json))
    }
}

extension TravelProfile: ExpressibleByArgument {}

extension RouteLanguage: ExpressibleByArgument {}

extension ReliefCentreRouting.UnreportedCentres: ExpressibleByArgument {}
