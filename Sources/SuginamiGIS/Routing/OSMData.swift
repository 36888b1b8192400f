import SuginamiKit

/// OSM nodes (positions) and ways (node lists and tags) as a reader collects them, before the
/// junction graph is built (``OSMXMLReader``, ``OSMPBFReader``).
struct OSMData {
    /// A way.
    struct Way {
        var id: Int64
        var nodes: [Int64] = []
        var tags: [String: String] = [:]
    }

    /// Node positions by id.
    var positions: [Int64: GeoPoint] = [:]
    /// Ways in file order.
    var ways: [Way] = []
}
