import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The operations API as its users meet it, over a socket: relief-centre staff, headquarters,
/// residents and the ward's admin, each with their own token.
@Suite("Disaster operations", .serialized)
struct OperationsTests {
    typealias Fixture = OperationsFixture

    /// A position in the ward, longitude first (near 阿佐ケ谷駅).
    static let inWard = "[139.6359, 35.7048]"

    /// Submits a report through the store, as the public would, and returns its id: the
    /// target of one call of the matrix.
    static func freshReport(_ served: Fixture.Served) async throws -> String {
        let report = DamageReport(
            id: "", kind: .fire, position: try GeoPoint(latitude: 35.7048, longitude: 139.6359), observedAt: Date(),
            receivedAt: Date(), text: "smoke", authorRole: .public, state: .submitted)
        let principal = Principal(tokenID: "tok_test", role: .public, label: "test")
        return try await served.store.submit(report, by: .principal(principal, from: "127.0.0.1")).value.id
    }

    @Test(
        "Every role on every endpoint gets the status the access rules give (the role × endpoint table)",
        arguments: StoreBackend.allCases)
    func roleMatrix(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let tokens = served.tokens
        let roles: [(name: String, token: String?)] = [
            ("none", nil), ("revoked", tokens.revoked), ("public", tokens.publicClient), ("staff A", tokens.staffA),
            ("staff B", tokens.staffB), ("headquarters", tokens.headquarters), ("admin", tokens.admin),
        ]
        let base = served.base
        let centre = "\(base)/centres/\(Fixture.centreA)/status"
        let rows: [EndpointExpectation] = [
            EndpointExpectation("POST /centres/A/status", [401, 401, 403, 200, 403, 200, 403]) {
                try await HTTP.send("POST", centre, token: $0, body: #"{"state":"open","occupancy":10}"#)
            },
            EndpointExpectation("GET /centres/A/status", [401, 401, 403, 200, 403, 200, 403]) {
                try await HTTP.send("GET", centre, token: $0)
            },
            EndpointExpectation("POST /reports", [401, 401, 201, 201, 201, 201, 403]) {
                try await HTTP.send(
                    "POST", "\(base)/reports", token: $0, body: #"{"kind":"other","position":\#(Self.inWard)}"#)
            },
            EndpointExpectation("GET /reports", [401, 401, 403, 403, 403, 200, 403]) {
                try await HTTP.send("GET", "\(base)/reports", token: $0)
            },
            EndpointExpectation("GET /reports/{unpublished}", [404, 401, 404, 404, 404, 200, 404]) { token in
                try await HTTP.send("GET", "\(base)/reports/\(try await Self.freshReport(served))", token: token)
            },
            EndpointExpectation("POST /reports/{id}/verify", [401, 401, 403, 403, 403, 200, 403]) { token in
                try await HTTP.send(
                    "POST", "\(base)/reports/\(try await Self.freshReport(served))/verify", token: token)
            },
            EndpointExpectation("POST /tokens", [401, 401, 403, 403, 403, 403, 201]) {
                try await HTTP.send("POST", "\(base)/tokens", token: $0, body: #"{"role":"public","label":"kiosk"}"#)
            },
            EndpointExpectation("GET /tokens", [401, 401, 403, 403, 403, 403, 200]) {
                try await HTTP.send("GET", "\(base)/tokens", token: $0)
            },
            EndpointExpectation("DELETE /tokens/{id}", [401, 401, 403, 403, 403, 403, 200]) { token in
                let spare = try await served.store.issueToken(role: .public, label: "spare", by: .localTool("test"))
                return try await HTTP.send("DELETE", "\(base)/tokens/\(spare.token.id)", token: token)
            },
            EndpointExpectation("GET /audit/head", [401, 401, 403, 403, 403, 200, 200]) {
                try await HTTP.send("GET", "\(base)/audit/head", token: $0)
            },
        ]
        let mismatches = try await EndpointExpectation.mismatches(rows, roles: roles) { endpoint, answer in
            if answer.status == 401 {
                #expect(answer.header("WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(endpoint)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(rows.count * roles.count == 70)
    }

    @Test(
        "A staff token changes its own centre only; unknown centres and reports are 404",
        arguments: StoreBackend.allCases)
    func staffBoundToCentre(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let other = try await HTTP.send(
            "POST", "\(base)/centres/\(Fixture.centreB)/status", token: served.tokens.staffA, body: #"{"state":"full"}"#
        )
        #expect(other.status == 403)
        #expect(other.text.contains("bound to \(Fixture.centreA)"))
        let unknown = try await HTTP.send(
            "POST", "\(base)/centres/NO-SUCH-CENTRE/status", token: served.tokens.headquarters,
            body: #"{"state":"open"}"#)
        #expect(unknown.status == 404)
        let noReport = try await HTTP.send(
            "POST", "\(base)/reports/rep_0000000000000000/verify", token: served.tokens.headquarters)
        #expect(noReport.status == 404)
        // The status reached the store with the staff's label, and the audit log names the token.
        let ok = try await HTTP.send(
            "POST", "\(base)/centres/\(Fixture.centreA)/status", token: served.tokens.staffA,
            body: #"{"state":"open","occupancy":120,"needs":{"water":true,"interpreters":true},"note":"給水車を"}"#)
        #expect(ok.status == 200, "\(ok.text)")
        let latest = try #require(try await served.store.currentStatuses()[Fixture.centreA])
        #expect(latest.occupancy == 120 && latest.needs.water && latest.needs.interpreters && !latest.needs.food)
        let entries = try await served.store.auditEntries()
        #expect(entries.last?.payload.contains("\"action\":\"status.record\"") == true)
        #expect(entries.last?.payload.contains("\"role\":\"staff\"") == true)
        #expect(try await served.store.verifyAuditLog().isIntact)
    }

    @Test("Bad bodies are refused, naming the field and why; nothing is written", arguments: StoreBackend.allCases)
    func strictInput(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let url = "\(served.base)/centres/\(Fixture.centreA)/status"
        let before = try await served.store.statusHistory(of: Fixture.centreA).count
        let cases: [(body: String, says: String)] = [
            (#"{"state":"open","ocupancy":3}"#, "unknown field ocupancy"),
            (#"{"state":"open",}"#, "not valid JSON"),
            (#"{"state":"open","state":"full"}"#, "appears twice"),
            (#"{"state":"ajar"}"#, "state: ajar is not one of open, closed, full"),
            (#"{"state":"open","occupancy":-1}"#, "occupancy: must be a whole number from 0"),
            (#"{"state":"open","occupancy":1.5}"#, "occupancy: must be a whole number"),
            (#"{"state":"open","needs":{"water":"yes"}}"#, "needs.water: must be true or false"),
            (#"{"state":"open","needs":{"fuel":true}}"#, "needs: unknown field fuel"),
            (#"{"occupancy":3}"#, "state: is required"),
            (#"["open"]"#, "must be a JSON object"),
            ("", "needs a JSON object"),
            (#"{"state":"open","note":"\#(String(repeating: "x", count: 1_001))"}"#, "note: has 1001 characters"),
        ]
        for (body, says) in cases {
            let answer = try await HTTP.send("POST", url, token: served.tokens.headquarters, body: body)
            #expect(answer.status == 400, "\(body.prefix(60)): \(answer.status)")
            #expect(answer.text.contains(says), "\(body.prefix(60)): \(answer.text)")
        }
        let tooLarge = try await HTTP.send(
            "POST", url, token: served.tokens.headquarters,
            body: #"{"state":"open","note":"\#(String(repeating: "x", count: 70_000))"}"#)
        #expect(tooLarge.status == 400 || tooLarge.status == 413, "\(tooLarge.status)")
        let form = try await HTTP.send(
            "POST", url, token: served.tokens.headquarters, body: "state=open",
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(form.status == 400 && form.text.contains("application/json"))
        // Positions: outside the ward, swapped, or not a pair.
        for (position, says) in [
            ("[139.40, 35.20]", "outside the ward"), ("[35.7048, 139.6359]", "latitude 139.6359 is out of range"),
            ("[139.6]", "must be [longitude, latitude]"), (#""139.6,35.7""#, "must be [longitude, latitude]"),
        ] {
            let answer = try await HTTP.send(
                "POST", "\(served.base)/reports", token: served.tokens.headquarters,
                body: #"{"kind":"fire","position":\#(position)}"#)
            #expect(answer.status == 400, "\(position): \(answer.text)")
            #expect(answer.text.contains(says), "\(position): \(answer.text)")
        }
        #expect(try await served.store.statusHistory(of: Fixture.centreA).count == before)
        let badKey = try await HTTP.send(
            "POST", url, token: served.tokens.headquarters, body: #"{"state":"open"}"#,
            headers: ["Idempotency-Key": "has space"])
        #expect(badKey.status == 400 && badKey.text.contains("Idempotency-Key"))
    }

    @Test(
        "A retry with the same Idempotency-Key counts once and gets the first answer; another body gets 422",
        arguments: StoreBackend.allCases)
    func idempotentRetries(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let url = "\(served.base)/reports"
        let body = #"{"kind":"collapse","position":\#(Self.inWard),"text":"家屋倒壊"}"#
        let key = UUID().uuidString
        let before = try await served.store.reports().count
        let first = try await HTTP.send(
            "POST", url, token: served.tokens.staffA, body: body, headers: ["Idempotency-Key": "\"\(key)\""])
        #expect(first.status == 201)
        // A phone on a flaky link sends it again, several times at once.
        let retries = try await withThrowingTaskGroup(of: HTTP.Answer.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await HTTP.send(
                        "POST", url, token: served.tokens.staffA, body: body, headers: ["Idempotency-Key": key])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for retry in retries {
            #expect(retry.status == 201)
            #expect(retry.body == first.body)
            #expect(retry.header("Idempotent-Replayed") == "true")
        }
        #expect(try await served.store.reports().count == before + 1)
        let changed = try await HTTP.send(
            "POST", url, token: served.tokens.staffA, body: #"{"kind":"fire","position":\#(Self.inWard)}"#,
            headers: ["Idempotency-Key": key])
        #expect(changed.status == 422)
        // Keys belong to their token: another client's same key is a new request.
        let other = try await HTTP.send(
            "POST", url, token: served.tokens.staffB, body: body, headers: ["Idempotency-Key": key])
        #expect(other.status == 201 && other.header("Idempotent-Replayed") == nil)
        #expect(try await served.store.reports().count == before + 2)
    }

    @Test(
        "Reports go submitted → verified → published; a published blocked road reroutes at once, and withdrawing it restores the route",
        arguments: StoreBackend.allCases)
    func closureReroutes(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let from = "139.6359,35.7048"
        func route() async throws -> (points: [[Double]], properties: [String: Any]) {
            let answer = try await HTTP.get("\(base)/routes?from=\(from)")
            #expect(answer.status == 200, "\(answer.text)")
            let feature = try answer.json
            let points = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [[Double]])
            return (points, try #require(feature["properties"] as? [String: Any]))
        }
        let before = try await route()
        #expect(before.points.count >= 4)
        // Headquarters draws the blocked stretch over the first streets of the route.
        let road = before.points[1...3].map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
        let drawn = try await HTTP.send(
            "POST", "\(base)/reports", token: served.tokens.headquarters,
            body: #"{"kind":"road_blocked","road":[\#(road)],"text":"倒壊家屋で通行不能"}"#)
        #expect(drawn.status == 201, "\(drawn.text)")
        let id = try #require(try drawn.json["id"] as? String)
        // Verified (HQ's own report) but not published: routes do not change yet.
        #expect(try await route().points == before.points)
        let published = try await HTTP.send("POST", "\(base)/reports/\(id)/publish", token: served.tokens.headquarters)
        #expect(published.status == 200, "\(published.text)")
        let after = try await route()
        // The first route asked after the acknowledgement already avoids it: no waiting (the
        // time this takes is the "Operations:" benchmark's, not this test's).
        let closedSegments = (try published.json["properties"] as? [String: Any])?["closed_road_segments"] as? Double
        #expect((closedSegments ?? 0) >= 1, "\(published.text)")
        let basis = try #require(after.properties["basis"] as? [String: Any])
        #expect((basis["closures"] as? [String])?.contains(id) == true)
        #expect(after.points != before.points)
        // Open data: the report is in the collection, without its author facility or note.
        let items = try await HTTP.get("\(base)/collections/damage_reports/items/\(id)")
        #expect(items.status == 200)
        #expect(!items.text.contains("review_note"))
        // Withdrawn (the road was cleared): the route is the first one again.
        let withdrawn = try await HTTP.send(
            "POST", "\(base)/reports/\(id)/withdraw", token: served.tokens.headquarters,
            body: #"{"note":"撤去完了"}"#)
        #expect(withdrawn.status == 200)
        #expect(try await route().points == before.points)
        #expect(try await HTTP.get("\(base)/collections/damage_reports/items/\(id)").status == 404)
        // A decision that does not apply to the state is a conflict, not a change.
        let again = try await HTTP.send("POST", "\(base)/reports/\(id)/publish", token: served.tokens.headquarters)
        #expect(again.status == 409)
    }

    @Test(
        "A centre headquarters closes leaves the shelter tree at once; the route says which status it used",
        arguments: StoreBackend.allCases)
    func statusReroutes(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let from = "139.6359,35.7048"
        func destination() async throws -> (id: String, basis: [String: Any]) {
            let properties = try #require(
                try await HTTP.get("\(base)/routes?from=\(from)").json["properties"] as? [String: Any])
            let id = try #require((properties["destination"] as? [String: Any])?["facility_id"] as? String)
            return (id, try #require(properties["basis"] as? [String: Any]))
        }
        let nearest = try await destination()
        let closed = try await HTTP.send(
            "POST", "\(base)/centres/\(nearest.id)/status", token: served.tokens.headquarters,
            body: #"{"state":"closed","note":"建物点検中"}"#)
        #expect(closed.status == 200)
        let next = try await destination()
        #expect(next.id != nearest.id)
        #expect((next.basis["revision"] as? Double ?? 0) > (nearest.basis["revision"] as? Double ?? 0))
        let status = try await HTTP.get("\(base)/collections/relief_centre_status/items/\(nearest.id)")
        #expect(status.text.contains("\"state\":\"closed\""))
        let reopened = try await HTTP.send(
            "POST", "\(base)/centres/\(nearest.id)/status", token: served.tokens.headquarters,
            body: #"{"state":"open"}"#)
        #expect(reopened.status == 200)
        #expect(try await destination().id == nearest.id)
    }

    @Test(
        "The live stream sends each published change with its number, and replays what a client missed",
        arguments: StoreBackend.allCases)
    func liveStream(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let port = try #require(URLComponents(string: served.base)?.port)
        let last = try await served.store.lastPublicEvent()
        let socket = try LoopbackSocket(port: port)
        try socket.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        let opening = try await blockingWork { socket.receive(until: "retry: 3000") }
        #expect(opening.contains("text/event-stream"))
        let update = try await HTTP.send(
            "POST", "\(served.base)/centres/\(Fixture.centreB)/status", token: served.tokens.staffB,
            body: #"{"state":"full","occupancy":900}"#)
        #expect(update.status == 200)
        let event = try await blockingWork { socket.receive(until: "\"occupancy\":900") }
        #expect(event.contains("id: \(last + 1)\nevent: status\ndata: {"))
        #expect(event.contains(Fixture.centreB))
        // A client that was away reconnects with the last id it saw and gets the rest.
        let replay = try LoopbackSocket(port: port)
        try replay.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: \(last)\r\n\r\n")
        let missed = try await blockingWork { replay.receive(until: "\"occupancy\":900") }
        #expect(missed.contains("id: \(last + 1)\n"))
        let bad = try await HTTP.get("\(served.base)/events", headers: ["Last-Event-ID": "yesterday"])
        #expect(bad.status == 400)
    }

    @Test(
        "A revoked token stops at once; a public client past its rate gets 429 with Retry-After",
        arguments: StoreBackend.allCases)
    func revocationAndRateLimit(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let issued = try await HTTP.send(
            "POST", "\(served.base)/tokens", token: served.tokens.admin,
            body: #"{"role":"staff","facility":"\#(Fixture.centreB)","label":"temporary helper"}"#)
        #expect(issued.status == 201)
        let secret = try #require(try issued.json["token"] as? String)
        let id = try #require(try issued.json["id"] as? String)
        #expect(!(try await served.store.tokens().map(\.id).isEmpty))
        let use = { try await HTTP.send("GET", "\(served.base)/centres/\(Fixture.centreB)/status", token: secret) }
        #expect(try await use().status == 200)
        #expect(try await HTTP.send("DELETE", "\(served.base)/tokens/\(id)", token: served.tokens.admin).status == 200)
        let refused = try await use()
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate")?.contains("invalid_token") == true)
        // The secret is stored only as its digest.
        #expect(!(try await served.store.tokens().contains { "\($0)".contains(secret) }))
        var statuses: [Int] = []
        var retryAfter: String?
        for index in 0..<12 {
            let answer = try await HTTP.send(
                "POST", "\(served.base)/reports", token: served.tokens.otherPublicClient,
                body: #"{"kind":"other","position":\#(Self.inWard),"text":"\#(index)"}"#)
            statuses.append(answer.status)
            if answer.status == 429 { retryAfter = answer.header("Retry-After") }
        }
        #expect(statuses.prefix(10).allSatisfy { $0 == 201 }, "\(statuses)")
        #expect(statuses.last == 429)
        #expect(Int(retryAfter ?? "") ?? 0 >= 1)
    }

    @Test(
        "Open data: the centres' status and the published reports as 自治体標準-style CSV", arguments: StoreBackend.allCases)
    func openDataCSV(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let full = try await HTTP.send(
            "POST", "\(base)/centres/\(Fixture.centreB)/status", token: served.tokens.staffB,
            body: #"{"state":"full","occupancy":1200,"needs":{"water":true,"power":true,"other":"=毛布"}}"#)
        #expect(full.status == 200)
        let status = try await HTTP.get("\(base)/open-data/relief_centre_status.csv")
        #expect(status.status == 200 && status.header("Content-Type") == "text/csv; charset=utf-8")
        let lines = status.text.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.first?.hasPrefix("全国地方公共団体コード,ID,名称,緯度,経度,開設状況,避難者数") == true)
        #expect(lines.count == 1 + 65)
        let row = try #require(lines.first { $0.contains(Fixture.centreB) })
        #expect(row.hasPrefix("131156,\(Fixture.centreB),"))
        #expect(row.contains(",満員,1200,") && row.contains(",満,") && row.contains("飲料水;電源;=毛布"))
        let published = try await HTTP.send(
            "POST", "\(base)/reports", token: served.tokens.headquarters,
            body: #"{"kind":"flooding","position":\#(Self.inWard),"text":"道路冠水 30 cm","publish":true}"#)
        #expect(published.status == 201)
        let reports = try await HTTP.get("\(base)/open-data/damage_reports.csv")
        #expect(reports.text.hasPrefix("全国地方公共団体コード,ID,種別,緯度,経度,道路の線形,確認日時,発生日時,内容,報告者区分"))
        #expect(reports.text.contains(",浸水,35.7048,139.6359,,") && reports.text.contains("道路冠水 30 cm,災害対策本部"))
        // A cell a spreadsheet would run as a formula is written behind an apostrophe.
        let formula = try await HTTP.send(
            "POST", "\(base)/reports", token: served.tokens.headquarters,
            body: #"{"kind":"other","position":\#(Self.inWard),"text":"=HYPERLINK(\"x\")","publish":true}"#)
        #expect(formula.status == 201)
        #expect(try await HTTP.get("\(base)/open-data/damage_reports.csv").text.contains(#","'=HYPERLINK(""x"")","#))
        #expect(try await HTTP.get("\(base)/open-data/secrets.csv").status == 404)
        #expect(OperationsOpenData.congestion(state: .open, occupancy: 90, capacity: 100) == "混雑")
        #expect(OperationsOpenData.congestion(state: .open, occupancy: 45, capacity: 100) == "やや混雑")
        #expect(OperationsOpenData.congestion(state: .closed, occupancy: 0, capacity: 100) == "利用停止中")
    }

    @Test(
        "A report's photo: its author adds it, the public sees it only once published and without its location",
        arguments: StoreBackend.allCases)
    func photos(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        let jpeg = try Data(
            contentsOf: Programs.repositoryRoot.appendingPathComponent("Tests/Clients/photos/with-gps.jpg"))
        func put(_ id: String, _ token: String, _ bytes: Data, type: String = "image/jpeg") async throws -> HTTP.Answer
        {
            var request = URLRequest(url: try #require(URL(string: "\(base)/reports/\(id)/photo")))
            request.httpMethod = "PUT"
            request.httpBody = bytes
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue(type, forHTTPHeaderField: "Content-Type")
            let (data, response) = try await HTTP.session.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            return HTTP.Answer(status: http.statusCode, headers: [:], body: data)
        }
        let submitted = try await HTTP.send(
            "POST", "\(base)/reports", token: served.tokens.publicClient,
            body: #"{"kind":"collapse","position":\#(Self.inWard),"text":"写真あり"}"#)
        let id = try #require(try submitted.json["id"] as? String)
        #expect(try await put(id, served.tokens.otherPublicClient, jpeg).status == 403)
        #expect(try await put(id, served.tokens.publicClient, Data("not an image".utf8)).status == 400)
        #expect(try await put(id, served.tokens.publicClient, jpeg, type: "image/gif").status == 400)
        let added = try await put(id, served.tokens.publicClient, jpeg)
        #expect(added.status == 201, "\(added.text)")
        #expect(try await put(id, served.tokens.publicClient, jpeg).status == 409)
        // Not published yet: nobody but headquarters sees it.
        #expect(try await HTTP.get("\(base)/reports/\(id)/photo").status == 404)
        let original = try await HTTP.send(
            "GET", "\(base)/reports/\(id)/photo?original=true", token: served.tokens.headquarters)
        #expect(original.status == 200 && original.body == jpeg)
        #expect(
            try await HTTP.send("GET", "\(base)/reports/\(id)/photo?original=true", token: served.tokens.staffA).status
                == 404)
        #expect(
            try await HTTP.send("POST", "\(base)/reports/\(id)/verify", token: served.tokens.headquarters).status == 200
        )
        #expect(
            try await HTTP.send("POST", "\(base)/reports/\(id)/publish", token: served.tokens.headquarters).status
                == 200)
        let published = try await HTTP.get("\(base)/reports/\(id)/photo")
        #expect(published.status == 200)
        #expect(published.header("Content-Type") == "image/jpeg")
        #expect(published.header("X-Content-Type-Options") == "nosniff")
        #expect(published.body.count < jpeg.count)
        #expect(!published.text.contains("TestPhone"))
        #expect(
            try await HTTP.send("GET", "\(base)/reports/\(id)/photo?original=true", token: served.tokens.publicClient)
                .status == 403)
        let feature = try await HTTP.get("\(base)/collections/damage_reports/items/\(id)")
        #expect(feature.text.contains("\"photo\":\"reports/\(id)/photo\""))
    }

    @Test(
        "Stranded commuters: for=stranded routes to the nearest open temporary stay facility, whose staff report as a centre's do",
        arguments: StoreBackend.allCases)
    func strandedCommuters(_ backend: StoreBackend) async throws {
        let served = try await Fixture.shared(backend).served()
        let base = served.base
        func destination() async throws -> String? {
            let answer = try await HTTP.get("\(base)/routes?from=139.6359,35.7048&for=stranded&lang=en")
            #expect(answer.status == 200, "\(answer.text)")
            let properties = try answer.json["properties"] as? [String: Any]
            return (properties?["destination"] as? [String: Any])?["facility_id"] as? String
        }
        #expect(try await destination() == Fixture.stayNear)
        // Residents still go to relief centres.
        let resident = try await HTTP.get("\(base)/routes?from=139.6359,35.7048")
        #expect(resident.text.contains("RC-"))
        #expect(try await HTTP.get("\(base)/routes?from=139.6359,35.7048&for=tourist").status == 400)
        let full = try await HTTP.send(
            "POST", "\(base)/centres/\(Fixture.stayNear)/status", token: served.tokens.stayStaff,
            body: #"{"state":"full","occupancy":300}"#)
        #expect(full.status == 200, "\(full.text)")
        #expect(try await destination() == Fixture.stayFar)
        let status = try await HTTP.get("\(base)/collections/temporary_stay_facility_status/items/\(Fixture.stayNear)")
        #expect(status.text.contains("\"state\":\"full\""))
        #expect(
            try await HTTP.send(
                "POST", "\(base)/centres/\(Fixture.centreA)/status", token: served.tokens.stayStaff,
                body: #"{"state":"open"}"#
            ).status == 403)
        let reopened = try await HTTP.send(
            "POST", "\(base)/centres/\(Fixture.stayNear)/status", token: served.tokens.stayStaff,
            body: #"{"state":"open","occupancy":10}"#)
        #expect(reopened.status == 200)
        #expect(try await destination() == Fixture.stayNear)
    }
}
