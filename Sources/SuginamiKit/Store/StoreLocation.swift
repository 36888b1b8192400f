import Foundation

/// Where a store lives: an SQLite file (the embedded default) or a PostgreSQL + PostGIS
/// database that several daemons share. What `--database` takes: a file path, or a
/// `postgres://` (or `postgresql://`) URL.
///
/// ```
/// suginami.sqlite
/// postgres://ward:secret@db.example:5432/suginami
/// postgres://ward@127.0.0.1/suginami?sslmode=disable
/// ```
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file.
    case file(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// Reads a `--database` value: a `postgres://` or `postgresql://` URL is a PostgreSQL
    /// database; anything else is a file path.
    /// - Throws: ``StoreError/invalidLocation(_:)`` for a URL that cannot be used, saying why.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else if lowered.contains("://") {
            let scheme = text.prefix { $0 != ":" }
            throw StoreError.invalidLocation(
                "\(scheme):// is not a database this store opens; give an SQLite file path or a postgres:// URL")
        } else {
            guard !text.isEmpty else { throw StoreError.invalidLocation("the database path is empty") }
            self = .file(path: text)
        }
    }

    /// The location as a person may read it: a URL without its password.
    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL database: the server, the role and the database name, read from a URL
/// (`postgres://user:password@host:port/database?sslmode=…`). Its description never shows the
/// password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected.
    public enum TransportSecurity: String, Sendable, Equatable {
        /// Plain TCP: loopback or a private network only.
        case disable
        /// TLS if the server offers it, else plain (libpq's default).
        case prefer
        /// TLS or no connection.
        case require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to connect as.
    public var user: String
    /// The role's password, if it has one.
    public var password: String?
    /// The database's name.
    public var database: String
    /// Whether TLS is used.
    public var transportSecurity: TransportSecurity

    /// Makes a location from its parts.
    public init(
        host: String, port: Int = 5432, user: String, password: String?, database: String,
        transportSecurity: TransportSecurity = .prefer
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.transportSecurity = transportSecurity
    }

    /// Reads a `postgres://` URL.
    /// - Throws: ``StoreError/invalidLocation(_:)`` naming what is missing or wrong (no host,
    ///   no user, no database, a bad port, an unknown `sslmode` or another query parameter);
    ///   the message never repeats the password.
    public init(url text: String) throws {
        let shown = PostgresLocation.withoutPassword(text)
        guard let components = URLComponents(string: text) else {
            throw StoreError.invalidLocation("\(shown) is not a URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidLocation("\(shown) names no host (postgres://user@host/database)")
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreError.invalidLocation("\(shown) names no user (postgres://user@host/database)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw StoreError.invalidLocation("\(shown): port \(port) is not 1 to 65535")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard let database = path.removingPercentEncoding, !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidLocation("\(shown) names no database (postgres://user@host/database)")
        }
        var security = TransportSecurity.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value {
                case "disable": security = .disable
                case "prefer", "allow": security = .prefer
                case "require", "verify-ca", "verify-full": security = .require
                default:
                    throw StoreError.invalidLocation(
                        "\(shown): sslmode=\(item.value ?? "") is not one of disable, allow, prefer, require, "
                            + "verify-ca, verify-full")
                }
            default:
                throw StoreError.invalidLocation(
                    "\(shown): the parameter \(item.name) is not understood (only sslmode is)")
            }
        }
        self.init(
            host: host, port: port, user: user, password: components.password?.removingPercentEncoding,
            database: database, transportSecurity: security)
    }

    /// `postgres://user@host:port/database`, without the password.
    public var description: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.host = host
        components.port = port
        components.path = "/" + database
        return components.string ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The same server and role, another database.
    public func database(_ name: String) -> PostgresLocation {
        var location = self
        location.database = name
        return location
    }

    /// A URL's text with its password replaced by `***`, for messages and logs.
    public static func withoutPassword(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://") else { return text }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
