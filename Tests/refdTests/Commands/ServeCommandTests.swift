import Foundation
import SuginamiTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `refd serve` as an operator runs it: a process on 127.0.0.1, its settings from a file, the
/// environment and flags, stopped with SIGTERM; on an SQLite file and on a PostgreSQL database.
@Suite("refd serve")
struct ServeCommandTests {
    /// Starts `refd serve` with `arguments` (and `--port 0`) and waits for the URL it prints.
    static func start(_ arguments: [String], in directory: URL) async throws -> (process: Process, base: String) {
        try await Programs.serving(arguments, in: directory)
    }

    @Test("Routes avoid the no-go areas and closed roads it is given", arguments: StoreBackend.allCases)
    func noGoAreas(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 0)
        // From 阿佐ケ谷駅 the nearest centre is 杉並第一小学校; a fire around it closes its roads.
        let fire = directory.appendingPathComponent("fire.geojson")
        try Data(
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[139.6362,35.7058],[139.6376,35.7058],[139.6376,35.7070],[139.6362,35.7070],[139.6362,35.7058]]]}}]}"#
                .utf8
        ).write(to: fire)
        func destination(_ base: String) async throws -> String? {
            let url = try #require(URL(string: base + "/routes?from=139.6359,35.7048&lang=en"))
            let (body, _) = try await URLSession.shared.data(from: url)
            let feature = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            return ((feature?["properties"] as? [String: Any])?["destination"] as? [String: Any])?["name"] as? String
        }
        let open = try await Self.start(["--database", database], in: directory)
        defer { open.process.terminate() }
        #expect(try await destination(open.base) == "杉並第一小学校")
        let burning = try await Self.start(["--database", database, "--no-go", fire.path], in: directory)
        defer { burning.process.terminate() }
        let elsewhere = try await destination(burning.base)
        #expect(elsewhere != nil && elsewhere != "杉並第一小学校", "\(elsewhere ?? "no route")")
    }

    @Test(
        "Starts on a free port, prints the URL, serves, and stops gracefully on SIGTERM",
        arguments: StoreBackend.allCases)
    func serveAndStop(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 0)
        let configuration = directory.appendingPathComponent("refd.json")
        try Data(#"{"port": 0, "cache-max-age": 5}"#.utf8).write(to: configuration)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path("refd"))
        process.arguments = ["serve", "--config", configuration.path, "--database", database, "--log-level", "warning"]
        let outputFile = directory.appendingPathComponent("stdout.txt")
        try Data().write(to: outputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The one line on standard output is the URL.
        var text = ""
        let started = Date().addingTimeInterval(120)
        while !text.contains("\n"), process.isRunning, Date() < started {
            try await Task.sleep(for: .milliseconds(50))
            text = String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        }
        #expect(text.hasPrefix("serving http://127.0.0.1:"))
        let base = try #require(text.split(separator: " ").last.map { String($0.dropLast(2)) })
        let (body, response) = try await URLSession.shared.data(
            from: try #require(URL(string: base + "/collections/towns")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Cache-Control") == "public, max-age=5")
        #expect(String(decoding: body, as: UTF8.self).contains("\"id\":\"towns\""))
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }

    // One back end at a time: the two cases side by side held 20,000 descriptors of the test
    // process, every one its limit allows, and a server another test started then could not.
    @Test(
        "10,000 connections opened at once, half with a request cut short, then dropped: it keeps serving",
        .serialized, arguments: StoreBackend.allCases)
    func connectionFlood(_ backend: StoreBackend) async throws {
        let directory = try Programs.temporaryDirectory()
        let database = try await Programs.loadingDatabase(backend, in: directory, buildings: 0)
        let (process, base) = try await Self.start(["--database", database], in: directory)
        defer { if process.isRunning { process.terminate() } }
        let port = try #require(URL(string: base)?.port)
        let opened = try await blockingWork {
            var open: [LoopbackSocket] = []
            for index in 0..<10_000 {
                let connection = try LoopbackSocket(port: port)
                if index % 2 == 0 { try connection.send("GET /collections/towns/items?limit=") }
                open.append(connection)
            }
            return open.count  // and all closed here, mid-request for half of them
        }
        #expect(opened == 10_000)
        let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/healthz")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("ok"))
        // Bounded memory: what the connections took is given back, not kept.
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        let resident = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        let kilobytes = resident.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        #expect(kilobytes > 0 && kilobytes < 400_000, "resident \(kilobytes) kB")
        #expect(process.isRunning)
    }

    @Test("Bad settings are refused before anything starts, naming the source and the setting")
    func badSettings() throws {
        let directory = try Programs.temporaryDirectory()
        let file = directory.appendingPathComponent("refd.json")
        try Data(#"{"prot": 8080}"#.utf8).write(to: file)
        let cases: [([String], String)] = [
            (["--port", "80a"], "--port 80a is not a port"),
            (["--host", "example.com"], "example.com is not an IP address"),
            (["--config", file.path], "prot is not a setting"),
            (["--log-level", "loud"], "loud is not one of"),
            (["--simulation", directory.appendingPathComponent("no-run").path], "is not a directory"),
            (["--database", directory.appendingPathComponent("none.sqlite").path], "does not exist"),
        ]
        for (arguments, words) in cases {
            let result = try Programs.run("refd", ["serve"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
    }
}
