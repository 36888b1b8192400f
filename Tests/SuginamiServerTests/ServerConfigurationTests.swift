import Foundation
import SuginamiServer
import SuginamiTestSupport
import Testing

@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test("Defaults bind 127.0.0.1:8080; file, environment and flags override in that order")
    func layers() throws {
        let defaults = try ServerConfiguration.resolve(file: nil, environment: ["PATH": "/bin"], flags: [:])
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 8080)
        #expect(defaults.base(boundPort: 8080) == "http://127.0.0.1:8080")
        let file = try Programs.temporaryDirectory().appendingPathComponent("refd.json")
        try Data(#"{"port": 9000, "database": "file.sqlite", "cache-max-age": 30, "log-level": "debug"}"#.utf8).write(
            to: file)
        let layered = try ServerConfiguration.resolve(
            file: file, environment: ["REFD_PORT": "9001", "REFD_CACHE_MAX_AGE": "10"], flags: ["port": "9002"])
        #expect(layered.port == 9002)
        #expect(layered.cacheMaxAge == 10)
        #expect(layered.database == "file.sqlite")
        #expect(layered.logLevel == .debug)
        let proxied = try ServerConfiguration.resolve(
            file: nil, environment: [:], flags: ["public-url": "https://map.example.jp/refd/"])
        #expect(proxied.base(boundPort: 8080) == "https://map.example.jp/refd")
    }

    @Test("A bad value is refused, naming where it came from")
    func refusals() throws {
        func message(_ environment: [String: String], _ flags: [String: String] = [:]) -> String {
            do {
                _ = try ServerConfiguration.resolve(file: nil, environment: environment, flags: flags)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message(["REFD_PORT": "80a"]) == "environment variable REFD_PORT 80a is not a port (0–65535)")
        #expect(message(["REFD_PROT": "80"]).contains("REFD_PROT is not a setting"))
        #expect(message([:], ["cache-max-age": "-1"]).contains("--cache-max-age"))
        #expect(message([:], ["unreported-centres": "maybe"]).contains("neither open nor closed"))
        #expect(message([:], ["public-url": "ftp://x"]).contains("not an http"))
        #expect(message([:], ["host": "::1"]) == "accepted")
        #expect(message([:], ["people-key": "/nonexistent/people.key"]).contains("refd people key --out FILE"))
        #expect(
            message(["REFD_DISASTER_DECLARED": "yes"]).contains("REFD_DISASTER_DECLARED yes is neither true nor false"))
        let declared = try ServerConfiguration.resolve(
            file: nil, environment: ["REFD_DISASTER_DECLARED": "true"], flags: [:])
        #expect(declared.disasterDeclared && !ServerConfiguration().disasterDeclared)
        let directory = try Programs.temporaryDirectory()
        let broken = directory.appendingPathComponent("broken.json")
        try Data("{port: 1".utf8).write(to: broken)
        #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(file: broken, environment: [:], flags: [:])
        }
        let wrongType = directory.appendingPathComponent("type.json")
        try Data(#"{"port": true}"#.utf8).write(to: wrongType)
        do {
            _ = try ServerConfiguration.resolve(file: wrongType, environment: [:], flags: [:])
            Issue.record("a boolean port was accepted")
        } catch {
            #expect(error.description == "\(wrongType.path): port must be a string or a whole number")
        }
    }
}
