import Foundation
import SuginamiGIS

/// `GET /routes`: a walking route from a position to the nearest open relief centre (with room
/// for `room` people when asked), or to another position, over the network as it is now.
///
/// The shelter tree is the routing facade's, built once at start-up and repaired when reports
/// and closures arrive; a request only walks it.
struct RouteEndpoint: Sendable {
    let routing: ReliefCentreRouting
    /// Routing to the temporary stay facilities (一時滞在施設), for `for=stranded`.
    let temporaryStay: ReliefCentreRouting?

    static let names: Set<String> = ["from", "to", "room", "lang", "f", "for"]

    /// The route as a GeoJSON Feature (``RouteAnswer``'s form).
    /// - Throws: ``APIError`` for a bad parameter (400) or a route that cannot be found (422).
    func answer(_ parameters: [(name: String, value: String)], acceptLanguage: String?) async throws(APIError)
        -> [UInt8]
    {
        let values = try ItemsQuery.single(parameters, allowed: Self.names)
        if let format = values["f"] { try ItemsQuery.checkJSONFormat(format) }
        guard let fromText = values["from"] else {
            throw .invalidParameter("from", "is required: the start as longitude,latitude (from=139.6366,35.6995)")
        }
        let origin = try Self.position(fromText, name: "from")
        let destination = try values["to"].map { (text) throws(APIError) in try Self.position(text, name: "to") }
        var room: Int?
        if let text = values["room"] {
            guard let people = Int(text), (1...100_000).contains(people) else {
                throw .invalidParameter("room", "\(text.prefix(40)) is not a number of people from 1 to 100000")
            }
            room = people
        }
        let language = try Self.language(values["lang"], acceptLanguage: acceptLanguage)
        var chosen = routing
        switch values["for"] {
        case nil, "resident": break
        case "stranded":
            // A commuter who cannot get home (帰宅困難者): the temporary stay facilities.
            guard let temporaryStay else {
                throw .cannotAnswer(
                    "this daemon's store holds no temporary stay facilities (一時滞在施設); "
                        + "import the ward's list to route stranded commuters")
            }
            chosen = temporaryStay
        case let other?:
            throw .invalidParameter(
                "for",
                "\(other.prefix(40)) is neither resident (the relief centres) nor stranded (temporary stay facilities)")
        }
        // A route to the nearest centre is answered at once even while closures are being
        // customized behind; the other questions need the customization, so they wait for it
        // (milliseconds) rather than compute it once per request.
        var snapshot = await chosen.snapshot
        if !snapshot.isSettled && (destination != nil || room != nil) { snapshot = await chosen.settledSnapshot() }
        let answer: RouteAnswer
        if let destination {
            guard room == nil else { throw .invalidParameter("room", "applies to relief centres, not to a given `to`") }
            do {
                let route = try snapshot.route(from: origin, to: destination)
                answer = RouteAnswer(
                    route: route, destination: .position(destination), networkNote: snapshot.network.note,
                    language: language, weighted: snapshot.hasPenalties)
            } catch {
                throw .cannotAnswer(error.description)
            }
        } else {
            do {
                let way = try snapshot.routeToNearestCentre(from: origin, withRoomFor: room)
                answer = RouteAnswer(
                    route: way.route, destination: .centre(way.centre.facility), networkNote: snapshot.network.note,
                    language: language, weighted: snapshot.hasPenalties)
            } catch {
                throw .cannotAnswer(error.description)
            }
        }
        return Array(
            Self.adding(basis: Self.basis(of: snapshot, answer: answer), to: answer.geoJSONFeature()).serialized().utf8)
    }

    /// What the answer was computed from: the routing state's revision, the published closures
    /// it avoided (report ids), how many centres were open, and the chosen centre's status.
    static func basis(of snapshot: ReliefCentreRouting.Snapshot, answer: RouteAnswer) -> JSONValue {
        var centreStatus: JSONValue = .null
        if case .centre(let facility) = answer.destination,
            let centre = snapshot.centres.first(where: { $0.facility.id == facility.id })
        {
            centreStatus = .object([
                ("state", .string(centre.status?.state.rawValue ?? "not_reported")),
                ("reported_at", centre.status.map { .string($0.reportedAt.formatted(.iso8601)) } ?? .null),
                ("room", centre.room.map { .number(Double($0)) } ?? .null),
            ])
        }
        return .object([
            ("revision", .number(Double(snapshot.revision))),
            ("closures", .array(snapshot.closureNames.map(JSONValue.string))),
            ("open_centres", .number(Double(snapshot.centres.count { $0.isOpen }))),
            ("centre_status", centreStatus),
        ])
    }

    static func adding(basis: JSONValue, to feature: JSONValue) -> JSONValue {
        guard case .object(var pairs) = feature, let index = pairs.firstIndex(where: { $0.key == "properties" }),
            case .object(var properties) = pairs[index].value
        else { return feature }
        properties.append(("basis", basis))
        pairs[index] = ("properties", .object(properties))
        return .object(pairs)
    }

    private static func position(_ text: String, name: String) throws(APIError) -> GeoPoint {
        do { return try GeoPoint(parsing: text) } catch { throw .invalidParameter(name, error.description) }
    }

    /// `lang` if given, else the first language of `Accept-Language` we write, else Japanese.
    static func language(_ parameter: String?, acceptLanguage: String?) throws(APIError) -> RouteLanguage {
        if let parameter {
            guard let language = RouteLanguage(rawValue: parameter) else {
                throw .invalidParameter(
                    "lang",
                    "\(parameter.prefix(40)) is not offered; use one of "
                        + RouteLanguage.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return language
        }
        guard let acceptLanguage else { return .japanese }
        // Tags by preference (q-values), then the first we write.
        let tags = acceptLanguage.split(separator: ",").enumerated().compactMap {
            position, item -> (String, Double, Int)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), !tag.isEmpty else { return nil }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, quality, position)
        }
        for (tag, quality, _) in tags.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }) where quality > 0 {
            if let language = Self.language(tag: tag) { return language }
        }
        return .japanese
    }

    private static func language(tag: String) -> RouteLanguage? {
        if tag == "ja-easy" || tag.hasPrefix("ja-x-easy") { return .easyJapanese }
        if tag == "zh-hans" || tag.hasPrefix("zh-hans-") || tag == "zh-cn" || tag == "zh-sg" || tag == "zh" {
            return .simplifiedChinese
        }
        switch tag.split(separator: "-").first {
        case "ja": return .japanese
        case "en": return .english
        case "ko": return .korean
        default: return nil
        }
    }
}
