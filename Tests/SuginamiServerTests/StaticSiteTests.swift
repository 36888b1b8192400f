import Foundation
import SuginamiGIS
import SuginamiServer
import SuginamiTestSupport
import Testing

/// `refd export-site`'s files, against what the daemon serves from the same data.
@Suite("Static site")
struct StaticSiteTests {
    /// The site of the served data, tiles at zooms 12–13 (enough to compare, quick to draw).
    static func site(_ backend: StoreBackend) async throws -> (
        files: [String: [UInt8]], base: String, routing: ReliefCentreRouting
    ) {
        let base = try await ServerFixture.shared(backend).base()
        let (catalogue, routing) = try await ServerFixture.shared(backend).published()
        let site = try StaticSite(catalogue: catalogue, routing: await routing.snapshot, zooms: 12...13)
        var phases: [StaticSite.Phase] = []
        let files = try site.files { phase, _, _ in phases.append(phase) }
        #expect(phases.first == .data && phases.last == .tiles)
        return (Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.bytes) }), base, routing)
    }

    /// The JSON a data script stores (`window.SUGINAMI_SITE.data["name"] = {…};`).
    static func document(ofScript bytes: [UInt8]) throws -> [String: Any] {
        let text = String(decoding: bytes, as: UTF8.self)
        let start = try #require(text.firstIndex(of: "{"))
        let end = try #require(text.lastIndex(of: "}"))
        return try #require(JSONSerialization.jsonObject(with: Data(text[start...end].utf8)) as? [String: Any])
    }

    @Test(
        "The site holds the daemon's page, Leaflet and every collection as the API serves it",
        arguments: StoreBackend.allCases)
    func pageAndCollections(_ backend: StoreBackend) async throws {
        let (files, base, _) = try await Self.site(backend)
        let page = try await HTTP.get(base + "/", headers: ["Accept": "text/html"])
        #expect(files["index.html"].map { Data($0) } == page.body)
        let script = try await HTTP.get(base + "/map/map.js")
        #expect(files["map/map.js"].map { Data($0) } == script.body)
        #expect(files["vendor/leaflet/leaflet.js"] != nil)
        // Every path the page names is in the site, relative, so that file:// finds it.
        for link in ["vendor/leaflet/leaflet.css", "map/map.css", "map/site.js", "map/map.js"] {
            #expect(page.text.contains("\"\(link)\""), "\(link)")
            #expect(files[link] != nil, "\(link)")
        }
        let manifest = try Self.document(ofScript: try #require(files["map/site.js"]))
        let collections = try #require(manifest["collections"] as? [String: [String: Any]])
        let listed = try await HTTP.get(base + "/collections").json["collections"] as? [[String: Any]] ?? []
        #expect(Set(collections.keys) == Set(listed.compactMap { $0["id"] as? String }))
        for id in collections.keys.sorted() {
            let geojson = try #require(files["data/\(id).geojson"], "\(id)")
            let collection = try #require(try JSONSerialization.jsonObject(with: Data(geojson)) as? [String: Any])
            #expect(collection["type"] as? String == "FeatureCollection")
            let features = try #require(collection["features"] as? [[String: Any]])
            let items = try await HTTP.get(base + "/collections/\(id)/items?limit=10000").json
            #expect(features.count == items["numberMatched"] as? Int, "\(id)")
            // The page's script holds the same document.
            let fromScript = try Self.document(ofScript: try #require(files["data/\(id).js"]))
            #expect((fromScript["features"] as? [[String: Any]])?.count == features.count, "\(id)")
        }
        #expect(String(decoding: files["README.txt"] ?? [], as: UTF8.self).contains("SYNTHETIC"))
    }

    @Test(
        "The offline tree leads every junction to an open centre, as the daemon routes from that junction",
        arguments: StoreBackend.allCases)
    func offlineRoutes(_ backend: StoreBackend) async throws {
        let (files, _, routing) = try await Self.site(backend)
        let routes = try Self.document(ofScript: try #require(files["data/routes.js"]))
        let positions = try #require(routes["positions"] as? [Double])
        let next = try #require(routes["next"] as? [Int])
        let metres = try #require(routes["metres"] as? [Double])
        let centreOf = try #require(routes["centre"] as? [Int])
        let centres = try #require(routes["centres"] as? [[String: Any]])
        let snapshot = await routing.snapshot
        #expect(positions.count == 2 * next.count && metres.count == next.count && centreOf.count == next.count)
        // Most of the synthetic network reaches a centre.
        #expect(next.count > snapshot.network.graph.nodeCount * 9 / 10)
        let open = Set(snapshot.centres.filter(\.isOpen).map(\.facility.id))
        for junction in stride(from: 0, to: next.count, by: max(1, next.count / 60)) {
            // Following the next hops ends at a junction with nothing left to walk.
            var here = junction
            var steps = 0
            while next[here] >= 0, steps <= next.count {
                #expect(metres[next[here]] < metres[here] + 1e-6)
                #expect(centreOf[next[here]] == centreOf[here])
                here = next[here]
                steps += 1
            }
            #expect(next[here] == -1 && metres[here] == 0)
            let centre = centres[centreOf[junction]]
            #expect(open.contains(centre["id"] as? String ?? ""))
            // The daemon, asked from the junction's own position, goes to the same centre as far.
            let position = try GeoPoint(latitude: positions[2 * junction + 1], longitude: positions[2 * junction])
            let way = try snapshot.routeToNearestCentre(from: position)
            #expect(way.centre.facility.id == centre["id"] as? String, "junction \(junction)")
            #expect(abs(way.route.length - metres[junction]) < 0.5, "junction \(junction)")
        }
    }

    @Test("Each pre-rendered tile is the PNG the daemon serves at the same place", arguments: StoreBackend.allCases)
    func hazardTiles(_ backend: StoreBackend) async throws {
        let (files, base, _) = try await Self.site(backend)
        let tiles = files.keys.filter { $0.hasPrefix("tiles/") }.sorted()
        #expect(tiles.count > 10)
        let manifest = try Self.document(ofScript: try #require(files["map/site.js"]))
        let layers = try #require(manifest["tiles"] as? [[String: Any]])
        #expect(Set(layers.compactMap { $0["property"] as? String }).isSuperset(of: ["collapse_mean"]))
        for path in stride(from: 0, to: tiles.count, by: max(1, tiles.count / 25)).map({ tiles[$0] }) {
            // tiles/{collection}/{property}/{z}/{x}/{y}.png
            let parts = path.split(separator: "/")
            #expect(parts.count == 6)
            let served = try await HTTP.get(
                base + "/tiles/\(parts[1])/\(parts[3])/\(parts[4])/\(parts[5])?property=\(parts[2])")
            #expect(served.status == 200, "\(path)")
            #expect(served.body == Data(files[path] ?? []), "\(path)")
        }
    }

    @Test("Zooms outside 0–18 are refused", arguments: StoreBackend.allCases)
    func badZooms(_ backend: StoreBackend) async throws {
        let (catalogue, routing) = try await ServerFixture.shared(backend).published()
        let snapshot = await routing.snapshot
        #expect(throws: StaticSiteError.zooms(10...19)) {
            try StaticSite(catalogue: catalogue, routing: snapshot, zooms: 10...19)
        }
        #expect(throws: StaticSiteError.self) {
            try StaticSite(catalogue: catalogue, routing: snapshot, leafletDirectory: "/nonexistent")
        }
    }
}
