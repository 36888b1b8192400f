import Benchmark
import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The operations targets, end to end over HTTP on 127.0.0.1 against an in-process
/// `refd serve` on the bundled data (target: ≤ 1 s each): from the moment headquarters sends a
/// closure (or a status) to the moment a resident's `/routes` answer reflects it. One iteration
/// is one publish (or status) and the first route asked after its acknowledgement; the closure
/// is then withdrawn (the centre reopened) outside the measurement.
func operationsBenchmarks(dataset: SuginamiDataset) {
    Benchmark(
        "Operations: a blocked road headquarters publishes → the next /routes answer avoids it (HTTP, loopback)",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(5))
    ) { benchmark in
        let daemon = try await OperationsDaemon.shared.started(dataset: dataset)
        let before = try await daemon.route()
        // The stretch over the route's first streets.
        let road = before.points[1...3].map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            let id = try require(
                try await daemon.send(
                    "POST", "/reports", #"{"kind":"road_blocked","road":[\#(road)],"publish":true}"#))
            let after = try await daemon.route()
            benchmark.stopMeasurement()
            guard after.closures.contains(id), after.points != before.points else {
                fatalError("the route did not change after the closure \(id)")
            }
            try await daemon.send("POST", "/reports/\(id)/withdraw", nil)
        }
    }
    Benchmark(
        "Operations: a relief centre headquarters closes → the next /routes answer goes elsewhere (HTTP, loopback)",
        configuration: .init(metrics: [.wallClock], maxDuration: .seconds(5))
    ) { benchmark in
        let daemon = try await OperationsDaemon.shared.started(dataset: dataset)
        let before = try await daemon.route()
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            try await daemon.send("POST", "/centres/\(before.centre)/status", #"{"state":"closed"}"#)
            let after = try await daemon.route()
            benchmark.stopMeasurement()
            guard after.centre != before.centre else { fatalError("the route still goes to the closed centre") }
            try await daemon.send("POST", "/centres/\(before.centre)/status", #"{"state":"open"}"#)
        }
    }
}

private struct BenchmarkFailure: Error { let description: String }

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw BenchmarkFailure(description: "missing value") }
    return value
}

/// A daemon over a fresh store of the bundled data, with a headquarters token.
private actor OperationsDaemon {
    static let shared = OperationsDaemon()
    private var base: String?
    private var token = ""
    private let session = URLSession(configuration: .ephemeral)
    static let from = "139.6359,35.7048"

    func started(dataset: SuginamiDataset) async throws -> OperationsDaemon {
        if base != nil { return self }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("refd-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SuginamiStore(path: directory.appendingPathComponent("store.sqlite").path)
        try await store.write { transaction in
            try transaction.save(dataset.towns)
            try transaction.save(dataset.facilities)
        }
        token = try await store.issueToken(role: .headquarters, label: "benchmark", by: .localTool("benchmark")).secret
        let routing = try await ReliefCentreRouting(store: store, network: try RoadNetwork.load(.bundledSynthetic))
        let catalogue = try await FeatureCatalogue.build(store: store, routing: await routing.snapshot)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .error
        let server = ReferenceServer(configuration: configuration, store: store, catalogue: catalogue, routing: routing)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        Task { try await server.run(gracefulShutdownSignals: []) { continuation.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        base = await iterator.next()
        return self
    }

    /// Sends a request; returns the answer's `id`, if it has one.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: String?) async throws -> String? {
        try await object(method, path, body)["id"] as? String
    }

    private func object(_ method: String, _ path: String, _ body: String?) async throws -> [String: Any] {
        var request = URLRequest(url: try require(URL(string: try require(base) + path)))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await session.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw BenchmarkFailure(description: "\(method) \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return try require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func route() async throws -> (points: [[Double]], closures: [String], centre: String) {
        let feature = try await object("GET", "/routes?from=\(Self.from)", nil)
        let properties = try require(feature["properties"] as? [String: Any])
        let basis = try require(properties["basis"] as? [String: Any])
        return (
            try require((feature["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]),
            try require(basis["closures"] as? [String]),
            try require((properties["destination"] as? [String: Any])?["facility_id"] as? String)
        )
    }
}
