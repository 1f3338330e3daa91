import Foundation

/// A database URL or environment that does not make a configuration. Its message never
/// contains the password.
public struct PostgresConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    init(_ message: String) { self.message = message }
}

extension PostgresStoreConfiguration {
    /// Reads `postgres://user:password@host:port/database?sslmode=require` (or `postgresql://`),
    /// as libpq does: user and password percent-decoded, port 5432 when absent, the database
    /// named after the user when absent, sslmode `prefer` when absent. An IPv6 host is written
    /// in brackets.
    public init(url: String, poolSize: Int = Self.defaultPoolSize) throws(PostgresConfigurationError) {
        guard let rest = ["postgres://", "postgresql://"].lazy.compactMap({ url.hasPrefix($0) ? url.dropFirst($0.count) : nil }).first else {
            throw PostgresConfigurationError("the database URL must start with postgres:// or postgresql://")
        }
        let (beforeQuery, query) = Self.split(rest, at: "?")
        var main = beforeQuery
        // The password may hold any character; the last @ ends it.
        var user = "", password: String?
        if let at = main.lastIndex(of: "@") {
            let (name, secret) = Self.split(main[..<at], at: ":")
            user = try Self.decoded(name, what: "user name")
            if let secret { password = try Self.decoded(secret, what: "password") }
            main = main[main.index(after: at)...]
        }
        guard !user.isEmpty else { throw PostgresConfigurationError("the database URL names no user (postgres://USER:PASSWORD@HOST/DATABASE)") }
        let (hostPort, path) = Self.split(main, at: "/")
        let (host, port) = try Self.hostAndPort(hostPort)
        var database = ""
        if let path { database = try Self.decoded(path, what: "database name") }

        var sslMode = SSLMode.prefer
        for parameter in (query ?? "").split(separator: "&") {
            let (name, value) = Self.split(parameter, at: "=")
            guard name == "sslmode" else {
                throw PostgresConfigurationError("the database URL has an unknown parameter \"\(name)\" (known: sslmode)")
            }
            sslMode = try Self.sslMode(String(value ?? ""), source: "sslmode")
        }
        self.init(host: host, port: port, user: user, password: password, database: database.isEmpty ? user : database,
                  sslMode: sslMode, poolSize: poolSize)
    }

    /// Reads `POSTGRES_HOST`, `POSTGRES_PORT` (5432), `POSTGRES_USER`, `POSTGRES_PWD`, `POSTGRES_DB`
    /// (the user's name), `POSTGRES_SSLMODE` (`prefer`) and `APEX_DB_POOL` (8).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresConfigurationError) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("POSTGRES_HOST") else { throw PostgresConfigurationError("POSTGRES_HOST is not set") }
        guard let user = value("POSTGRES_USER") else { throw PostgresConfigurationError("POSTGRES_USER is not set") }
        let port = try value("POSTGRES_PORT").map { text throws(PostgresConfigurationError) in
            guard let port = Int(text), (1...65535).contains(port) else {
                throw PostgresConfigurationError("POSTGRES_PORT \"\(text)\" is not a port number (1 to 65535)")
            }
            return port
        } ?? Self.defaultPort
        let poolSize = try value("APEX_DB_POOL").map { text throws(PostgresConfigurationError) in
            guard let size = Int(text), (1...1000).contains(size) else {
                throw PostgresConfigurationError("APEX_DB_POOL \"\(text)\" is not a number of connections (1 to 1000)")
            }
            return size
        } ?? Self.defaultPoolSize
        let sslMode = try value("POSTGRES_SSLMODE").map { text throws(PostgresConfigurationError) in
            try Self.sslMode(text, source: "POSTGRES_SSLMODE")
        } ?? .prefer
        self.init(host: host, port: port, user: user, password: environment["POSTGRES_PWD"], database: value("POSTGRES_DB") ?? user,
                  sslMode: sslMode, poolSize: poolSize)
    }

    private static func sslMode(_ text: String, source: String) throws(PostgresConfigurationError) -> SSLMode {
        guard let mode = SSLMode(rawValue: text) else {
            let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw PostgresConfigurationError("\(source) \"\(text)\" is not one of \(known)")
        }
        return mode
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresConfigurationError) -> (String, Int) {
        var host = text, portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresConfigurationError("the database URL has an unclosed [ in its host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw PostgresConfigurationError("the database URL has something after its host's ]") }
                portText = after.dropFirst()
            }
        } else {
            (host, portText) = split(text, at: ":")
        }
        guard !host.isEmpty else { throw PostgresConfigurationError("the database URL names no host") }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresConfigurationError("the database URL's port \"\(portText)\" is not a port number (1 to 65535)")
        }
        return (String(host), port)
    }

    /// Percent-decodes a part of the URL; the error does not show the part (it may be the password).
    private static func decoded(_ text: Substring, what: String) throws(PostgresConfigurationError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw PostgresConfigurationError("the \(what) in the database URL has a malformed %-escape")
        }
        return decoded
    }

    /// The text before the first `separator`, and the text after it (nil without one).
    private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }
}
