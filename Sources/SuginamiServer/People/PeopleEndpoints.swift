import Foundation
import HTTPTypes
import Hummingbird
import SuginamiGIS

/// 要配慮者の安否確認 over HTTP: the roster of people who need help, as each role may see it,
/// their safety reports in, who is still unconfirmed per relief centre and per town, who to
/// check first, and the Person Finder export. Served only when the daemon was given the
/// personal-data key (`--people-key`); every person in an answer is an audited read.
///
/// | method and path | who | what |
/// |---|---|---|
/// | `GET /people` | staff (their centre's area), headquarters | the people with their latest state; `state=unconfirmed` or `confirmed`, `centre`, `town`; `f=geojson` for a map |
/// | `GET /people/summary` | staff, headquarters | people and unconfirmed per relief centre and per town |
/// | `GET /people/priority` | staff, headquarters | the unconfirmed, first to check first, with the reason; `limit` |
/// | `POST /people/{id}/safety` | staff (their area; never a death), headquarters | a report of the person's state |
/// | `GET /people/pfif` | headquarters | PFIF 1.4 of the people who consented to Person Finder |
/// | `POST /people/pfif` | headquarters | Person Finder's notes on them (PFIF 1.4, `application/xml`) recorded as safety reports |
///
/// Answers are never cached (`Cache-Control: no-store`). A field the reader may not read is
/// left out of the answer, not sent empty; a person outside a staff token's area does not exist
/// for it (404, as for one not on the roster), so ids cannot be probed.
struct PeopleEndpoints: Sendable {
    /// The roster's facade; nil when the daemon has no personal-data key.
    let safety: SafetyConfirmation?
    let store: any SuginamiDatabase

    func register(on router: Hummingbird.Router<ServerContext>) {
        router.get("/people") { request, context in try await self.list(request, context) }
        router.get("/people/summary") { request, context in
            let (safety, principal) = try Self.reader(self.safety, context)
            try OperationsEndpoints.noParameters(request)
            let overview = try await safety.overview(
                for: principal, from: context.clientAddress, purpose: "安否確認: GET /people/summary")
            func tallies(_ list: [SafetyConfirmation.Tally], idName: String) -> JSONValue {
                .array(
                    list.map {
                        .object([
                            (idName, $0.area.map { .string($0.id) } ?? .null),
                            ("name", $0.area?.name.map(JSONValue.string) ?? .null),
                            ("people", .number(Double($0.people))), ("unconfirmed", .number(Double($0.unconfirmed))),
                        ])
                    })
            }
            return OperationsEndpoints.json(
                .object([
                    ("people", .number(Double(overview.entries.count))),
                    ("unconfirmed", .number(Double(overview.unconfirmed))),
                    ("by_centre", tallies(overview.byCentre, idName: "centre")),
                    ("by_town", tallies(overview.byTown, idName: "town_code")),
                ]), status: .ok)
        }
        router.get("/people/priority") { request, context in
            let (safety, principal) = try Self.reader(self.safety, context)
            let values = try ItemsQuery.single(request.queryItems, allowed: ["limit"])
            var limit = Int.max
            if let text = values["limit"] {
                guard let value = Int(text), (1...100_000).contains(value) else {
                    throw APIError.invalidParameter(
                        "limit", "\(text.prefix(20)) is not a whole number from 1 to 100000")
                }
                limit = value
            }
            let ranked: [SafetyConfirmation.RankedPerson]
            do {
                ranked = try await safety.priority(
                    for: principal, from: context.clientAddress, purpose: "安否確認の優先順: GET /people/priority")
            } catch let error as SafetyConfirmationError {
                throw APIError.unavailable(error.description)
            }
            return OperationsEndpoints.json(
                .object([
                    ("unconfirmed", .number(Double(ranked.count))),
                    ("rule", .string(Self.priorityRule)),
                    (
                        "people",
                        .array(
                            ranked.prefix(limit).enumerated().map { place, person in
                                Self.personJSON(
                                    person.entry,
                                    extra: [
                                        ("rank", .number(Double(place + 1))),
                                        ("building", person.rank.buildingID.map(JSONValue.string) ?? .null),
                                        ("p_collapse", person.rank.collapse.map { .number(Self.rounded($0)) } ?? .null),
                                        ("p_burnt", person.rank.burnt.map { .number(Self.rounded($0)) } ?? .null),
                                        ("p_damage", person.rank.damage.map { .number(Self.rounded($0)) } ?? .null),
                                        ("reason", .string(person.rank.reason)),
                                    ])
                            })
                    ),
                ]), status: .ok)
        }
        router.post("/people/:id/safety") { request, context in try await self.record(request, context) }
        router.post("/people/pfif") { request, context in try await self.importNotes(request, context) }
        router.get("/people/pfif") { request, context in
            let (safety, principal) = try Self.reader(self.safety, context)
            try OperationsEndpoints.noParameters(request)
            guard principal.role == .headquarters else {
                throw APIError.forbidden(
                    "the Person Finder export is for headquarters tokens; this one is \(principal.role)")
            }
            let now = Date()
            let (document, _) = try await safety.personFinder(
                by: principal, from: context.clientAddress,
                export: PFIFExport(
                    domain: Self.domain, sourceName: "Suginami City", city: "杉並区", state: "JP-13"),
                now: now, expiry: now.addingTimeInterval(40 * 86_400))
            return OperationsEndpoints.download(
                document, type: "application/xml; charset=utf-8", filename: "suginami-pfif.xml",
                cacheControl: "no-store")
        }
    }

    /// Takes Person Finder's notes on the ward's people (``PFIFImport``) as safety reports.
    private func importNotes(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (safety, principal) = try Self.reader(self.safety, context)
        guard principal.role == .headquarters else {
            throw APIError.forbidden(
                "the Person Finder import is for headquarters tokens; this one is \(principal.role)")
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/xml") || type.hasPrefix("text/xml") else {
            throw APIError.badRequest(
                "Content-Type: send application/xml (a PFIF 1.4 document), not \(type.prefix(60))")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.badRequest("the body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        let notes: PFIFImport.Notes
        do {
            notes = try PFIFImport(domain: Self.domain).notes(in: Data(buffer.readableBytesView), file: "the body")
        } catch {
            throw APIError.badRequest(error.description)
        }
        let (recorded, skipped) = try await safety.store.importPersonFinderNotes(
            notes.checks, by: principal, from: context.clientAddress, key: safety.key)
        return OperationsEndpoints.json(
            .object([
                ("recorded", .number(Double(recorded))),
                (
                    "skipped",
                    .array(
                        notes.skipped.map { .string("note \($0.note): \($0.reason)") } + skipped.map(JSONValue.string))
                ),
            ]), status: .ok)
    }

    /// The repository's domain in PFIF record ids.
    static let domain = "city.suginami.tokyo.jp"

    /// How the priority list is ordered, as the answer states it.
    static let priorityRule =
        "damage probability at the address in bands of ten points, highest first; within a band people who cannot "
        + "leave alone or depend on medical care first; then the exact probability; people with no building within "
        + "\(Int(SafetyCheckPriority.matchRadius)) m of their position last"

    // MARK: Reads

    private func list(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (safety, principal) = try Self.reader(self.safety, context)
        let values = try ItemsQuery.single(request.queryItems, allowed: ["state", "centre", "town", "f"])
        var confirmed: Bool?
        switch values["state"] {
        case nil: break
        case "unconfirmed": confirmed = false
        case "confirmed": confirmed = true
        case let text?:
            throw APIError.invalidParameter("state", "\(text.prefix(40)) is neither unconfirmed nor confirmed")
        }
        let geoJSON: Bool
        switch values["f"] {
        case nil, "json": geoJSON = false
        case "geojson": geoJSON = true
        case let text?: throw APIError.invalidParameter("f", "\(text.prefix(40)) is neither json nor geojson")
        }
        let overview = try await safety.overview(
            for: principal, from: context.clientAddress, purpose: "安否確認: GET /people")
        let entries = overview.entries.filter { entry in
            (confirmed.map { entry.isConfirmed == $0 } ?? true)
                && (values["centre"].map { entry.safety.person.reliefCentreID == $0 } ?? true)
                && (values["town"].map { entry.town?.id == $0 } ?? true)
        }
        guard geoJSON else {
            return OperationsEndpoints.json(
                .object([
                    ("numberReturned", .number(Double(entries.count))),
                    ("people", .array(entries.map { Self.personJSON($0) })),
                ]), status: .ok)
        }
        let features: [JSONValue] = entries.compactMap { entry in
            guard let position = entry.safety.person.position,
                case .object(var properties) = Self.personJSON(entry)
            else { return nil }
            properties.removeAll { $0.key == "position" }
            return .object([
                ("type", .string("Feature")), ("id", .string(entry.safety.person.id)),
                (
                    "geometry",
                    .object([
                        ("type", .string("Point")),
                        ("coordinates", .array([.number(position.longitude), .number(position.latitude)])),
                    ])
                ),
                ("properties", .object(properties)),
            ])
        }
        var response = OperationsEndpoints.json(
            .object([("type", .string("FeatureCollection")), ("features", .array(features))]), status: .ok)
        response.headers[.contentType] = FeaturesDocuments.geoJSON
        return response
    }

    // MARK: Writes

    private func record(_ request: Request, _ context: ServerContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let (safety, principal) = try Self.reader(self.safety, context)
        let (body, claim) = try await OperationsEndpoints.body(request, context)
        var fields = try RequestFields(body)
        let now = Date()
        let state = try fields.choice("state", SafetyState.self)
        let observedAt = try fields.observedTime("observed_at", now: now) ?? now
        let source = try fields.string("source", maximumLength: 200)
        let centre = try fields.string("centre", maximumLength: 80)
        try fields.finish()
        guard let state else {
            throw APIError.badRequest(
                "state: is required (" + SafetyState.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard let source else { throw APIError.badRequest("source: is required (who saw or heard it)") }
        if let centre {
            guard state == .safeAtCentre else { throw APIError.badRequest("centre: is for safe_at_centre") }
            guard try await store.facility(id: centre) != nil else {
                throw APIError.badRequest("centre: there is no facility \(centre.prefix(80))")
            }
        }
        let check = SafetyCheck(personID: id, state: state, observedAt: observedAt, source: source, centreID: centre)
        let recorded: Recorded<Int64>
        do {
            recorded = try await safety.record(check, by: principal, from: context.clientAddress, idempotency: claim)
        } catch {
            throw Self.apiError(error, person: id, principal: principal)
        }
        return OperationsEndpoints.json(
            .object([
                ("person", .string(id)), ("state", .string(state.rawValue)),
                ("observed_at", .string(observedAt.formatted(.iso8601))), ("source", .string(source)),
                ("centre", centre.map(JSONValue.string) ?? .null), ("check", .number(Double(recorded.value))),
            ]), status: .created, replayed: recorded.replayed)
    }

    // MARK: Helpers

    /// The facade and the reader, or why not: no roster served (404), no token (401), or a role
    /// that reads no one (403).
    private static func reader(_ safety: SafetyConfirmation?, _ context: ServerContext) throws(APIError)
        -> (SafetyConfirmation, Principal)
    {
        guard let safety else {
            throw .notFound(
                "this daemon serves no roster of people: it was started without --people-key (made by `refd people key`)"
            )
        }
        let principal = try context.principal()
        guard principal.role == .headquarters || principal.role == .staff else {
            throw .forbidden(
                "the roster of people who need help is for headquarters and relief-centre staff tokens; this one is \(principal.role)"
            )
        }
        return (safety, principal)
    }

    /// The SDK's refusals as HTTP ones; a person outside a staff token's area is not found, as
    /// one not on the roster.
    private static func apiError(_ error: any Error, person id: String, principal: Principal) -> any Error {
        switch error {
        case let error as SafetyCheckError:
            switch error {
            case .notYourArea:
                return APIError.notFound("there is no person \(id.prefix(80)) in this token's area")
            case .deathByHeadquartersOnly, .notPermitted: return APIError.forbidden(error.description)
            case .otherPerson, .missingSource, .observedInTheFuture, .centreMissing:
                return APIError.badRequest(error.description)
            }
        case PeopleStoreError.notOnTheRoster:
            return APIError.notFound(
                principal.role == .staff
                    ? "there is no person \(id.prefix(80)) in this token's area"
                    : "there is no person \(id.prefix(80)) on the roster")
        default:
            return OperationsEndpoints.apiError(error)
        }
    }

    /// A person as the reader may see them: the fields they may not read are left out.
    static func personJSON(
        _ entry: SafetyConfirmation.Entry, extra: [(key: String, value: JSONValue)] = []
    ) -> JSONValue {
        let person = entry.safety.person
        var pairs: [(key: String, value: JSONValue)] = [("id", .string(person.id))]
        // A field the reader may read is sent, null when the roster has no value; one they may
        // not read is left out.
        func add(_ field: PersonField, _ value: JSONValue?) {
            if person.fields.contains(field) { pairs.append((field.rawValue, value ?? .null)) }
        }
        add(.name, person.name.map(JSONValue.string))
        add(.kana, person.kana.map(JSONValue.string))
        add(.address, person.address.map(JSONValue.string))
        add(.position, person.position.map { .array([.number($0.longitude), .number($0.latitude)]) })
        add(.dateOfBirth, person.dateOfBirth.map { .string($0.description) })
        add(.needs, person.needs.map { .array($0.map(\.rawValue).sorted().map(JSONValue.string)) })
        add(.phone, person.phone.map(JSONValue.string))
        add(
            .supporters,
            person.supporters.map {
                .array(
                    $0.map {
                        .object([("name", .string($0.name)), ("phone", $0.phone.map(JSONValue.string) ?? .null)])
                    })
            })
        add(.consent, person.consent.map { .string($0.rawValue) })
        add(.reliefCentre, person.reliefCentreID.map(JSONValue.string))
        if person.fields.contains(.position) {
            pairs.append(
                (
                    "town",
                    entry.town.map {
                        .object([("code", .string($0.id)), ("name", $0.name.map(JSONValue.string) ?? .null)])
                    } ?? .null
                ))
        }
        pairs.append(("confirmed", .bool(entry.isConfirmed)))
        if let latest = entry.safety.latest {
            pairs.append(
                (
                    "latest",
                    .object([
                        ("state", .string(latest.state.rawValue)),
                        ("observed_at", .string(latest.observedAt.formatted(.iso8601))),
                        ("source", .string(latest.source)), ("centre", latest.centreID.map(JSONValue.string) ?? .null),
                    ])
                ))
        } else {
            pairs.append(("latest", .null))
        }
        return .object(pairs + extra)
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
