import Foundation
import Logging
import SuginamiGIS
import SuginamiKit

/// How `refd serve` runs: where it listens, what it serves, how it logs.
///
/// Each setting comes from, in rising order of precedence: its default, a JSON configuration
/// file, an environment variable, a command-line flag. The names are the same everywhere: the
/// file's key `cache-max-age` is the variable `REFD_CACHE_MAX_AGE` and the flag `--cache-max-age`.
///
/// | setting | default | meaning |
/// |---|---|---|
/// | `host` | `127.0.0.1` | the address to bind (an IP address or `localhost`) |
/// | `port` | `8080` | the TCP port; `0` takes a free one and prints it |
/// | `database` | `suginami.sqlite` | the store `refd load` wrote: an SQLite file, or a PostgreSQL + PostGIS URL (`postgres://user:password@host:port/name`) that several daemons share |
/// | `read-replica` | none | with a PostgreSQL `database`: a streaming replica's URL, for the reads that may lag a moment (facilities, towns, buildings) |
/// | `network` | the bundled synthetic network | a road network file written by `refd route --save-network`, or OpenStreetMap |
/// | `simulation` | none | a run directory written by `refd simulate --out`: its cells become `damage_cells` |
/// | `report` | none | a report directory written by `refd simulate --report`: its towns become `damage_towns` |
/// | `closures` | none | closed roads, a CSV with `edge_index` or `way_id` (as `refd route --closures`): routes avoid them |
/// | `no-go` | none | no-go areas, a GeoJSON FeatureCollection of polygons (as `refd route --no-go`): routes avoid every road they touch |
/// | `leaflet` | `/usr/share/javascript/leaflet` | where Debian's `libjs-leaflet` put Leaflet, which the web map at `/` uses |
/// | `public-url` | `http://HOST:PORT` | the base of every link the daemon writes (behind a proxy) |
/// | `cache-max-age` | `60` | seconds clients and proxies may reuse a data response |
/// | `unreported-centres` | `open` | how a relief centre without a report counts: `open` or `closed` |
/// | `reports-per-minute` | `20` | damage reports one public client (token and address) may submit a minute, in bursts of up to a third of that; more get 429 |
/// | `people-key` | none | the personal-data key file (`refd people key`): with it, the people endpoints serve the sealed roster of people who need help (避難行動要支援者名簿) to the roles that may read it |
/// | `disaster-declared` | `false` | `true` once the ward has declared a disaster: relief-centre staff then see their area's people without consent (災害対策基本法 第49条の11第3項) |
/// | `certificate-issuer` | `杉並区長` | who certifies on the り災証明書 the daemon issues (with `people-key`) |
/// | `log-level` | `info` | `trace`, `debug` (every request), `info`, `notice`, `warning`, `error`, `critical` |
///
/// Hand-written rather than swift-configuration: its readers return the default when a value
/// does not convert, and a daemon given `REFD_PORT=80a` must refuse to start, saying so.
public struct ServerConfiguration: Sendable, Hashable {
    /// The address to bind.
    public var host = "127.0.0.1"
    /// The TCP port (0: any free port).
    public var port = 8080
    /// The store: a file's path or a PostgreSQL URL.
    public var database = "suginami.sqlite"
    /// A PostgreSQL streaming replica's URL for lag-tolerant reads; nil for none.
    public var readReplica: String?
    /// A saved road network; nil for the bundled synthetic one.
    public var network: String?
    /// A simulation run directory to publish; nil for none.
    public var simulation: String?
    /// A simulation report directory to publish; nil for none.
    public var report: String?
    /// A CSV of closed roads; nil for none.
    public var closures: String?
    /// A GeoJSON file of no-go areas; nil for none.
    public var noGo: String?
    /// The directory of Leaflet's files.
    public var leaflet = "/usr/share/javascript/leaflet"
    /// The base of links, without a trailing slash; nil for `http://host:port`.
    public var publicURL: String?
    /// Seconds a data response may be reused.
    public var cacheMaxAge = 60
    /// How a relief centre without a report counts.
    public var unreportedCentres = "open"
    /// Reports a public client may submit a minute.
    public var reportsPerMinute = 20
    /// The personal-data key file; nil serves no people.
    public var peopleKey: String?
    /// Whether the ward has declared a disaster (staff then see their area's people without
    /// consent).
    public var disasterDeclared = false
    /// Who certifies, as the certificates print it.
    public var certificateIssuer = "杉並区長"
    /// The log level.
    public var logLevel = Logger.Level.info

    /// The settings' names, as in the file, the environment (upper case, `REFD_` prefix,
    /// underscores) and the flags.
    public static let names = [
        "host", "port", "database", "read-replica", "network", "simulation", "report", "closures", "no-go", "leaflet",
        "public-url",
        "cache-max-age", "unreported-centres", "reports-per-minute", "people-key", "disaster-declared",
        "certificate-issuer",
        "log-level",
    ]

    /// The defaults.
    public init() {}

    /// The configuration from a file, the environment and flags, each later one winning.
    /// - Parameters:
    ///   - file: a JSON object of settings, or nil.
    ///   - environment: the process environment (only `REFD_` variables are read).
    ///   - flags: settings given on the command line, by name.
    /// - Throws: ``ConfigurationError`` naming the source, the setting and why.
    public static func resolve(file: URL?, environment: [String: String], flags: [String: String])
        throws(ConfigurationError)
        -> ServerConfiguration
    {
        var configuration = ServerConfiguration()
        if let file {
            for (name, value) in try Self.settings(in: file) {
                try configuration.set(name, value, source: file.path)
            }
        }
        for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix("REFD_") {
            let name = variable.dropFirst(5).lowercased().replacingOccurrences(of: "_", with: "-")
            guard names.contains(name) else {
                throw ConfigurationError(
                    source: "environment", setting: variable,
                    reason: "is not a setting of refd serve ("
                        + names.map { "REFD_" + $0.uppercased().replacingOccurrences(of: "-", with: "_") }.joined(
                            separator: ", ") + ")")
            }
            try configuration.set(name, value, source: "environment variable \(variable)")
        }
        for (name, value) in flags.sorted(by: { $0.key < $1.key }) {
            try configuration.set(name, value, source: "--\(name)")
        }
        return configuration
    }

    /// The base of links when `port` is the bound port.
    public func base(boundPort: Int) -> String {
        if let publicURL { return publicURL }
        let address = host.contains(":") ? "[\(host)]" : host
        return "http://\(address):\(boundPort)"
    }

    private static func settings(in file: URL) throws(ConfigurationError) -> [(String, String)] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ConfigurationError(
                source: file.path, setting: nil, reason: "cannot be read (\(error.localizedDescription))")
        }
        guard data.count <= 1 << 20 else {
            throw ConfigurationError(
                source: file.path, setting: nil, reason: "is larger than 1 MB; a configuration is a few lines")
        }
        let root: JSONValue
        do { root = try JSONValue.parse(data, file: file.path) } catch {
            throw ConfigurationError(source: file.path, setting: nil, reason: "is not JSON (\(error.reason))")
        }
        guard case .object(let pairs) = root else {
            throw ConfigurationError(source: file.path, setting: nil, reason: "is not a JSON object of settings")
        }
        var settings: [(String, String)] = []
        for (name, value) in pairs {
            guard names.contains(name) else {
                throw ConfigurationError(
                    source: file.path, setting: name, reason: "is not a setting (" + names.joined(separator: ", ") + ")"
                )
            }
            switch value {
            case .string(let text): settings.append((name, text))
            case .number(let number) where number == number.rounded() && abs(number) < 1e15:
                settings.append((name, String(Int(number))))
            default:
                throw ConfigurationError(source: file.path, setting: name, reason: "must be a string or a whole number")
            }
        }
        return settings
    }

    private mutating func set(_ name: String, _ value: String, source: String) throws(ConfigurationError) {
        func fail(_ reason: String) -> ConfigurationError {
            ConfigurationError(source: source, setting: name, reason: reason)
        }
        switch name {
        case "host":
            guard value == "localhost" || Self.isIPAddress(value) else {
                throw fail("\(value) is not an IP address or localhost")
            }
            host = value
        case "port":
            guard let port = Int(value), (0...65_535).contains(port) else {
                throw fail("\(value) is not a port (0–65535)")
            }
            self.port = port
        case "database":
            guard !value.isEmpty else { throw fail("is empty") }
            database = value
        case "read-replica":
            guard value.lowercased().hasPrefix("postgres://") || value.lowercased().hasPrefix("postgresql://") else {
                throw fail("\(PostgresLocation.withoutPassword(value).prefix(200)) is not a postgres:// URL")
            }
            readReplica = value
        case "network":
            guard !value.isEmpty else { throw fail("is empty") }
            network = value
        case "leaflet":
            guard !value.isEmpty else { throw fail("is empty") }
            leaflet = value
        case "simulation", "report":
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw fail(
                    "\(value) is not a directory (give the directory `refd simulate --\(name == "report" ? "report" : "out")` wrote)"
                )
            }
            if name == "report" { report = value } else { simulation = value }
        case "closures", "no-go":
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), !isDirectory.boolValue
            else {
                throw fail("\(value) is not a file")
            }
            if name == "closures" { closures = value } else { noGo = value }
        case "public-url":
            guard value.hasPrefix("http://") || value.hasPrefix("https://"), URL(string: value)?.host != nil else {
                throw fail("\(value) is not an http:// or https:// URL")
            }
            publicURL = value.hasSuffix("/") ? String(value.dropLast()) : value
        case "cache-max-age":
            guard let seconds = Int(value), (0...31_536_000).contains(seconds) else {
                throw fail("\(value) is not a number of seconds from 0 to 31536000")
            }
            cacheMaxAge = seconds
        case "unreported-centres":
            guard value == "open" || value == "closed" else { throw fail("\(value) is neither open nor closed") }
            unreportedCentres = value
        case "reports-per-minute":
            guard let count = Int(value), (1...1_000_000).contains(count) else {
                throw fail("\(value) is not a number of reports from 1 to 1000000")
            }
            reportsPerMinute = count
        case "people-key":
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), !isDirectory.boolValue
            else {
                throw fail("\(value) is not a file (make one with `refd people key --out FILE`)")
            }
            peopleKey = value
        case "disaster-declared":
            guard value == "true" || value == "false" else { throw fail("\(value) is neither true nor false") }
            disasterDeclared = value == "true"
        case "certificate-issuer":
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty, value.count <= 100 else {
                throw fail("must be 1 to 100 characters (e.g. 杉並区長)")
            }
            certificateIssuer = value
        case "log-level":
            guard let level = Logger.Level(rawValue: value) else {
                throw fail("\(value) is not one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            logLevel = level
        default:
            throw fail("is not a setting")
        }
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

/// A setting that cannot be used, with where it came from.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, `environment`, or the flag.
    public var source: String
    /// The setting's name, when one is at fault.
    public var setting: String?
    /// Why.
    public var reason: String

    /// A sentence saying what is wrong.
    public var description: String {
        if let setting, !source.hasPrefix("--"), !source.hasPrefix("environment variable") {
            return "\(source): \(setting) \(reason)"
        }
        return "\(source) \(reason)"
    }
}
