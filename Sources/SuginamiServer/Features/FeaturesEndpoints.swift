import Foundation
import HTTPTypes
import Hummingbird
import SuginamiGIS

/// The OGC API – Features routes: landing page, conformance, API description, collections,
/// items and single items, all answered from ``FeaturesDocuments`` through the response cache.
struct FeaturesEndpoints: Sendable {
    let live: LiveCatalogue
    /// The catalogue now (read once per use: it changes when statuses and reports do).
    var catalogue: FeatureCatalogue { live.current }
    let state: ServerState
    let cache: ResponseCache
    let cacheControl: String
    let map: MapFiles

    func register(on router: Hummingbird.Router<ServerContext>) {
        let metadataNames: Set<String> = ["f"]
        router.get("/") { request, _ in
            // The web map for a browser (or f=html), the landing document for everything else:
            // owslib and curl send Accept: */* and must get JSON.
            if Self.wantsHTML(request), let page = map.page {
                let headers: HTTPFields = [.contentType: page.type]
                return try self.respond(request, key: request.uri.string + "#html", html: false) { _ in
                    (page.bytes, headers)
                }
            }
            return try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.json) { $0.landing() }
        }
        router.get("/map/:file") { request, context in
            try self.file("/map/" + (try context.parameters.require("file")), request)
        }
        router.get("/vendor/leaflet/**") { request, context in
            try self.file("/vendor/leaflet/" + context.parameters.getCatchAll().joined(separator: "/"), request)
        }
        router.get("/conformance") { request, _ in
            try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.json) { $0.conformance() }
        }
        router.get("/api") { request, _ in
            try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.openAPI) { _ in
                OpenAPIDescription.document(collectionIDs: self.catalogue.collections.map(\.id))
            }
        }
        router.get("/collections") { request, _ in
            try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.json) { $0.collections() }
        }
        router.get("/collections/:collectionId") { request, context in
            let collection = try self.collection(context)
            return try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.json) {
                $0.description(of: collection)
            }
        }
        router.get("/collections/:collectionId/items") { request, context in
            let collection = try self.collection(context)
            return try self.respond(request) { documents in
                let query = try ItemsQuery(request.queryItems)
                let unpaged = request.queryItems.filter { $0.name != "limit" && $0.name != "offset" }
                    .map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
                return (
                    documents.items(of: collection, query: query, queryWithoutPaging: unpaged),
                    [.contentType: FeaturesDocuments.geoJSON, .contentCRS: "<\(query.crs.rawValue)>"]
                )
            }
        }
        router.get("/collections/:collectionId/items/:featureId") { request, context in
            let collection = try self.collection(context)
            let id = try context.parameters.require("featureId")
            return try self.respond(request) { documents in
                let values = try ItemsQuery.single(request.queryItems, allowed: ["crs", "f"])
                if let format = values["f"] { try ItemsQuery.checkFormat(format) }
                let crs =
                    try values["crs"].map { (text) throws(APIError) in try ServedCRS(parameter: text, name: "crs") }
                    ?? .crs84
                guard let feature = collection.feature(id: id) else {
                    throw APIError.notFound("\(collection.id) has no feature \(id.prefix(100))")
                }
                return (
                    documents.item(feature, of: collection, crs: crs),
                    [.contentType: FeaturesDocuments.geoJSON, .contentCRS: "<\(crs.rawValue)>"]
                )
            }
        }
    }

    private func file(_ path: String, _ request: Request) throws -> Response {
        guard let file = map.files[path] else {
            if path.hasPrefix("/vendor/leaflet/"), let problem = map.leafletProblem { throw APIError.notFound(problem) }
            throw APIError.notFound("\(path.prefix(200)) is not a file of the map")
        }
        let headers: HTTPFields = [.contentType: file.type]
        return try respond(request, key: path, html: false) { _ in (file.bytes, headers) }
    }

    /// `f=html`, or a browser's `Accept` (which lists text/html) without `f=json`.
    static func wantsHTML(_ request: Request) -> Bool {
        if let format = request.uri.queryParameters["f"] { return format == "html" }
        return request.headers[values: .accept].contains { $0.contains("text/html") }
    }

    private func collection(_ context: ServerContext) throws -> PublishedCollection {
        let id = try context.parameters.require("collectionId")
        guard let collection = catalogue.collection(id: id) else {
            throw APIError.notFound("there is no collection \(id.prefix(100)); /collections lists them")
        }
        return collection
    }

    /// A JSON document that depends only on the data, checked for unknown parameters.
    private func cached(
        _ request: Request, allowed: Set<String>, type: String, _ make: @escaping (FeaturesDocuments) -> JSONValue
    ) throws -> Response {
        try respond(request) { documents in
            let values = try ItemsQuery.single(request.queryItems, allowed: allowed)
            if let format = values["f"] { try ItemsQuery.checkFormat(format) }
            return (Array(make(documents).serialized().utf8), [.contentType: type])
        }
    }

    /// Serves the cached answer to this URL, making it on the first request; as an HTML page
    /// (``HTMLDocument``) for a browser or `f=html`, unless `html` is false (files, the map).
    private func respond(
        _ request: Request, key: String? = nil, html: Bool = true,
        make: (FeaturesDocuments) throws -> ([UInt8], HTTPFields)
    ) throws -> Response {
        let asHTML = html && Self.wantsHTML(request)
        let path = request.uri.path
        return try cache.respond(
            to: request, key: (key ?? request.uri.string) + (asHTML ? "#html" : ""), base: state.base,
            cacheControl: cacheControl
        ) { base in
            let (body, headers) = try make(FeaturesDocuments(catalogue: catalogue, base: base))
            guard asHTML, headers[.contentType]?.contains("json") == true else { return (body, headers) }
            return (
                HTMLDocument.page(json: body, path: path, query: request.queryItems),
                [.contentType: HTMLDocument.mediaType]
            )
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? text
    }
}

extension HTTPField.Name {
    /// `Content-Crs` (OGC API – Features Part 2).
    static let contentCRS = HTTPField.Name("Content-Crs")!
}
