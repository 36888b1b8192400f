import Foundation
import SuginamiGIS

/// The hazard map as files that need no server (`refd export-site`): the daemon's page,
/// Leaflet, every collection as GeoJSON, the hazard layers as pre-rendered PNG tiles, and the
/// shelter tree's next hops so that the page still routes to the nearest open relief centre.
///
/// It works from any static web server, a CDN, and a USB stick opened with `file://`: a browser
/// refuses `fetch` on `file://`, so the page reads its data from scripts (`data/*.js`, which
/// hold the same GeoJSON as `data/*.geojson`) rather than by request. Every path is relative.
///
/// ```
/// index.html                 the page (the daemon's, unchanged)
/// map/map.js, map/map.css    its script and style
/// map/site.js                what this copy holds (the daemon serves an empty one)
/// vendor/leaflet/…           Leaflet from Debian's libjs-leaflet
/// data/{collection}.geojson  each collection (RFC 7946, CRS84), for any client
/// data/{collection}.js       the same, for the page
/// data/routes.js             the shelter tree (``OfflineRoutes``)
/// tiles/{collection}/{property}/{z}/{x}/{y}.png   the hazard layers (tiles with nothing are left out)
/// README.txt                 what the copy is, when it was made, where the data come from
/// ```
public struct StaticSite: Sendable {
    /// One file of the site, by its path below the site's folder.
    public struct File: Sendable {
        /// The relative path (`data/towns.geojson`).
        public let path: String
        /// Its contents.
        public let bytes: [UInt8]
    }

    /// A long phase of building the site, for progress displays.
    public enum Phase: String, Sendable {
        /// Encoding the collections and the shelter tree.
        case data = "writing the collections and the shelter tree"
        /// Drawing the hazard tiles (counted).
        case tiles = "drawing the hazard tiles"
    }

    /// The output kind the site's folder is marked with (see `OutputDirectory`).
    public static let outputKind = "static-site"
    /// The zooms drawn by default: the whole ward (10) to a street block (16).
    public static let defaultZooms = 10...16

    let catalogue: FeatureCatalogue
    let routing: ReliefCentreRouting.Snapshot
    let map: MapFiles
    let zooms: ClosedRange<Int>
    let exportedAt: Date

    /// A site of `catalogue` routing on `routing`, with Leaflet from `leafletDirectory`.
    /// - Throws: ``StaticSiteError`` when Leaflet or the page cannot be read, or a zoom is
    ///   outside 0–18.
    public init(
        catalogue: FeatureCatalogue, routing: ReliefCentreRouting.Snapshot,
        leafletDirectory: String = "/usr/share/javascript/leaflet", zooms: ClosedRange<Int> = defaultZooms,
        exportedAt: Date = Date()
    ) throws(StaticSiteError) {
        guard TilesEndpoints.zooms.contains(zooms.lowerBound), TilesEndpoints.zooms.contains(zooms.upperBound) else {
            throw .zooms(zooms)
        }
        let map = MapFiles.load(leafletDirectory: leafletDirectory)
        if let problem = map.leafletProblem { throw .leaflet(problem) }
        guard map.page != nil else { throw .page }
        self.catalogue = catalogue
        self.routing = routing
        self.map = map
        self.zooms = zooms
        self.exportedAt = Date(timeIntervalSince1970: exportedAt.timeIntervalSince1970.rounded(.down))
    }

    /// The tiles a layer is drawn on: those over its collection's extent at every zoom.
    func tiles(of layer: HazardRaster) -> [MapTile] {
        guard let box = catalogue.collection(id: layer.collection)?.extent else { return [] }
        return zooms.flatMap { zoom -> [MapTile] in
            guard
                let northWest = try? MapTile(
                    containing: GeoPoint(latitude: box.maxLatitude, longitude: box.minLongitude), zoom: zoom),
                let southEast = try? MapTile(
                    containing: GeoPoint(latitude: box.minLatitude, longitude: box.maxLongitude), zoom: zoom)
            else { return [] }
            return (northWest.x...southEast.x).flatMap { x in
                (northWest.y...southEast.y).compactMap { y in try? MapTile(z: zoom, x: x, y: y) }
            }
        }
    }

    /// Every file of the site.
    /// - Parameter progress: told of each phase, and of tiles drawn out of the total.
    /// - Throws: ``StaticSiteError`` when a tile cannot be encoded.
    public func files(progress: (Phase, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) throws(StaticSiteError)
        -> [File]
    {
        progress(.data, 0, 1)
        var files: [File] = []
        for (path, file) in map.files.sorted(by: { $0.key < $1.key }) {
            // The page sits at the top, as `/` is the daemon's page.
            let relative = path == "/map/index.html" ? "index.html" : String(path.dropFirst())
            guard relative != "map/site.js" else { continue }
            files.append(File(path: relative, bytes: file.bytes))
        }
        var collections: [(key: String, value: JSONValue)] = []
        for collection in catalogue.collections {
            let document = GeoJSON.featureCollection(
                collection.features.map(\.feature), extraMembers: [("name", .string(collection.id))]
            ).serialized()
            files.append(File(path: "data/\(collection.id).geojson", bytes: Array(document.utf8)))
            files.append(File(path: "data/\(collection.id).js", bytes: Self.script("data", collection.id, document)))
            collections.append(
                (
                    collection.id,
                    .object([
                        ("title", .string(collection.title)), ("description", .string(collection.description)),
                        ("attribution", collection.attribution.map(JSONValue.string) ?? .null),
                        ("script", .string("data/\(collection.id).js")),
                        ("geojson", .string("data/\(collection.id).geojson")),
                    ])
                ))
        }
        let routes = OfflineRoutes(snapshot: routing, exportedAt: exportedAt)
        files.append(File(path: "data/routes.js", bytes: Self.script("data", "routes", routes.document.serialized())))

        let layers = HazardRaster.layers(of: catalogue)
        let plan = layers.map { ($0, tiles(of: $0)) }
        let total = plan.reduce(0) { $0 + $1.1.count }
        var done = 0
        var tileLayers: [JSONValue] = []
        for (layer, tiles) in plan {
            let folder = "tiles/\(layer.collection)/\(layer.property)"
            var drawn = 0
            for tile in tiles {
                let png: Data?
                do { png = try layer.png(tile) } catch { throw .tile("\(folder)/\(tile): \(error)") }
                if let png {
                    files.append(File(path: "\(folder)/\(tile.z)/\(tile.x)/\(tile.y).png", bytes: Array(png)))
                    drawn += 1
                }
                done += 1
                if done % 50 == 0 || done == total { progress(.tiles, done, total) }
            }
            tileLayers.append(
                .object([
                    ("collection", .string(layer.collection)), ("property", .string(layer.property)),
                    ("template", .string(folder + "/{z}/{x}/{y}.png")), ("minzoom", .number(Double(zooms.lowerBound))),
                    ("maxzoom", .number(Double(zooms.upperBound))), ("tiles", .number(Double(drawn))),
                    ("domain", .array([.number(0), .number(layer.top)])),
                ]))
        }
        let manifest = JSONValue.object([
            ("exported_at", .string(exportedAt.formatted(.iso8601))),
            ("collections", .object(collections)),
            ("routes", .string("data/routes.js")),
            ("junctions", .number(Double(routes.junctions))),
            ("tiles", .array(tileLayers)),
            // Filled by the data scripts as the page loads them.
            ("data", .object([])),
        ])
        files.append(
            File(
                path: "map/site.js",
                bytes: Array(
                    ("// What this offline copy holds (refd export-site); the page reads it instead of the daemon's API.\n"
                        + "window.SUGINAMI_SITE = \(manifest.serialized(pretty: true));\n").utf8)))
        files.append(File(path: "README.txt", bytes: Array(readme(routes: routes, tileLayers: plan.count).utf8)))
        return files
    }

    /// A data file the page loads with a `<script>` element (the only way it can read a file
    /// from `file://`): it stores the document under `SUGINAMI_SITE.data[name]`.
    static func script(_ member: String, _ name: String, _ json: String) -> [UInt8] {
        Array("window.SUGINAMI_SITE.\(member)[\"\(name)\"] = \(json);\n".utf8)
    }

    private func readme(routes: OfflineRoutes, tileLayers: Int) -> String {
        var text = """
            Suginami relief-centre and hazard map: an offline copy
            ========================================================

            Made by `refd export-site` (SuginamiKit) at \(exportedAt.formatted(.iso8601)).
            Open index.html in a browser: from this folder (file://), a USB stick, any static web
            server or a CDN. It needs no server and nothing from the internet.

            The relief centres' states (open, full, closed) and the closed roads are those known
            at that time; reports made since are not in this copy. A tap on the map gives the way
            from the nearest road junction to the nearest relief centre that was open then.

            data/*.geojson   every collection (RFC 7946, longitude,latitude, CRS84)
            data/*.js        the same documents, for the page
            data/routes.js   the shelter tree: \(routes.junctions) junctions with their next hop
            tiles/           \(tileLayers) hazard layers as PNG tiles, tiles/{collection}/{property}/{z}/{x}/{y}.png
                             (Web Mercator, XYZ; zooms \(zooms.lowerBound)–\(zooms.upperBound); no file where a tile is empty)

            Sources (出典)
            --------------

            """
        for collection in catalogue.collections {
            text += "\(collection.id): \(collection.title). \(collection.description)"
            if let attribution = collection.attribution { text += " Source: \(attribution)" }
            text += "\n"
        }
        text += "Road network: \(routing.network.note)\n"
        return text
    }
}

/// Why a static site cannot be made.
public enum StaticSiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Leaflet's files are missing.
    case leaflet(String)
    /// The page is missing from the module's resources.
    case page
    /// Zooms outside those tiles are made for.
    case zooms(ClosedRange<Int>)
    /// A tile could not be encoded.
    case tile(String)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case .leaflet(let problem): problem
        case .page: "the web map's page is not installed with SuginamiServer's resources"
        case .zooms(let zooms):
            "zooms \(zooms.lowerBound)–\(zooms.upperBound) are outside \(TilesEndpoints.zooms.lowerBound)–\(TilesEndpoints.zooms.upperBound)"
        case .tile(let problem): "cannot draw a tile: \(problem)"
        }
    }
}
