import HTTPTypes
import Testing

@testable import SuginamiServer

/// A change to one collection forgets the answers made from it, and only those.
@Suite("Response cache")
struct ResponseCacheTests {
    @Test(
        "A status change forgets the status collection's answers and the collection list, not the tiles of other layers"
    )
    func forgetsOnlyTheChangedCollections() throws {
        let cache = ResponseCache()
        let keys = [
            "/collections", "/collections?f=json", "/collections/relief_centre_status",
            "/collections/relief_centre_status/items?limit=10", "/collections/relief_centre_status/items/RC-1#html",
            "/tiles/relief_centre_status/12/3637/1612.mvt", "/tiles/relief_centre_status.json",
            "/collections/relief_centre_status/tiles/WebMercatorQuad/12/1612/3637",
            "/collections/towns/items?limit=10", "/tiles/damage_cells/14/14550/6451.png?property=burnt_mean",
            "/tiles/towns.json", "/", "/api", "/collections/relief_centres/items",
        ]
        for key in keys { _ = cache.entry(for: key) { (Array(key.utf8), HTTPFields()) } }
        cache.removeEntries(of: ["relief_centre_status"])
        let kept = keys.filter { cache.cached($0) != nil }
        #expect(
            kept == [
                "/collections/towns/items?limit=10", "/tiles/damage_cells/14/14550/6451.png?property=burnt_mean",
                "/tiles/towns.json", "/", "/api", "/collections/relief_centres/items",
            ])
        // An answer being made while the data change is not kept.
        _ = cache.entry(for: "/collections/relief_centre_status/items") {
            cache.removeEntries(of: ["damage_reports"])
            return ([1], HTTPFields())
        }
        #expect(cache.cached("/collections/relief_centre_status/items") == nil)
    }
}
