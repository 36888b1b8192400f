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

    /// The tags routing reads (``TravelProfile``); readers drop the others as they read, and
    /// ways without `highway`, to keep memory small.
    static let routingKeys: Set<String> = [
        "highway", "name", "access", "foot", "motor_vehicle", "motorcar", "oneway", "junction", "wheelchair",
    ]

    /// Node positions by id.
    var positions: [Int64: GeoPoint] = [:]
    /// Ways in file order.
    var ways: [Way] = []
}
