import Foundation
import HTTPTypes
import Hummingbird
import SuginamiGIS

/// Vector tiles of every collection: Mapbox Vector Tile 2.1 on XYZ paths
/// (`/tiles/{collectionId}/{z}/{x}/{y}.mvt`, Web Mercator, y from the north) and TileJSON 3.0.0
/// (`/tiles/{collectionId}.json`). A tile is made on its first request and then served from
/// the response cache, with its ETag and gzip.
struct TilesEndpoints: Sendable {
    let live: LiveCatalogue
    /// The catalogue now (read once per use: it changes when statuses and reports do).
    var catalogue: FeatureCatalogue { live.current }
    let state: ServerState
    let cache: ResponseCache
    let cacheControl: String
    /// Every numeric property of every polygon collection, ready to draw (by collection, then
    /// property), so that a tile request only draws.
    let rasters: [String: [String: HazardRaster]]

    init(live: LiveCatalogue, state: ServerState, cache: ResponseCache, cacheControl: String) {
        self.live = live
        // The polygon layers come from the simulation run, which does not change while serving.
        let catalogue = live.current
        self.state = state
        self.cache = cache
        self.cacheControl = cacheControl
        var rasters: [String: [String: HazardRaster]] = [:]
        for collection in catalogue.collections {
            for property in HazardRaster.numericProperties(collection) {
                rasters[collection.id, default: [:]][property] = try? HazardRaster(collection, property: property)
            }
        }
        self.rasters = rasters
    }

    /// Zooms served: the ward fits a tile at 10; 18 is a building's width.
    static let zooms = 0...18
    static let mediaType = "application/vnd.mapbox-vector-tile"

    func register(on router: Hummingbird.Router<ServerContext>) {
        // One parameter name per path position: the router's trie requires it.
        router.get("/tiles/:collectionId") { request, context in
            let file = try context.parameters.require("collectionId")
            guard file.hasSuffix(".json"), let collection = catalogue.collection(id: String(file.dropLast(5))) else {
                throw APIError.notFound("\(file.prefix(100)) is not a TileJSON document; /tiles/{collectionId}.json is")
            }
            _ = try ItemsQuery.single(request.queryItems, allowed: [])
            return try respond(request, type: "application/json") { base in
                Array(Self.tileJSON(collection, base: base).serialized().utf8)
            }
        }
        router.get("/tiles/:collectionId/:z/:x/:file") { request, context in
            let id = try context.parameters.require("collectionId")
            guard let collection = catalogue.collection(id: id) else {
                throw APIError.notFound("there is no collection \(id.prefix(100)); /collections lists them")
            }
            let tile = try Self.tile(
                z: try context.parameters.require("z"), x: try context.parameters.require("x"),
                file: try context.parameters.require("file"))
            let file = try context.parameters.require("file")
            if file.hasSuffix(".png") {
                let values = try ItemsQuery.single(request.queryItems, allowed: ["v", "property"])
                return try raster(tile, of: collection, property: values["property"], request)
            }
            _ = try ItemsQuery.single(request.queryItems, allowed: ["v"])
            return try serve(tile, of: collection, request)
        }
        registerOGCTiles(on: router)
    }

    /// OGC API – Tiles over the same tiles: the tileset list and description of each
    /// collection, the tile at `{tileMatrix}/{tileRow}/{tileCol}` (row before column, as the
    /// standard orders them), and the WebMercatorQuad definition (TMS 2.0).
    private func registerOGCTiles(on router: Hummingbird.Router<ServerContext>) {
        router.get("/collections/:collectionId/tiles") { request, context in
            let collection = try self.collection(context)
            _ = try ItemsQuery.single(request.queryItems, allowed: ["f"])
            return try respond(request, type: "application/json") { base in
                Array(Self.tilesets(collection, base: base).serialized().utf8)
            }
        }
        router.get("/collections/:collectionId/tiles/:tileMatrixSetId") { request, context in
            let collection = try self.collection(context)
            try Self.checkMatrixSet(context)
            _ = try ItemsQuery.single(request.queryItems, allowed: ["f"])
            return try respond(request, type: "application/json") { base in
                Array(Self.tileset(collection, base: base).serialized().utf8)
            }
        }
        router.get("/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol") {
            request, context in
            let collection = try self.collection(context)
            try Self.checkMatrixSet(context)
            let tile = try Self.tile(
                z: try context.parameters.require("tileMatrix"), x: try context.parameters.require("tileCol"),
                file: try context.parameters.require("tileRow") + ".mvt")
            let values = try ItemsQuery.single(request.queryItems, allowed: ["f", "v"])
            if let format = values["f"], format != "mvt" {
                throw APIError.invalidParameter("f", "\(format.prefix(40)) is not offered for tiles; use f=mvt")
            }
            return try serve(tile, of: collection, request)
        }
        router.get("/tileMatrixSets/:tileMatrixSetId") { request, context in
            try Self.checkMatrixSet(context)
            return try respond(request, type: "application/json") { _ in Array(Self.webMercatorQuad.serialized().utf8) }
        }
    }

    private func collection(_ context: ServerContext) throws -> PublishedCollection {
        let id = try context.parameters.require("collectionId")
        guard let collection = catalogue.collection(id: id) else {
            throw APIError.notFound("there is no collection \(id.prefix(100)); /collections lists them")
        }
        return collection
    }

    private static func checkMatrixSet(_ context: ServerContext) throws {
        let id = try context.parameters.require("tileMatrixSetId")
        guard id == "WebMercatorQuad" else {
            throw APIError.notFound("tile matrix set \(id.prefix(60)) is not served; WebMercatorQuad is")
        }
    }

    /// A PNG of a polygon collection's numeric `property` (``HazardRaster``).
    private func raster(_ tile: MapTile, of collection: PublishedCollection, property: String?, _ request: Request)
        throws
        -> Response
    {
        let name = try HazardRaster.property(property, of: collection)
        guard let layer = rasters[collection.id]?[name] else {
            throw APIError.notFound("\(collection.id) has no raster layer \(name.prefix(60))")
        }
        let body = try respond(request, type: "image/png") { _ in Array(try layer.png(tile) ?? Data()) }
        return Self.noContentIfEmpty(body)
    }

    private func serve(_ tile: MapTile, of collection: PublishedCollection, _ request: Request) throws -> Response {
        let body = try respond(request, type: Self.mediaType) { _ in Self.encode(collection, tile: tile) ?? [] }
        return Self.noContentIfEmpty(body)
    }

    /// An empty tile inside the limits (its cached body is empty) answers 204 No Content, for
    /// vector and raster tiles alike.
    static func noContentIfEmpty(_ response: Response) -> Response {
        guard response.status == .ok, response.body.contentLength == 0 else { return response }
        var empty = Response(status: .noContent, headers: response.headers)
        empty.headers[.contentType] = nil
        empty.headers[.contentEncoding] = nil
        return empty
    }

    static let tilesetsRelation = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
    static let tilingSchemeRelation = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
    static let webMercatorQuadURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    static let webMercatorCRS = "http://www.opengis.net/def/crs/EPSG/0/3857"

    private static func link(_ href: String, _ relation: String, _ type: String) -> JSONValue {
        .object([("href", .string(href)), ("rel", .string(relation)), ("type", .string(type))])
    }

    static func tilesets(_ collection: PublishedCollection, base: String) -> JSONValue {
        let path = base + "/collections/" + collection.id + "/tiles"
        return .object([
            ("links", .array([link(path, "self", "application/json")])),
            (
                "tilesets",
                .array([
                    .object([
                        ("title", .string(collection.title)), ("dataType", .string("vector")),
                        ("crs", .string(webMercatorCRS)), ("tileMatrixSetURI", .string(webMercatorQuadURI)),
                        (
                            "links",
                            .array([
                                link(path + "/WebMercatorQuad", "self", "application/json"),
                                link(
                                    base + "/tileMatrixSets/WebMercatorQuad", tilingSchemeRelation, "application/json"),
                            ])
                        ),
                    ])
                ])
            ),
        ])
    }

    static func tileset(_ collection: PublishedCollection, base: String) -> JSONValue {
        let path = base + "/collections/" + collection.id + "/tiles/WebMercatorQuad"
        return .object([
            ("title", .string(collection.title)), ("dataType", .string("vector")), ("crs", .string(webMercatorCRS)),
            ("tileMatrixSetURI", .string(webMercatorQuadURI)),
            (
                "links",
                .array([
                    link(path, "self", "application/json"),
                    link(base + "/tileMatrixSets/WebMercatorQuad", tilingSchemeRelation, "application/json"),
                    .object([
                        // `f=mvt` in the template: GDAL's MVT driver reads a tile URL by its ending.
                        ("href", .string(path + "/{tileMatrix}/{tileRow}/{tileCol}?f=mvt")), ("rel", .string("item")),
                        ("type", .string(mediaType)), ("templated", .bool(true)),
                    ]),
                ])
            ),
            ("layers", .array([.object([("id", .string(collection.id)), ("dataType", .string("vector"))])])),
        ])
    }

    /// WebMercatorQuad as OGC 17-083r4 (TMS 2.0) defines it, for the zooms served.
    static let webMercatorQuad: JSONValue = {
        let origin = 20_037_508.342_789_2
        let matrices = zooms.map { zoom -> JSONValue in
            let count = Double(1 << zoom)
            return .object([
                ("id", .string(String(zoom))),
                ("scaleDenominator", .number(559_082_264.028_717_2 / count)),
                ("cellSize", .number(156_543.033_928_041 / count)),
                ("cornerOfOrigin", .string("topLeft")),
                ("pointOfOrigin", .array([.number(-origin), .number(origin)])),
                ("tileWidth", .number(256)), ("tileHeight", .number(256)),
                ("matrixWidth", .number(count)), ("matrixHeight", .number(count)),
            ])
        }
        return .object([
            ("id", .string("WebMercatorQuad")), ("title", .string("Google Maps Compatible for the World")),
            ("uri", .string(webMercatorQuadURI)), ("crs", .string(webMercatorCRS)),
            ("orderedAxes", .array([.string("X"), .string("Y")])), ("tileMatrices", .array(matrices)),
        ])
    }()

    /// Reads `z`, `x` and `y.mvt`, refusing numbers outside the tile matrix.
    static func tile(z: String, x: String, file: String) throws(APIError) -> MapTile {
        guard file.hasSuffix(".mvt") || file.hasSuffix(".pbf") || file.hasSuffix(".png") else {
            throw .notFound("\(file.prefix(40)) is not a tile; tiles end in .mvt (vector) or .png (raster)")
        }
        guard let zoom = Int(z), let column = Int(x), let row = Int(file.dropLast(4)) else {
            throw .invalidParameter(
                "tile", "z, x and y must be whole numbers, got \(z.prefix(20))/\(x.prefix(20))/\(file.prefix(24))")
        }
        guard zooms.contains(zoom) else {
            throw .notFound("zoom \(zoom) is not served (\(zooms.lowerBound)–\(zooms.upperBound))")
        }
        do { return try MapTile(z: zoom, x: column, y: row) } catch {
            throw .notFound(
                "tile \(zoom)/\(column)/\(row) is outside the tile matrix (0–\((1 << zoom) - 1) at zoom \(zoom))")
        }
    }

    /// The features of `collection` on `tile` (bounds within a 1/16 tile margin), or nil for none.
    static func encode(_ collection: PublishedCollection, tile: MapTile) -> [UInt8]? {
        let bounds = tile.bounds
        let marginLatitude = (bounds.maxLatitude - bounds.minLatitude) / 16
        let marginLongitude = (bounds.maxLongitude - bounds.minLongitude) / 16
        var features: [VectorTile.Feature] = []
        for (index, published) in collection.features.enumerated() {
            let box = published.bounds
            guard box.maxLatitude >= bounds.minLatitude - marginLatitude,
                box.minLatitude <= bounds.maxLatitude + marginLatitude,
                box.maxLongitude >= bounds.minLongitude - marginLongitude,
                box.minLongitude <= bounds.maxLongitude + marginLongitude
            else { continue }
            guard let geometry = published.feature["geometry"] else { continue }
            var properties: [(key: String, value: JSONValue)] = [("id", .string(published.id))]
            if case .object(let pairs)? = published.feature["properties"] {
                properties += pairs.filter { $0.key != "id" }
            }
            features.append(VectorTile.Feature(id: UInt64(index), geometry: geometry, properties: properties))
        }
        return VectorTile(tile: tile).encode(layer: collection.id, features: features)
    }

    static func tileJSON(_ collection: PublishedCollection, base: String) -> JSONValue {
        var fields: [(key: String, value: JSONValue)] = [("id", .string("String"))]
        var seen: Set<String> = ["id"]
        for feature in collection.features.prefix(200) {
            guard case .object(let pairs)? = feature.feature["properties"] else { continue }
            for (key, value) in pairs where seen.insert(key).inserted {
                let type: String =
                    switch value {
                    case .number: "Number"
                    case .bool: "Boolean"
                    default: "String"
                    }
                fields.append((key, .string(type)))
            }
        }
        var pairs: [(key: String, value: JSONValue)] = [
            ("tilejson", .string("3.0.0")),
            ("name", .string(collection.title)),
            ("tiles", .array([.string(base + "/tiles/" + collection.id + "/{z}/{x}/{y}.mvt")])),
            ("vector_layers", .array([.object([("id", .string(collection.id)), ("fields", .object(fields))])])),
            ("minzoom", .number(Double(zooms.lowerBound))),
            ("maxzoom", .number(Double(zooms.upperBound))),
        ]
        if let box = collection.extent {
            pairs.append(
                (
                    "bounds",
                    .array(
                        [box.minLongitude, box.minLatitude, box.maxLongitude, box.maxLatitude].map(JSONValue.number))
                ))
            pairs.append(
                (
                    "center",
                    .array([
                        .number((box.minLongitude + box.maxLongitude) / 2),
                        .number((box.minLatitude + box.maxLatitude) / 2), .number(13),
                    ])
                ))
        }
        if let attribution = collection.attribution { pairs.append(("attribution", .string(attribution))) }
        return .object(pairs)
    }

    private func respond(_ request: Request, type: String, make: (String) throws -> [UInt8]) throws -> Response {
        try cache.respond(to: request, base: state.base, cacheControl: cacheControl) { base in
            (try make(base), [.contentType: type])
        }
    }
}
