import Foundation
import HTTPTypes
import Hummingbird
import SuginamiGIS

/// The OGC API – Features routes: landing page, conformance, API description, collections,
/// items and single items, all answered from ``FeaturesDocuments`` through the response cache.
struct FeaturesEndpoints: Sendable {
    let catalogue: FeatureCatalogue
    let state: ServerState
    let cache: ResponseCache
    let cacheControl: String

    func register(on router: Hummingbird.Router<BasicRequestContext>) {
        let metadataNames: Set<String> = ["f"]
        router.get("/") { request, _ in
            try self.cached(request, allowed: metadataNames, type: FeaturesDocuments.json) { $0.landing() }
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
                if let format = values["f"] { try ItemsQuery.checkJSONFormat(format) }
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

    private func collection(_ context: BasicRequestContext) throws -> PublishedCollection {
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
            if let format = values["f"] { try ItemsQuery.checkJSONFormat(format) }
            return (Array(make(documents).serialized().utf8), [.contentType: type])
        }
    }

    /// Serves the cached answer to this URL, making it on the first request.
    private func respond(_ request: Request, make: (FeaturesDocuments) throws -> ([UInt8], HTTPFields)) throws
        -> Response
    {
        guard let base = state.base else { throw APIError.unavailable("the server is starting") }
        let entry = try cache.entry(for: request.uri.string) {
            let (body, headers) = try make(FeaturesDocuments(catalogue: catalogue, base: base))
            return (body, headers)
        }
        return ResponseCache.response(entry, to: request, cacheControl: cacheControl)
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
