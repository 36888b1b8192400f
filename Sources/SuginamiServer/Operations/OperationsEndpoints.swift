import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SuginamiGIS

/// The disaster-operations API: relief-centre status and damage reports in, headquarters'
/// review, tokens, the audit log's head, and the live stream out.
///
/// | method and path | who | what |
/// |---|---|---|
/// | `POST /centres/{id}/status` | staff of that facility, headquarters | its state, occupancy and needs |
/// | `GET /centres/{id}/status` | staff of that facility, headquarters | its reports, oldest first |
/// | `POST /reports` | public, staff, headquarters | a damage report (public ones wait for review) |
/// | `GET /reports` | headquarters | every report, or those in `state` |
/// | `GET /reports/{id}` | headquarters; anyone for a published one | one report |
/// | `POST /reports/{id}/{verify,publish,reject,merge,withdraw}` | headquarters | a decision |
/// | `PUT /reports/{id}/photo` | the report's author, headquarters | its one photo (JPEG or PNG, ≤ 10 MiB) |
/// | `GET /reports/{id}/photo` | anyone once published; headquarters (`original=true`: as sent) | the photo without metadata |
/// | `POST /tokens`, `GET /tokens`, `DELETE /tokens/{id}` | admin | issue, list, revoke |
/// | `GET /audit/head` | headquarters, admin | the audit log's last entry, to keep elsewhere |
/// | `GET /events` | anyone | published changes as server-sent events |
/// | `GET /open-data/{relief_centre_status,damage_reports}.csv` | anyone | 自治体標準-style CSV |
///
/// Writes take an `Idempotency-Key`; a retry with the same key and body gets the first answer
/// (with `Idempotent-Replayed: true`) and changes nothing; the same key with another body is
/// refused (422). Every write is committed, audited and applied to routes and pages before its
/// answer is sent.
struct OperationsEndpoints: Sendable {
    let store: any SuginamiDatabase
    let desk: OperationsDesk
    let hub: EventHub
    let limiter: RateLimiter
    /// Positions outside this box are refused: the ward and a margin.
    let extent: BoundingBox?

    func register(on router: Hummingbird.Router<ServerContext>) {
        router.post("/centres/:id/status") { request, context in
            try await self.recordStatus(request, context)
        }
        router.get("/centres/:id/status") { request, context in
            let id = try context.parameters.require("id")
            try Self.noParameters(request)
            try Self.map { try context.principal().checkMayUpdateStatus(of: id) }
            guard try await store.facility(id: id) != nil else {
                throw APIError.notFound("there is no facility \(id.prefix(80))")
            }
            let history = try await store.statusHistory(of: id)
            return Self.json(
                .array(history.map { Self.statusJSON($0) }), status: .ok)
        }
        router.post("/reports") { request, context in try await self.submitReport(request, context) }
        router.get("/reports") { request, context in
            try Self.map { try context.principal().checkMayReview() }
            let values = try ItemsQuery.single(request.queryItems, allowed: ["state"])
            var states: Set<DamageReport.State>?
            if let text = values["state"] {
                guard let state = DamageReport.State(rawValue: text) else {
                    throw APIError.invalidParameter(
                        "state",
                        "\(text.prefix(40)) is not one of "
                            + DamageReport.State.allCases.map(\.rawValue).joined(separator: ", "))
                }
                states = [state]
            }
            let reports = try await store.reports(in: states)
            return Self.json(
                .object([
                    ("type", .string("FeatureCollection")),
                    ("numberReturned", .number(Double(reports.count))),
                    ("features", .array(reports.map { Self.reviewJSON($0) })),
                ]), status: .ok)
        }
        router.get("/reports/:id") { request, context in
            let id = try context.parameters.require("id")
            try Self.noParameters(request)
            guard let report = try await store.report(id: id) else {
                throw APIError.notFound("there is no report \(id.prefix(80))")
            }
            if context.identity?.role == .headquarters { return Self.json(Self.reviewJSON(report), status: .ok) }
            // Unpublished reports do not exist for anyone else: 404, not 403, so that ids cannot
            // be probed.
            guard report.state == .published else { throw APIError.notFound("there is no report \(id.prefix(80))") }
            return Self.json(report.publicView.geoJSONFeature(), status: .ok)
        }
        router.post("/reports/:id/:action") { request, context in try await self.review(request, context) }
        router.put("/reports/:id/photo") { request, context in try await self.attachPhoto(request, context) }
        router.get("/reports/:id/photo") { request, context in
            let id = try context.parameters.require("id")
            let values = try ItemsQuery.single(request.queryItems, allowed: ["original"])
            let original = values["original"] == "true"
            guard let report = try await store.report(id: id),
                report.state == .published || context.identity?.role == .headquarters
            else { throw APIError.notFound("there is no published report \(id.prefix(80))") }
            if original, context.identity?.role != .headquarters {
                throw APIError.forbidden("the original photo, with its location data, is for headquarters tokens")
            }
            guard let photo = try await store.photo(ofReport: id, original: original) else {
                throw APIError.notFound("report \(id.prefix(80)) has no photo")
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: photo.mediaType, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                    .cacheControl: original ? "no-store" : "public, max-age=300",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: photo.bytes)))
        }
        router.post("/tokens") { request, context in try await self.issueToken(request, context) }
        router.get("/tokens") { request, context in
            try Self.map { try context.principal().checkMayManageTokens() }
            try Self.noParameters(request)
            return Self.json(.array(try await store.tokens().map(Self.tokenJSON)), status: .ok)
        }
        router.delete("/tokens/:id") { request, context in
            let id = try context.parameters.require("id")
            let actor = try context.actor()
            let token = try await Self.mapAsync { try await store.revokeToken(id: id, by: actor) }
            return Self.json(Self.tokenJSON(token), status: .ok)
        }
        router.get("/audit/head") { request, context in
            let principal = try context.principal()
            guard principal.role == .headquarters || principal.role == .admin else {
                throw APIError.forbidden(
                    "the audit log is for headquarters and admin tokens; this one is \(principal.role)")
            }
            let verification = try await store.verifyAuditLog()
            return Self.json(
                .object([
                    ("entries", .number(Double(verification.entries))),
                    ("head", verification.head.map { .string($0.description) } ?? .null),
                    ("intact", .bool(verification.isIntact)),
                    ("problem", verification.problem.map { .string($0.description) } ?? .null),
                ]), status: .ok)
        }
        router.get("/events") { request, _ in try await self.events(request) }
        router.get("/open-data/:file") { request, context in
            try Self.noParameters(request)
            let file = try context.parameters.require("file")
            let text: String
            switch file {
            case "relief_centre_status.csv":
                let snapshot = await desk.routing.snapshot
                text = OperationsOpenData.statusCSV(
                    snapshot.centres.map { ($0.facility, $0.status, $0.isOpen) }, code: .suginami)
            case "damage_reports.csv":
                text = OperationsOpenData.reportsCSV(try await store.reports(in: [.published]), code: .suginami)
            default:
                throw APIError.notFound(
                    "\(file.prefix(60)) is not an open-data file; there are relief_centre_status.csv and damage_reports.csv"
                )
            }
            return Self.download(text, type: "text/csv; charset=utf-8", filename: file, cacheControl: "no-cache")
        }
    }

    // MARK: Writes

    private func recordStatus(_ request: Request, _ context: ServerContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let actor = try context.actor()
        let (body, claim) = try await Self.body(request, context)
        var fields = try RequestFields(body)
        let state = try fields.choice("state", ShelterStatus.State.self)
        let occupancy = try fields.integer("occupancy", in: 0...ShelterStatus.largestOccupancy)
        let needs = try fields.object("needs") { (needs: inout RequestFields) throws(APIError) in
            ShelterStatus.Needs(
                water: try needs.bool("water") ?? false, food: try needs.bool("food") ?? false,
                medical: try needs.bool("medical") ?? false, power: try needs.bool("power") ?? false,
                toilets: try needs.bool("toilets") ?? false, interpreters: try needs.bool("interpreters") ?? false,
                other: try needs.string("other", maximumLength: 500))
        }
        let note = try fields.string("note", maximumLength: 1_000)
        try fields.finish()
        guard let state else { throw APIError.badRequest("state: is required (open, closed or full)") }
        let status = ShelterStatus(
            facilityID: id, state: state, occupancy: occupancy, needs: needs ?? .init(), note: note,
            reportedAt: Date(), reportedBy: "")
        let recorded = try await Self.mapAsync { try await store.record(status, by: actor, idempotency: claim) }
        await desk.settle(through: recorded.events.last?.sequence ?? 0)
        return Self.json(Self.statusJSON(recorded.value), status: .ok, replayed: recorded.replayed)
    }

    private func submitReport(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try context.principal()
        try Self.map { try principal.checkMaySubmitReports() }
        if principal.role == .public, let wait = limiter.take("\(principal.tokenID) \(context.clientAddress)") {
            throw APIError.tooManyRequests(
                "this client has sent \(limiter.perMinute) reports in the last minute; try again in \(wait) s",
                retryAfter: wait)
        }
        let (body, claim) = try await Self.body(request, context)
        var fields = try RequestFields(body)
        let kind = try fields.choice("kind", DamageReport.Kind.self)
        let road = try fields.line("road", maximumPoints: 200)
        let position = try fields.position("position") ?? road?.first
        let text = try fields.string("text", maximumLength: DamageReport.maximumTextLength) ?? ""
        let now = Date()
        let observedAt = try fields.observedTime("observed_at", now: now) ?? now
        let publish = try fields.bool("publish") ?? false
        try fields.finish()
        guard let kind else {
            throw APIError.badRequest(
                "kind: is required (" + DamageReport.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard let position else { throw APIError.badRequest("position: is required ([longitude, latitude])") }
        for (index, point) in ([position] + (road ?? [])).enumerated() {
            try checkInWard(point, field: index == 0 ? "position" : "road[\(index - 1)]")
        }
        if road != nil, kind != .roadBlocked { throw APIError.badRequest("road: is for road_blocked reports") }
        let report = DamageReport(
            id: "", kind: kind, position: position, road: road, observedAt: observedAt, receivedAt: now, text: text,
            authorRole: principal.role, state: .submitted)
        let actor = try context.actor()
        let recorded = try await Self.mapAsync {
            try await store.submit(report, by: actor, publish: publish, idempotency: claim)
        }
        await desk.settle(through: recorded.events.last?.sequence ?? 0)
        var response = Self.json(
            principal.role == .headquarters
                ? Self.reviewJSON(recorded.value, closedRoads: await desk.closedRoads[recorded.value.id])
                : Self.receiptJSON(recorded.value),
            status: .created, replayed: recorded.replayed)
        response.headers[.location] = "/reports/\(recorded.value.id)"
        return response
    }

    private func review(_ request: Request, _ context: ServerContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("action")
        let actor = try context.actor()
        try Self.map { try context.principal().checkMayReview() }
        let (body, claim) = try await Self.body(request, context, optional: true)
        var note: String?
        var into: String?
        if !body.isEmpty {
            var fields = try RequestFields(body)
            note = try fields.string("note", maximumLength: 1_000)
            if name == "merge" { into = try fields.string("into", maximumLength: 100) }
            try fields.finish()
        }
        let action: ReportAction
        switch name {
        case "verify": action = .verify
        case "publish": action = .publish
        case "reject": action = .reject
        case "withdraw": action = .withdraw
        case "merge":
            guard let into else {
                throw APIError.badRequest("into: is required: the id of the report this one repeats")
            }
            action = .merge(into: into)
        default:
            throw APIError.notFound(
                "\(name.prefix(40)) is not an action on reports; use verify, publish, reject, merge or withdraw")
        }
        let recorded = try await Self.mapAsync {
            try await store.review(reportID: id, action, note: note, by: actor, idempotency: claim)
        }
        await desk.settle(through: recorded.events.last?.sequence ?? 0)
        return Self.json(
            Self.reviewJSON(recorded.value, closedRoads: await desk.closedRoads[recorded.value.id]), status: .ok,
            replayed: recorded.replayed)
    }

    private func attachPhoto(_ request: Request, _ context: ServerContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let actor = try context.actor()
        try Self.noParameters(request)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("image/jpeg") || type.hasPrefix("image/png") else {
            throw APIError.badRequest("Content-Type: send the photo as image/jpeg or image/png")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: ReportPhoto.maximumBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.badRequest("photo: larger than \(ReportPhoto.maximumBytes / 1_048_576) MiB")
        }
        let bytes = Array(buffer.readableBytesView)
        let photo = try Self.map { try ReportPhoto(bytes) }
        let keys = request.headers[values: .idempotencyKey]
        let claim = try keys.first.map { key in
            try Self.map { try IdempotencyClaim(key: key, request: Array("PUT \(request.uri.path)\n".utf8) + bytes) }
        }
        let recorded = try await Self.mapAsync {
            try await store.attach(photo, toReport: id, by: actor, idempotency: claim)
        }
        await desk.settle(through: recorded.events.last?.sequence ?? 0)
        return Self.json(
            .object([
                ("id", .string(id)), ("photo", .string("/reports/\(id)/photo")),
                ("type", .string(photo.mediaType)),
                ("pixels", .array([.number(Double(photo.pixels.width)), .number(Double(photo.pixels.height))])),
                ("removed_bytes", .number(Double(photo.original.count - photo.publicCopy.count))),
            ]), status: .created, replayed: recorded.replayed)
    }

    private func issueToken(_ request: Request, _ context: ServerContext) async throws -> Response {
        let actor = try context.actor()
        try Self.map { try context.principal().checkMayManageTokens() }
        let (body, _) = try await Self.body(request, context)
        var fields = try RequestFields(body)
        let role = try fields.choice("role", AccessRole.self)
        let facility = try fields.string("facility", maximumLength: 100)
        let label = try fields.string("label", maximumLength: 200)
        try fields.finish()
        guard let role else { throw APIError.badRequest("role: is required (public, staff, headquarters or admin)") }
        guard let label else { throw APIError.badRequest("label: is required: whom the token is for") }
        let issued = try await Self.mapAsync {
            try await store.issueToken(role: role, facilityID: facility, label: label, by: actor)
        }
        guard case .object(var pairs) = Self.tokenJSON(issued.token) else { preconditionFailure("an object") }
        pairs.insert(("token", .string(issued.secret)), at: 1)
        var response = Self.json(.object(pairs), status: .created)
        response.headers[.location] = "/tokens/\(issued.token.id)"
        return response
    }

    // MARK: The live stream

    /// `text/event-stream` of published changes: `status` (a centre's report) and `report` (a
    /// published or withdrawn report, as a GeoJSON Feature), each with its sequence number as
    /// `id`; a reconnecting client's `Last-Event-ID` (or `?since=N`) replays what it missed
    /// from the store. A comment every 15 s keeps proxies from closing the stream.
    private func events(_ request: Request) async throws -> Response {
        let values = try ItemsQuery.single(request.queryItems, allowed: ["since"])
        var after: Int64 = -1
        for (name, text) in [("Last-Event-ID", request.headers[.lastEventID]), ("since", values["since"])] {
            guard let text, !text.isEmpty else { continue }
            guard let number = Int64(text), number >= 0 else {
                throw APIError.badRequest("\(name): \(text.prefix(40)) is not an event id (a whole number)")
            }
            after = number
        }
        // Subscribe first, then read the store: an event committed in between is in both and is
        // sent once, by its number.
        let (id, stream) = hub.subscribe()
        var sent: Int64
        do {
            sent = after >= 0 ? after : try await store.lastPublicEvent()
        } catch {
            hub.unsubscribe(id)
            throw error
        }
        let start = sent
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ],
            body: ResponseBody { [store, hub] writer in
                try await withGracefulShutdownHandler {
                    var last = start
                    try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                    while true {
                        let missed = try await store.publicEvents(after: last)
                        if missed.isEmpty { break }
                        for event in missed { try await writer.write(ByteBuffer(string: Self.frame(event))) }
                        last = missed.last!.sequence
                    }
                    for await item in stream {
                        switch item {
                        case .keepAlive: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        case .event(let event) where event.sequence > last:
                            try await writer.write(ByteBuffer(string: Self.frame(event)))
                            last = event.sequence
                        case .event: continue
                        }
                    }
                    try await writer.finish(nil)
                } onGracefulShutdown: {
                    hub.unsubscribe(id)
                }
                hub.unsubscribe(id)
            })
    }

    static func frame(_ event: PublicEvent) -> String {
        "id: \(event.sequence)\nevent: \(event.type)\ndata: \(event.data)\n\n"
    }

    // MARK: Helpers

    /// The body (up to the context's limit) and the idempotency claim of its key, if sent.
    static func body(_ request: Request, _ context: ServerContext, optional: Bool = false)
        async throws -> (bytes: [UInt8], claim: IdempotencyClaim?)
    {
        if !optional, let type = request.headers[.contentType],
            !type.lowercased().hasPrefix("application/json")
        {
            throw APIError.badRequest("Content-Type: send application/json, not \(type.prefix(60))")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.badRequest("the body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        let bytes = Array(buffer.readableBytesView)
        let keys = request.headers[values: .idempotencyKey]
        guard keys.count <= 1 else { throw APIError.badRequest("Idempotency-Key: send one, not \(keys.count)") }
        guard let key = keys.first else { return (bytes, nil) }
        let fingerprint = Array("\(request.method.rawValue) \(request.uri.path)\n".utf8) + bytes
        return (bytes, try map { try IdempotencyClaim(key: key, request: fingerprint) })
    }

    private func checkInWard(_ point: GeoPoint, field: String) throws(APIError) {
        guard let extent, !extent.contains(point) else { return }
        throw .badRequest(
            "\(field): \(point.longitude),\(point.latitude) is outside the ward's area (longitude "
                + "\(extent.minLongitude)…\(extent.maxLongitude), latitude \(extent.minLatitude)…\(extent.maxLatitude)); "
                + "positions are longitude first")
    }

    static func noParameters(_ request: Request) throws(APIError) {
        _ = try ItemsQuery.single(request.queryItems, allowed: [])
    }

    /// Runs `body`, turning the SDK's refusals into HTTP ones.
    static func map<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw apiError(error) }
    }

    static func mapAsync<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw apiError(error) }
    }

    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let error as OperationsError:
            switch error {
            case .invalid: return APIError.badRequest(error.description)
            case .forbidden(let text): return APIError.forbidden(text)
            case .notFound(let text): return APIError.notFound(text)
            case .conflict(let text): return APIError.conflict(text)
            case .keyReused: return APIError.cannotAnswer(error.description)
            }
        case let error as StoreError:
            if case .invalidRecord(_, let problems) = error {
                return APIError.badRequest(problems.joined(separator: "; "))
            }
            return error
        default: return error
        }
    }

    /// A file to save: `text` as `type`, offered under `filename`.
    static func download(_ text: String, type: String, filename: String, cacheControl: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: cacheControl,
                .contentDisposition: "attachment; filename=\"\(filename)\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status, replayed: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    static func statusJSON(_ status: ShelterStatus) -> JSONValue {
        .object(
            [
                ("facility", .string(status.facilityID)), ("state", .string(status.state.rawValue)),
                ("occupancy", status.occupancy.map { .number(Double($0)) } ?? .null),
            ] + status.reportProperties)
    }

    /// What headquarters sees: the feature with its author facility and review note, and for a
    /// published blocked road how many road segments it closed for routing (0 says the line or
    /// point lies more than 25 m from every road of the network, so routes do not avoid it).
    static func reviewJSON(_ report: DamageReport, closedRoads: Int? = nil) -> JSONValue {
        guard case .object(var pairs) = report.geoJSONFeature(), case .object(var properties)? = pairs.last?.value
        else {
            return report.geoJSONFeature()
        }
        properties.append(("received_at", .string(report.receivedAt.formatted(.iso8601))))
        properties.append(("author_facility", report.authorFacilityID.map(JSONValue.string) ?? .null))
        properties.append(("review_note", report.reviewNote.map(JSONValue.string) ?? .null))
        if let closedRoads { properties.append(("closed_road_segments", .number(Double(closedRoads)))) }
        pairs[pairs.count - 1] = ("properties", .object(properties))
        return .object(pairs)
    }

    /// What a reporter is told: its id, and that it is waiting (or not) for review.
    static func receiptJSON(_ report: DamageReport) -> JSONValue {
        .object([
            ("id", .string(report.id)), ("state", .string(report.state.rawValue)),
            ("received_at", .string(report.receivedAt.formatted(.iso8601))),
            (
                "message",
                .string(
                    report.state == .submitted
                        ? "Thank you. Headquarters will check the report before it is published."
                        : "Received. Headquarters will publish it once confirmed.")
            ),
        ])
    }

    static func tokenJSON(_ token: AccessToken) -> JSONValue {
        .object([
            ("id", .string(token.id)), ("role", .string(token.role.rawValue)),
            ("facility", token.facilityID.map(JSONValue.string) ?? .null), ("label", .string(token.label)),
            ("issued_at", .string(token.issuedAt.formatted(.iso8601))),
            ("revoked_at", token.revokedAt.map { .string($0.formatted(.iso8601)) } ?? .null),
        ])
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
