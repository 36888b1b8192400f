import Foundation
import SuginamiGIS
import SuginamiTestSupport
import Testing

@testable import SuginamiServer

/// OGC API – Features Parts 1 and 2 as a client sees them, over a socket.
@Suite("OGC API – Features")
struct FeaturesAPITests {
    @Test(
        "The landing page links the API, conformance and data, in JSON even for Accept: */*",
        arguments: StoreBackend.allCases)
    func landing(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        for accept in ["application/json", "*/*"] {
            let answer = try await HTTP.get(base + "/", headers: ["Accept": accept])
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type") == "application/json")
            let links = try #require(try answer.json["links"] as? [[String: Any]])
            let relations = Set(links.compactMap { $0["rel"] as? String })
            #expect(relations.isSuperset(of: ["self", "service-desc", "conformance", "data"]))
            let description = try #require(links.first { $0["rel"] as? String == "service-desc" })
            #expect(description["type"] as? String == "application/vnd.oai.openapi+json;version=3.0")
        }
        let api = try await HTTP.get(base + "/api")
        #expect(api.status == 200)
        let paths = try #require(try api.json["paths"] as? [String: Any])
        #expect(paths["/collections/{collectionId}/items"] != nil)
        #expect(paths["/routes"] != nil)
        let conformance = try #require(try await HTTP.get(base + "/conformance").json["conformsTo"] as? [String])
        #expect(conformance.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"))
        #expect(conformance.contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"))
    }

    @Test(
        "Collections: one per facility kind, towns and relief-centre status, with extents and CRSs",
        arguments: StoreBackend.allCases)
    func collections(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let list = try await HTTP.get(base + "/collections")
        let collections = try #require(try list.json["collections"] as? [[String: Any]])
        let ids = collections.compactMap { $0["id"] as? String }
        #expect(ids.first == "relief_centres")
        #expect(ids.contains("towns"))
        #expect(ids.contains("relief_centre_status"))
        #expect(ids.contains("wide_area_evacuation_sites"))
        let centres = try await HTTP.get(base + "/collections/relief_centres").json
        let links = try #require(centres["links"] as? [[String: Any]])
        let items = try #require(links.first { $0["rel"] as? String == "items" })
        #expect(items["type"] as? String == "application/geo+json")
        let extent = try #require((centres["extent"] as? [String: Any])?["spatial"] as? [String: Any])
        let box = try #require((extent["bbox"] as? [[Double]])?.first)
        // Suginami lies about 139.58–139.68 E, 35.67–35.73 N.
        #expect(box[0] > 139.5 && box[2] < 139.75 && box[1] > 35.6 && box[3] < 35.8)
        let crs = try #require(centres["crs"] as? [String])
        #expect(crs.contains("http://www.opengis.net/def/crs/OGC/1.3/CRS84"))
        #expect(crs.contains("http://www.opengis.net/def/crs/EPSG/0/6677"))
    }

    @Test(
        "Paging: following next links gives every relief centre once, as many as numberMatched",
        arguments: StoreBackend.allCases)
    func paging(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        var url: String? = base + "/collections/relief_centres/items?limit=7"
        var ids: [String] = []
        var matched: Int?
        var pages = 0
        while let next = url, pages < 50 {
            let answer = try await HTTP.get(next)
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type") == "application/geo+json")
            let page = try answer.json
            matched = page["numberMatched"] as? Int
            let features = try #require(page["features"] as? [[String: Any]])
            #expect(page["numberReturned"] as? Int == features.count)
            #expect(features.count <= 7)
            ids += features.compactMap { $0["id"] as? String }
            url = (page["links"] as? [[String: Any]])?.first { $0["rel"] as? String == "next" }?["href"] as? String
            pages += 1
        }
        #expect(matched == 65)
        #expect(ids.count == 65)
        #expect(Set(ids).count == 65)
        #expect(pages == 10)
    }

    @Test(
        "limit: a huge value is clamped, zero and words are refused with the reason", arguments: StoreBackend.allCases)
    func limit(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let all = try await HTTP.get(base + "/collections/relief_centres/items?limit=1000000000")
        #expect(all.status == 200)
        #expect((try all.json["features"] as? [Any])?.count == 65)
        for (value, words) in [
            ("0", "at least 1"), ("-3", "at least 1"), ("ten", "not an integer"), ("", "not an integer"),
        ] {
            let answer = try await HTTP.get(base + "/collections/relief_centres/items?limit=\(value)")
            #expect(answer.status == 400, "limit=\(value)")
            #expect(answer.text.contains("limit") && answer.text.contains(words), "\(answer.text)")
        }
        let twice = try await HTTP.get(base + "/collections/relief_centres/items?limit=1&limit=2")
        #expect(twice.status == 400)
        #expect(twice.text.contains("more than once"))
    }

    @Test(
        "bbox selects the features inside; bad boxes and unknown parameters get 400 naming them",
        arguments: StoreBackend.allCases)
    func bbox(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let first = try #require(
            (try await HTTP.get(base + "/collections/relief_centres/items?limit=1").json["features"] as? [[String: Any]])?
                .first)
        let point = try #require((first["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        let box = [point[0] - 0.005, point[1] - 0.005, point[0] + 0.005, point[1] + 0.005]
        let page = try await HTTP.get(
            base + "/collections/relief_centres/items?limit=100&bbox=" + box.map { "\($0)" }.joined(separator: ",")
        ).json
        let features = try #require(page["features"] as? [[String: Any]])
        #expect(features.contains { $0["id"] as? String == first["id"] as? String })
        for feature in features {
            let position = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            #expect(position[0] >= box[0] && position[0] <= box[2] && position[1] >= box[1] && position[1] <= box[3])
        }
        #expect((page["numberMatched"] as? Int ?? 0) < 65)
        let cases = [
            ("bbox=foo", "bbox"), ("bbox=1,2,3", "4 or 6"), ("bbox=139.7,35.8,139.6,35.6", "south edge"),
            ("bbox=139,95,140,96", "-90"), ("no_such_param=1", "no_such_param"), ("crs=EPSG:999999", "not offered"),
            ("datetime=not-a-date", "RFC 3339"), ("f=xml", "f="),
        ]
        for (query, words) in cases {
            let answer = try await HTTP.get(base + "/collections/relief_centres/items?" + query)
            #expect(answer.status == 400, "\(query)")
            #expect(answer.text.contains(words), "\(query): \(answer.text)")
            #expect(try answer.json["code"] as? String == "InvalidParameterValue")
        }
    }

    @Test(
        "datetime: instants and open intervals are accepted; only timed features match",
        arguments: StoreBackend.allCases)
    func datetime(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        for value in [
            "2000-01-01T00:00:00Z/..", "../2100-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-01",
            "../1900-01-01T00:00:00Z",
        ] {
            let answer = try await HTTP.get(
                base + "/collections/relief_centre_status/items?datetime="
                    + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? value))
            #expect(answer.status == 200, "\(value)")
            // No centre has reported yet in a freshly loaded store: no feature has a time.
            #expect(try answer.json["numberMatched"] as? Int == 0, "\(value)")
        }
        let backwards = try await HTTP.get(
            base + "/collections/towns/items?datetime=2030-01-01T00:00:00Z/2020-01-01T00:00:00Z")
        #expect(backwards.status == 400)
        #expect(backwards.text.contains("ends before it starts"))
    }

    @Test(
        "One item has self and collection links; unknown ids, collections and paths are 404 in JSON",
        arguments: StoreBackend.allCases)
    func item(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let page = try await HTTP.get(base + "/collections/towns/items?limit=1").json
        let id = try #require((page["features"] as? [[String: Any]])?.first?["id"] as? String)
        let item = try await HTTP.get(base + "/collections/towns/items/" + id)
        #expect(item.status == 200)
        let feature = try item.json
        #expect(feature["id"] as? String == id)
        #expect(((feature["geometry"] as? [String: Any])?["type"] as? String)?.hasSuffix("Polygon") == true)
        let relations = Set(((feature["links"] as? [[String: Any]]) ?? []).compactMap { $0["rel"] as? String })
        #expect(relations.isSuperset(of: ["self", "collection"]))
        for path in ["/collections/towns/items/no-such-town", "/collections/no_such_collection", "/no/such/path"] {
            let answer = try await HTTP.get(base + path)
            #expect(answer.status == 404, "\(path)")
            #expect(try answer.json["code"] as? String == "NotFound", "\(path)")
        }
    }

    @Test(
        "CRS: EPSG:4326 swaps to latitude first, EPSG:6677 matches PROJ to the millimetre, Content-Crs says which",
        arguments: StoreBackend.allCases)
    func crs(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let path = base + "/collections/relief_centres/items?limit=3"
        let plain = try await HTTP.get(path)
        #expect(plain.header("Content-Crs") == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>")
        let lonLat = try Self.positions(plain)
        let latLon = try await HTTP.get(path + "&crs=http://www.opengis.net/def/crs/EPSG/0/4326")
        #expect(latLon.header("Content-Crs") == "<http://www.opengis.net/def/crs/EPSG/0/4326>")
        #expect(try Self.positions(latLon).map { [$0[1], $0[0]] } == lonLat)
        let plane = try Self.positions(try await HTTP.get(path + "&crs=%5BEPSG:6677%5D"))
        let proj = try CoordinateTransformer(from: "EPSG:6668", to: "EPSG:6677")
        for (position, projected) in zip(lonLat, plane) {
            // The transformer normalises to (longitude, latitude) → (easting, northing); the
            // served EPSG:6677 keeps the EPSG order, northing (X) first.
            let expected = try proj.transform(position[0], position[1])
            #expect(abs(projected[0] - expected.y) < 0.002 && abs(projected[1] - expected.x) < 0.002)
        }
        // A box in EPSG:6677 around the first centre finds it.
        let box = [plane[0][0] - 50, plane[0][1] - 50, plane[0][0] + 50, plane[0][1] + 50].map { "\($0)" }.joined(
            separator: ",")
        let inBox = try await HTTP.get(
            base + "/collections/relief_centres/items?bbox=\(box)&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/6677")
        #expect(try inBox.json["numberMatched"] as? Int ?? 0 >= 1)
    }

    @Test(
        "CRS on polygons: every vertex of a town moves, and EPSG:4326 is each vertex swapped",
        arguments: StoreBackend.allCases)
    func polygonCRS(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let path = base + "/collections/towns/items?limit=2"
        func rings(_ answer: HTTP.Answer) throws -> [[[Double]]] {
            try #require(answer.json["features"] as? [[String: Any]]).flatMap { feature -> [[[Double]]] in
                let geometry = feature["geometry"] as? [String: Any]
                if geometry?["type"] as? String == "Polygon" { return geometry?["coordinates"] as? [[[Double]]] ?? [] }
                return (geometry?["coordinates"] as? [[[[Double]]]] ?? []).flatMap { $0 }
            }
        }
        let plain = try rings(try await HTTP.get(path))
        let swapped = try rings(try await HTTP.get(path + "&crs=http://www.opengis.net/def/crs/EPSG/0/4326"))
        #expect(!plain.isEmpty)
        #expect(swapped == plain.map { ring in ring.map { [$0[1], $0[0]] } })
        let plane = try rings(try await HTTP.get(path + "&crs=http://www.opengis.net/def/crs/EPSG/0/6677"))
        #expect(plane.map(\.count) == plain.map(\.count))
        // Suginami lies some 30–37 km south and 15–23 km west of zone IX's origin (36° N, 139°50′ E).
        #expect(
            plane.allSatisfy { ring in
                ring.allSatisfy { $0[0] < -25_000 && $0[0] > -45_000 && $0[1] < -10_000 && $0[1] > -30_000 }
            })
    }

    @Test(
        "The simulation's layers: cells by mesh code and towns by census code, with ranges, saying the buildings are synthetic",
        arguments: StoreBackend.allCases)
    func damageLayers(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let cells = try await HTTP.get(base + "/collections/damage_cells")
        #expect(cells.status == 200)
        #expect((try cells.json["description"] as? String)?.contains("SYNTHETIC") == true)
        // Over the bundled stock the layers say the outlines are real and the structure assumed.
        #expect(FeatureCatalogue.caveat(.realFootprintsAssumedAttributes).contains("ASSUMED"))
        #expect(FeatureCatalogue.caveat(.realFootprintsAssumedAttributes).contains("PLATEAU"))
        #expect(FeatureCatalogue.caveat(.register).isEmpty)
        let page = try await HTTP.get(base + "/collections/damage_cells/items?limit=1").json
        #expect((page["numberMatched"] as? Int ?? 0) > 100)
        let cell = try #require((page["features"] as? [[String: Any]])?.first)
        let code = try #require(cell["id"] as? String)
        #expect(code.count == 10)  // JIS X 0410 1/4 mesh
        let properties = try #require(cell["properties"] as? [String: Any])
        for key in ["collapse_p5", "collapse_p50", "collapse_p95", "burnt_p5", "burnt_p50", "burnt_p95"] {
            #expect(properties[key] is Double, "\(key)")
        }
        #expect(try await HTTP.get(base + "/collections/damage_cells/items/" + code).status == 200)
        let towns = try await HTTP.get(base + "/collections/damage_towns/items?limit=200").json
        #expect(towns["numberMatched"] as? Int == 139)
        let town = try #require((towns["features"] as? [[String: Any]])?.first)
        #expect((town["id"] as? String)?.count == 11)
        #expect((town["properties"] as? [String: Any])?["collapse_p95"] is Double)
    }

    static func positions(_ answer: HTTP.Answer) throws -> [[Double]] {
        try #require(answer.json["features"] as? [[String: Any]]).compactMap {
            ($0["geometry"] as? [String: Any])?["coordinates"] as? [Double]
        }
    }
}
