/// Where a ``PostgresRunStore`` connects, and how: read from a URL
/// (`postgres://user:password@host:port/database?sslmode=require`) or from the environment
/// (`POSTGRES_HOST`, …), see `PostgresStoreConfiguration+Parsing.swift`.
///
/// The password is never part of ``description`` or ``redactedURL`` (it shows as `***`), nor of
/// any message the store builds.
public struct PostgresStoreConfiguration: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the connection uses TLS, with libpq's names and meanings.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked (libpq's `require`).
        case require
        /// TLS, with a certificate that the system trusts, for the host name connected to.
        case verifyFull = "verify-full"
    }

    public static let defaultPort = 5432
    public static let defaultPoolSize = 8

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// The most connections the store's pool opens (the listening connection of
    /// ``PostgresRunStore/changes()`` is one more).
    public var poolSize: Int

    public init(host: String, port: Int = Self.defaultPort, user: String, password: String?, database: String,
                sslMode: SSLMode = .prefer, poolSize: Int = Self.defaultPoolSize) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.poolSize = poolSize
    }

    /// The URL of this configuration with the password shown as `***`: safe for logs and messages.
    public var redactedURL: String {
        let credentials = Self.percentEncoded(user) + (password == nil ? "" : ":***")
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)@\(hostPart):\(port)/\(Self.percentEncoded(database))?sslmode=\(sslMode.rawValue)"
    }

    public var description: String { redactedURL }
    public var debugDescription: String { redactedURL }
    /// What `dump` and debuggers show: the fields, with the password as `***`.
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "user": user, "password": password == nil ? "nil" : "***",
                                "database": database, "sslMode": sslMode, "poolSize": poolSize])
    }

    /// `host:port`, for messages.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func percentEncoded(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : "%" + hex($0) }.joined()
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
