/// A route as the SDK answers it: the document `refd route` prints and the daemon will serve,
/// made in one place so that both say the same thing.
///
/// Lengths are metres to 0.1 m, times seconds to 0.1 s, positions `longitude,latitude`; the
/// network's note (synthetic or OpenStreetMap, with its licence) travels with every answer.
public struct RouteAnswer: Sendable {
    /// Where the route ends.
    public enum Destination: Sendable, Hashable {
        /// A relief centre.
        case centre(Facility)
        /// A position given by the caller.
        case position(GeoPoint)
        /// A network node (a shelter given by node id).
        case node(Int64)
    }

    /// The route.
    public var route: Route
    /// Where it ends.
    public var destination: Destination
    /// Where the network came from (``RoadNetwork/note``).
    public var networkNote: String
    /// Walking speed for the time, m/s.
    public var speed: Double
    /// The language of the instructions.
    public var language: RouteLanguage
    /// Whether the network had penalty areas (the answer then gives the weighted cost too).
    public var weighted: Bool

    /// Creates an answer.
    public init(
        route: Route, destination: Destination, networkNote: String, speed: Double = Route.defaultWalkingSpeed,
        language: RouteLanguage = .japanese, weighted: Bool = false
    ) {
        self.route = route
        self.destination = destination
        self.networkNote = networkNote
        self.speed = speed
        self.language = language
        self.weighted = weighted
    }

    /// The answer as one JSON object: the properties below plus `geometry` (a GeoJSON LineString).
    public func json() -> JSONValue {
        .object(properties() + [("geometry", geometry())])
    }

    /// The answer as a GeoJSON Feature (RFC 7946) with the same properties.
    public func geoJSONFeature() -> JSONValue {
        .object([("type", .string("Feature")), ("geometry", geometry()), ("properties", .object(properties()))])
    }

    /// `destination`, `length_m`, `access_m` (the legs off the network), `cost_m` when
    /// weighted, `walking_time_s`, `speed_m_s`, `streets`, `instructions`, `language`, `network`.
    func properties() -> [(key: String, value: JSONValue)] {
        func tenths(_ value: Double) -> JSONValue { .number((value * 10).rounded() / 10) }
        var destinationName: String?
        let place: JSONValue
        switch destination {
        case .centre(let facility):
            destinationName = facility.name
            place = .object([
                ("facility_id", .string(facility.id)), ("name", .string(facility.name)),
                ("longitude", .number(facility.position.longitude)), ("latitude", .number(facility.position.latitude)),
            ])
        case .position(let point):
            place = .object([("longitude", .number(point.longitude)), ("latitude", .number(point.latitude))])
        case .node(let id):
            place = .object([("node_id", .number(Double(id)))])
        }
        var properties: [(key: String, value: JSONValue)] = [
            ("destination", place), ("length_m", tenths(route.length)), ("access_m", tenths(route.accessDistance)),
        ]
        if weighted { properties.append(("cost_m", tenths(route.cost))) }
        properties += [
            ("walking_time_s", tenths(route.walkingTime(speed: speed))), ("speed_m_s", .number(speed)),
            ("streets", .array(route.streets.map(JSONValue.string))),
            (
                "instructions",
                .array(
                    RouteInstructions(route: route, destination: destinationName).sentences(language).map(
                        JSONValue.string))
            ),
            ("language", .string(language.rawValue)), ("network", .string(networkNote)),
        ]
        return properties
    }

    func geometry() -> JSONValue {
        .object([
            ("type", .string("LineString")),
            ("coordinates", .array(route.points.map { .array([.number($0.longitude), .number($0.latitude)]) })),
        ])
    }
}
