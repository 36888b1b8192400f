import Foundation
import SuginamiKit
import SuginamiTestSupport
import Testing

/// Several `refd serve` processes on one PostgreSQL database, as a ward runs them when one
/// machine is not enough: what one takes, the others serve within a second; a retry may reach
/// any of them; the audit log stays one chain; one of them killed loses nothing it acknowledged.
@Suite("Several daemons on one PostgreSQL", .serialized)
struct MultiInstanceTests {
    static let inWard = "[139.6359, 35.7048]"
    static let from = "139.6359,35.7048"

    struct Daemons {
        let url: String
        let store: any SuginamiDatabase
        let directory: URL
        var processes: [Process]
        var bases: [String]
        let headquarters: String
        let publicClient: String
    }

    /// The bundled data in a new database, tokens issued, and `count` daemons serving it.
    static func daemons(_ count: Int) async throws -> Daemons {
        let directory = try Programs.temporaryDirectory()
        let url = try await Programs.loadingDatabase(.postgres, in: directory, buildings: 300)
        let store = try await StoreBackend.postgres.open(url)
        let tool = Actor.localTool("test")
        let headquarters = try await store.issueToken(role: .headquarters, label: "本部", by: tool).secret
        let publicClient = try await store.issueToken(role: .public, label: "phone", by: tool).secret
        var processes: [Process] = []
        var bases: [String] = []
        for _ in 0..<count {
            let daemon = try await Programs.serving(
                ["--database", url, "--reports-per-minute", "100000"], in: directory)
            processes.append(daemon.process)
            bases.append(daemon.base)
        }
        return Daemons(
            url: url, store: store, directory: directory, processes: processes, bases: bases,
            headquarters: headquarters, publicClient: publicClient)
    }

    static func stop(_ daemons: Daemons) {
        for process in daemons.processes where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    static func destination(_ base: String) async throws -> String {
        let properties = try #require(
            try await HTTP.get("\(base)/routes?from=\(from)").json["properties"] as? [String: Any])
        return try #require((properties["destination"] as? [String: Any])?["facility_id"] as? String)
    }

    /// How long until `condition` holds, looking every 10 ms for at most `limit`.
    static func time(within limit: Duration, _ condition: () async throws -> Bool) async throws -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < limit {
            if try await condition() { return clock.now - start }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    @Test(
        "A status, a live event and a published closure taken by one daemon reach the other's routes and map within 1 s"
    )
    func changesReachEveryDaemon() async throws {
        let daemons = try await Self.daemons(2)
        defer { Self.stop(daemons) }
        let (first, second) = (daemons.bases[0], daemons.bases[1])
        // The second daemon's live stream is open before the first takes the change.
        let port = try #require(URLComponents(string: second)?.port)
        let stream = try LoopbackSocket(port: port)
        try stream.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        _ = try await blockingWork { stream.receive(until: "retry: 3000") }

        let nearest = try await Self.destination(second)
        #expect(try await Self.destination(first) == nearest)
        let closed = try await HTTP.send(
            "POST", "\(first)/centres/\(nearest)/status", token: daemons.headquarters,
            body: #"{"state":"closed","note":"建物点検中"}"#)
        #expect(closed.status == 200)
        let rerouted = try await Self.time(within: .seconds(1)) { try await Self.destination(second) != nearest }
        #expect(rerouted != nil, "the second daemon still routes to \(nearest) a second after the first closed it")
        let status = try await HTTP.get("\(second)/collections/relief_centre_status/items/\(nearest)")
        #expect(status.text.contains("\"state\":\"closed\""), "\(status.text)")
        let event = try await blockingWork { stream.receive(until: "建物点検中") }
        #expect(event.contains("event: status") && event.contains(nearest))

        // A blocked road headquarters publishes at the first closes the second's roads and is on
        // its map (the route is asked from a point whose route does not lead to the closed centre).
        let start = "139.6280,35.6950"
        func route(_ base: String) async throws -> [[Double]] {
            let answer = try await HTTP.get("\(base)/routes?from=\(start)")
            return try #require((try answer.json["geometry"] as? [String: Any])?["coordinates"] as? [[Double]])
        }
        let before = try await route(second)
        try #require(before.count >= 4)
        let road = before[1...3].map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
        let published = try await HTTP.send(
            "POST", "\(first)/reports", token: daemons.headquarters,
            body: #"{"kind":"road_blocked","road":[\#(road)],"text":"倒木","publish":true}"#)
        #expect(published.status == 201, "\(published.text)")
        let id = try #require(try published.json["id"] as? String)
        let shown = try await Self.time(within: .seconds(1)) {
            try await HTTP.get("\(second)/collections/damage_reports/items/\(id)").status == 200
        }
        #expect(shown != nil, "report \(id) is not on the second daemon's map a second after it was published")
        let avoided = try await Self.time(within: .seconds(1)) { try await route(second) != before }
        #expect(avoided != nil, "the second daemon still routes over the road the first closed")
        print(
            "multi-instance: a status reached the other daemon's routes in \(rerouted ?? .zero), a published "
                + "blocked road its map in \(shown ?? .zero) and its routes in \(avoided ?? .zero)")
    }

    @Test("A retry sent to another daemon gets the first answer; the audit log stays one chain")
    func keysAndAuditAcrossDaemons() async throws {
        let daemons = try await Self.daemons(2)
        defer { Self.stop(daemons) }
        let body = #"{"kind":"collapse","position":\#(Self.inWard),"text":"家屋倒壊"}"#
        let key = UUID().uuidString
        let taken = try await HTTP.send(
            "POST", "\(daemons.bases[0])/reports", token: daemons.publicClient, body: body,
            headers: ["Idempotency-Key": key])
        #expect(taken.status == 201)
        let retried = try await HTTP.send(
            "POST", "\(daemons.bases[1])/reports", token: daemons.publicClient, body: body,
            headers: ["Idempotency-Key": key])
        #expect(retried.status == 201 && retried.body == taken.body)
        #expect(retried.header("Idempotent-Replayed") == "true")
        // Writes through both at once: one chain, numbered without a gap.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await HTTP.send(
                        "POST", "\(daemons.bases[index % 2])/reports", token: daemons.publicClient, body: body
                    ).status
                }
            }
            for try await status in group { #expect(status == 201) }
        }
        let entries = try await daemons.store.auditEntries()
        #expect(entries.map(\.sequence) == Array(1...Int64(entries.count)))
        #expect(try await daemons.store.verifyAuditLog().isIntact)
        #expect(try await daemons.store.reports().count == 41)
        let verified = try await Programs.running("refd", ["audit", "verify", "--database", daemons.url])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }

    @Test("One daemon killed mid-load: the other keeps answering, and every acknowledged report is stored")
    func killOneMidLoad() async throws {
        let daemons = try await Self.daemons(2)
        defer { Self.stop(daemons) }
        let acknowledged = IDs()
        let survivorFailures = IDs()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for daemon in 0..<2 {
                group.addTask {
                    for index in 0..<60 {
                        let body = #"{"kind":"fire","position":\#(Self.inWard),"text":"煙 \#(daemon)-\#(index)"}"#
                        do {
                            let answer = try await HTTP.send(
                                "POST", "\(daemons.bases[daemon])/reports", token: daemons.publicClient, body: body)
                            if answer.status == 201, let id = try answer.json["id"] as? String {
                                acknowledged.add(id)
                            } else if daemon == 1 {
                                survivorFailures.add("\(answer.status)")
                            }
                        } catch {
                            if daemon == 1 { survivorFailures.add("\(error)") }
                        }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(150))
                kill(daemons.processes[0].processIdentifier, SIGKILL)
            }
            try await group.waitForAll()
        }
        daemons.processes[0].waitUntilExit()
        #expect(daemons.processes[0].terminationReason == .uncaughtSignal)
        #expect(survivorFailures.all.isEmpty, "the surviving daemon failed: \(survivorFailures.all.prefix(3))")
        let stored = Set(try await daemons.store.reports().map(\.id))
        let lost = acknowledged.all.filter { !stored.contains($0) }
        #expect(acknowledged.all.count >= 60 && lost.isEmpty, "\(lost.count) acknowledged reports lost")
        #expect(try await daemons.store.verifyAuditLog().isIntact)
    }
}

/// Strings gathered from concurrent tasks.
final class IDs: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ value: String) { lock.withLock { values.append(value) } }

    var all: [String] { lock.withLock { values } }
}
