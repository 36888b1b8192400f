import Foundation
import SuginamiTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `refd serve` as an operator runs it: a process on 127.0.0.1, its settings from a file, the
/// environment and flags, stopped with SIGTERM.
@Suite("refd serve")
struct ServeCommandTests {
    @Test("Starts on a free port, prints the URL, serves, and stops gracefully on SIGTERM")
    func serveAndStop() async throws {
        let directory = try Programs.temporaryDirectory()
        let database = try Programs.loadedDatabase(in: directory, buildings: 0)
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

    @Test("10,000 connections opened at once, half with a request cut short, then dropped: it keeps serving")
    func connectionFlood() async throws {
        let directory = try Programs.temporaryDirectory()
        let database = try Programs.loadedDatabase(in: directory, buildings: 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path("refd"))
        process.arguments = ["serve", "--database", database, "--port", "0", "--log-level", "error"]
        let outputFile = directory.appendingPathComponent("stdout.txt")
        try Data().write(to: outputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        let started = Date().addingTimeInterval(120)
        while !text.contains("\n"), process.isRunning, Date() < started {
            try await Task.sleep(for: .milliseconds(50))
            text = String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        }
        let base = try #require(text.split(separator: " ").last.map { String($0.dropLast(2)) })
        let port = try #require(URL(string: base)?.port)
        let opened = try await blockingWork {
            var open: [LoopbackSocket] = []
            for index in 0..<10_000 {
                let connection = try LoopbackSocket(port: port)
                if index % 2 == 0 { try connection.send("GET /collections/towns/items?limit=") }
                open.append(connection)
            }
            return open.count  // and closed as they go, mid-request for half of them
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
