import Foundation
import SuginamiTestSupport
import Testing

/// What caches, browsers and operators rely on: ETag and 304, HEAD, CORS, health, metrics,
/// and bad requests that get an answer instead of a crash.
@Suite("HTTP behaviour")
struct HTTPBehaviourTests {
    @Test(
        "A repeated request can be answered 304 from the client's copy; HEAD gives the headers only",
        arguments: StoreBackend.allCases)
    func conditional(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let url = base + "/collections/relief_centres/items/" + (try Self.firstID(base))
        let first = try await HTTP.get(url)
        let etag = try #require(first.header("ETag"))
        #expect(first.header("Cache-Control") == "public, max-age=60")
        let again = try await HTTP.get(url, headers: ["If-None-Match": etag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        let changed = try await HTTP.get(url, headers: ["If-None-Match": "\"0\""])
        #expect(changed.status == 200)
        #expect(changed.body == first.body)
        let head = try await HTTP.get(url, method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("ETag") == etag)
    }

    @Test(
        "gzip when the client takes it, with its own ETag; the same JSON once inflated",
        arguments: StoreBackend.allCases)
    func gzip(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let url = base + "/collections/towns/items?limit=20"
        let plain = try await HTTP.get(url, headers: ["Accept-Encoding": "identity"])
        #expect(plain.header("Content-Encoding") == nil)
        let zipped = try await HTTP.get(url, headers: ["Accept-Encoding": "gzip"])
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(zipped.header("Vary")?.contains("Accept-Encoding") == true)
        // URLSession inflates the body, as browsers do.
        #expect(zipped.body == plain.body)
        let plainTag = try #require(plain.header("ETag"))
        let zippedTag = try #require(zipped.header("ETag"))
        #expect(plainTag != zippedTag)
        let revalidated = try await HTTP.get(url, headers: ["Accept-Encoding": "gzip", "If-None-Match": zippedTag])
        #expect(revalidated.status == 304)
        let refused = try await HTTP.get(url, headers: ["Accept-Encoding": "gzip;q=0"])
        #expect(refused.header("Content-Encoding") == nil)
    }

    @Test(
        "A browser gets the web map at /, with its script and Debian's Leaflet; other clients the JSON",
        arguments: StoreBackend.allCases)
    func webMap(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let page = try await HTTP.get(base + "/", headers: ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8"])
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        // Relative paths: the same page works at `/`, behind a proxy's prefix and in export-site's copy.
        #expect(page.text.contains("\"vendor/leaflet/leaflet.js\"") && page.text.contains("\"map/map.js\""))
        #expect(try await HTTP.get(base + "/?f=html").header("Content-Type") == "text/html; charset=utf-8")
        #expect(try await HTTP.get(base + "/", headers: ["Accept": "*/*"]).header("Content-Type") == "application/json")
        let script = try await HTTP.get(base + "/map/map.js")
        #expect(script.status == 200)
        #expect(script.text.contains("routes?from="))
        // The daemon's site.js describes no offline copy, so the page reads the API.
        let site = try await HTTP.get(base + "/map/site.js")
        #expect(site.status == 200 && !site.text.contains("SUGINAMI_SITE ="))
        let leaflet = try await HTTP.get(base + "/vendor/leaflet/leaflet.js")
        #expect(leaflet.status == 200, "libjs-leaflet is installed by make deps")
        #expect(leaflet.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(try await HTTP.get(base + "/map/../Package.swift").status == 404)
        #expect(try await HTTP.get(base + "/map/secret.txt").status == 404)
    }

    @Test(
        "HTML for a browser or f=html on every Features resource, with the JSON's links and features; JSON otherwise",
        arguments: StoreBackend.allCases)
    func html(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let browser = ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "identity"]
        let items = "/collections/relief_centres/items?limit=3&offset=2"
        // JSON first, so that the cache holds it: a browser must still get the page.
        #expect(try await HTTP.get(base + items).header("Content-Type") == "application/geo+json")
        let page = try await HTTP.get(base + items, headers: browser)
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.hasPrefix("<!DOCTYPE html>"))
        #expect(page.text.contains("Features (3)"))
        #expect(page.text.contains("offset=5\">the next page</a>"))
        #expect(page.text.contains("?limit=3&amp;offset=2&amp;f=json\">JSON</a>"))
        for path in ["/conformance", "/collections", "/collections/towns", "/collections/towns/items?limit=2"] {
            let answer = try await HTTP.get(base + path + (path.contains("?") ? "&" : "?") + "f=html")
            #expect(answer.status == 200 && answer.header("Content-Type") == "text/html; charset=utf-8", "\(path)")
            #expect(!answer.text.contains("<script"), "\(path)")
        }
        let id = try Self.firstID(base)
        let item = try await HTTP.get(base + "/collections/relief_centres/items/\(id)?f=html")
        #expect(item.text.contains("Features (1)"))
        // f=json wins over a browser's Accept; the conformance names the HTML class.
        let json = try await HTTP.get(base + items + "&f=json", headers: browser)
        #expect(json.header("Content-Type") == "application/geo+json")
        #expect(try await HTTP.get(base + "/conformance").text.contains("conf/html"))
        #expect(try await HTTP.get(base + "/collections?f=xml").status == 400)
    }

    @Test(
        "Vector tiles: TileJSON, an MVT tile where the centres are, 204 where none are, 404 beyond the matrix",
        arguments: StoreBackend.allCases)
    func tiles(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let description = try await HTTP.get(base + "/tiles/relief_centres.json").json
        #expect(description["tilejson"] as? String == "3.0.0")
        let template = try #require((description["tiles"] as? [String])?.first)
        #expect(template == base + "/tiles/relief_centres/{z}/{x}/{y}.mvt")
        let layers = try #require(description["vector_layers"] as? [[String: Any]])
        #expect(layers.first?["id"] as? String == "relief_centres")
        // 阿佐ヶ谷中学校 (139.636277 E, 35.700322 N) lies in tile 14/14547/6450.
        let identity = ["Accept-Encoding": "identity"]
        let tile = try await HTTP.get(base + "/tiles/relief_centres/14/14547/6450.mvt", headers: identity)
        #expect(tile.status == 200)
        #expect(tile.header("Content-Type") == "application/vnd.mapbox-vector-tile")
        #expect(tile.body.first == 0x1a)  // field 3 (layers), length-delimited
        #expect(tile.text.contains("relief_centres") && tile.text.contains("RC-E1311500001111"))
        let head = try await HTTP.get(
            base + "/tiles/relief_centres/14/14547/6450.mvt", method: "HEAD", headers: identity)
        #expect(head.header("Content-Length") == "\(tile.body.count)")
        #expect(try await HTTP.get(base + "/tiles/relief_centres/14/0/0.mvt").status == 204)
        #expect(try await HTTP.get(base + "/tiles/relief_centres/3/9/1.mvt").status == 404)
        #expect(try await HTTP.get(base + "/tiles/relief_centres/25/1/1.mvt").status == 404)
        #expect(try await HTTP.get(base + "/tiles/relief_centres/a/1/1.mvt").status == 400)
        #expect(try await HTTP.get(base + "/tiles/no_such/14/14547/6450.mvt").status == 404)
        let towns = try await HTTP.get(base + "/tiles/towns/12/3636/1612.mvt")
        #expect(towns.status == 200)
    }

    @Test(
        "Raster tiles of the hazard layers: PNG by property, 204 off the ward, refused for points and unknown properties",
        arguments: StoreBackend.allCases)
    func rasterTiles(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        // Tile 12/3636/1612 covers most of Suginami.
        for query in ["", "?property=burnt_mean", "?property=collapse_p95"] {
            let png = try await HTTP.get(base + "/tiles/damage_cells/12/3636/1612.png" + query)
            #expect(png.status == 200, "\(query)")
            #expect(png.header("Content-Type") == "image/png")
            #expect(png.body.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
        #expect(try await HTTP.get(base + "/tiles/damage_towns/12/3636/1612.png?property=collapse_mean").status == 200)
        #expect(try await HTTP.get(base + "/tiles/damage_cells/12/0/0.png").status == 204)
        let unknown = try await HTTP.get(base + "/tiles/damage_cells/12/3636/1612.png?property=nope")
        #expect(unknown.status == 400)
        #expect(unknown.text.contains("collapse_mean"))
        #expect(try await HTTP.get(base + "/tiles/relief_centres/12/3636/1612.png").status == 404)
    }

    @Test(
        "OGC API – Tiles: the tileset list and description lead to the same tile, row before column",
        arguments: StoreBackend.allCases)
    func ogcTiles(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let collection = try await HTTP.get(base + "/collections/relief_centres").json
        let tilesLink = try #require(
            (collection["links"] as? [[String: Any]])?.first {
                $0["rel"] as? String == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
            }?["href"] as? String)
        let list = try await HTTP.get(tilesLink).json
        let tileset = try #require((list["tilesets"] as? [[String: Any]])?.first)
        #expect(
            tileset["tileMatrixSetURI"] as? String == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
        )
        let selfLink = try #require(
            (tileset["links"] as? [[String: Any]])?.first { $0["rel"] as? String == "self" }?["href"] as? String)
        let description = try await HTTP.get(selfLink).json
        let item = try #require((description["links"] as? [[String: Any]])?.first { $0["rel"] as? String == "item" })
        #expect(item["templated"] as? Bool == true)
        let template = try #require(item["href"] as? String)
        let url = template.replacingOccurrences(of: "{tileMatrix}", with: "14").replacingOccurrences(
            of: "{tileRow}", with: "6450"
        )
        .replacingOccurrences(of: "{tileCol}", with: "14547")
        let identity = ["Accept-Encoding": "identity"]
        let ogc = try await HTTP.get(url, headers: identity)
        let xyz = try await HTTP.get(base + "/tiles/relief_centres/14/14547/6450.mvt", headers: identity)
        #expect(ogc.status == 200)
        #expect(ogc.body == xyz.body)
        let matrixSet = try await HTTP.get(base + "/tileMatrixSets/WebMercatorQuad").json
        #expect((matrixSet["tileMatrices"] as? [Any])?.count == 19)
        #expect(try await HTTP.get(base + "/tileMatrixSets/WorldCRS84Quad").status == 404)
        let conformance = try #require(try await HTTP.get(base + "/conformance").json["conformsTo"] as? [String])
        #expect(conformance.contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt"))
    }

    @Test("CORS: any origin may read, and a preflight is answered", arguments: StoreBackend.allCases)
    func cors(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let answer = try await HTTP.get(
            base + "/collections/towns/items?limit=1", headers: ["Origin": "http://example.test"])
        #expect(answer.header("Access-Control-Allow-Origin") == "*")
        let preflight = try await HTTP.get(
            base + "/collections/towns/items", method: "OPTIONS",
            headers: ["Origin": "http://example.test", "Access-Control-Request-Method": "GET"])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Methods")?.contains("GET") == true)
    }

    @Test("healthz, readyz and Prometheus metrics that count the requests served", arguments: StoreBackend.allCases)
    func operations(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        #expect(try await HTTP.get(base + "/healthz").status == 200)
        let ready = try await HTTP.get(base + "/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == "ready\n")
        _ = try await HTTP.get(base + "/collections")
        let metrics = try await HTTP.get(base + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains("hb_requests"))
        #expect(metrics.text.contains("http_server_request_duration"))
    }

    @Test("Hostile requests get a 4xx and the server keeps serving", arguments: StoreBackend.allCases)
    func abuse(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let long = String(repeating: "a", count: 1 << 20)
        let huge = try? await HTTP.get(base + "/collections/towns/items?x=" + long)
        // NIO refuses a head this large (431) or closes the connection: either way no crash.
        if let huge { #expect((400..<500).contains(huge.status)) }
        for path in [
            "/collections/towns/items?limit=99999999999999999999999", "/collections/towns/items?offset=-1",
            "/collections/towns/items?bbox=nan,nan,nan,nan", "/collections/towns/items?bbox=1e400,0,1,1",
            "/collections/%00/items", "/collections/towns/items/%FF%FE",
        ] {
            let answer = try await HTTP.get(base + path)
            #expect((400..<500).contains(answer.status), "\(path) → \(answer.status)")
        }
        #expect(try await HTTP.get(base + "/healthz").status == 200)
    }

    static func firstID(_ base: String) throws -> String {
        let data = try Data(contentsOf: URL(string: base + "/collections/relief_centres/items?limit=1")!)
        let page = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require((page?["features"] as? [[String: Any]])?.first?["id"] as? String)
    }
}
