import Foundation
import SuginamiGIS

/// The documents of OGC API – Features Part 1 and 2 over a ``FeatureCatalogue``: the landing
/// page, conformance, collections, pages of items and single items. Plain values in, bytes out;
/// the HTTP layer only chooses which one and sets the headers.
struct FeaturesDocuments: Sendable {
    let catalogue: FeatureCatalogue
    /// The base of every link (`http://127.0.0.1:8080`), without a trailing slash.
    let base: String

    static let geoJSON = "application/geo+json"
    static let json = "application/json"
    static let openAPI = "application/vnd.oai.openapi+json;version=3.0"

    static let conformanceClasses = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    ]

    func link(_ href: String, _ relation: String, _ type: String, title: String? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("href", .string(href)), ("rel", .string(relation)), ("type", .string(type)),
        ]
        if let title { pairs.append(("title", .string(title))) }
        return .object(pairs)
    }

    func landing() -> JSONValue {
        .object([
            ("title", .string("SuginamiKit reference daemon (refd)")),
            (
                "description",
                .string(
                    "Open data, relief-centre status and evacuation routes of the ward, as OGC API – Features; "
                        + "routes at /routes?from=longitude,latitude.")
            ),
            (
                "links",
                .array([
                    link(base + "/", "self", Self.json, title: "this document"),
                    link(base + "/api", "service-desc", Self.openAPI, title: "the API definition"),
                    link(base + "/conformance", "conformance", Self.json, title: "conformance classes"),
                    link(base + "/collections", "data", Self.json, title: "the collections"),
                ])
            ),
        ])
    }

    func conformance() -> JSONValue {
        .object([("conformsTo", .array(Self.conformanceClasses.map(JSONValue.string)))])
    }

    func collections() -> JSONValue {
        .object([
            ("links", .array([link(base + "/collections", "self", Self.json)])),
            ("collections", .array(catalogue.collections.map(description))),
        ])
    }

    func description(of collection: PublishedCollection) -> JSONValue {
        let path = base + "/collections/" + collection.id
        var extent: [(key: String, value: JSONValue)] = []
        if let box = collection.extent {
            extent.append(
                (
                    "spatial",
                    .object([
                        (
                            "bbox",
                            .array([
                                .array(
                                    [box.minLongitude, box.minLatitude, box.maxLongitude, box.maxLatitude].map(
                                        JSONValue.number))
                            ])
                        ),
                        ("crs", .string(ServedCRS.crs84.rawValue)),
                    ])
                ))
        }
        if let times = collection.temporalExtent {
            extent.append(
                (
                    "temporal",
                    .object([
                        (
                            "interval",
                            .array([
                                .array([.string(Self.stamp(times.lowerBound)), .string(Self.stamp(times.upperBound))])
                            ])
                        ),
                        ("trs", .string("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")),
                    ])
                ))
        }
        var pairs: [(key: String, value: JSONValue)] = [
            ("id", .string(collection.id)),
            ("title", .string(collection.title)),
            ("description", .string(collection.description)),
            ("itemType", .string("feature")),
            (
                "links",
                .array([
                    link(path, "self", Self.json),
                    link(path + "/items", "items", Self.geoJSON, title: "the features"),
                    link(path + "/tiles", TilesEndpoints.tilesetsRelation, Self.json, title: "vector tiles"),
                ])
            ),
            ("extent", .object(extent)),
            ("crs", .array(ServedCRS.allCases.map { .string($0.rawValue) })),
            ("storageCrs", .string(ServedCRS.storage.rawValue)),
        ]
        if let attribution = collection.attribution { pairs.append(("attribution", .string(attribution))) }
        return .object(pairs)
    }

    /// A page of items as bytes: the features are already encoded, so the page is their
    /// concatenation between a head and a tail.
    func items(of collection: PublishedCollection, query: ItemsQuery, queryWithoutPaging: String) -> [UInt8] {
        let matching =
            query.box == nil && query.time == nil ? collection.features : collection.features.filter(query.matches)
        let page = matching.dropFirst(query.offset).prefix(query.limit)
        let path = base + "/collections/" + collection.id + "/items"
        func href(offset: Int) -> String {
            path + "?" + (queryWithoutPaging.isEmpty ? "" : queryWithoutPaging + "&")
                + "limit=\(query.limit)&offset=\(offset)"
        }
        var links = [
            link(href(offset: query.offset), "self", Self.geoJSON, title: "this page"),
            link(base + "/collections/" + collection.id, "collection", Self.json, title: "the collection"),
        ]
        if query.offset + query.limit < matching.count {
            links.append(link(href(offset: query.offset + query.limit), "next", Self.geoJSON, title: "the next page"))
        }
        if query.offset > 0 {
            links.append(
                link(href(offset: max(0, query.offset - query.limit)), "prev", Self.geoJSON, title: "the previous page")
            )
        }
        var head: [(key: String, value: JSONValue)] = [
            ("type", .string("FeatureCollection")),
            ("numberMatched", .number(Double(matching.count))),
            ("numberReturned", .number(Double(page.count))),
            ("timeStamp", .string(Self.stamp(catalogue.timeStamp))),
        ]
        if let attribution = collection.attribution { head.append(("attribution", .string(attribution))) }
        head.append(("links", .array(links)))
        var bytes = Array(JSONValue.object(head).serialized().utf8)
        bytes.removeLast()  // the closing brace: the features follow
        bytes += Array(",\"features\":[".utf8)
        for (index, feature) in page.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += feature.bytes(in: query.crs)
        }
        bytes += Array("]}".utf8)
        return bytes
    }

    /// One feature with its links.
    func item(_ feature: PublishedFeature, of collection: PublishedCollection, crs: ServedCRS) -> [UInt8] {
        let path = base + "/collections/" + collection.id
        let links = JSONValue.array([
            link(path + "/items/" + Self.pathComponent(feature.id), "self", Self.geoJSON),
            link(path, "collection", Self.json),
        ])
        var bytes = feature.bytes(in: crs)
        bytes.removeLast()
        bytes += Array(",\"links\":".utf8) + Array(links.serialized().utf8) + [UInt8(ascii: "}")]
        return bytes
    }

    static func stamp(_ date: Date) -> String { date.formatted(.iso8601) }

    static func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? id
    }
}
