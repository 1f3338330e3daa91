import ApexStorePostgres

/// Where the store is, from `--db`, else `APEX_DATABASE_URL`, else the `POSTGRES_*` variables
/// (when `POSTGRES_HOST` is set), else `$APEX_HOME/apex.db`.
enum StoreLocation {
    case sqlite(path: String)
    case postgres(PostgresStoreConfiguration)

    /// How the location is shown in messages: the password is never shown (`***`).
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let configuration): configuration.redactedURL
        }
    }
}

extension Settings {
    func storeLocation(flag: String?) throws -> StoreLocation {
        if let url = flag ?? environment["APEX_DATABASE_URL"] {
            if url.hasPrefix("sqlite:") {
                var path = String(url.dropFirst("sqlite:".count))
                if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
                return .sqlite(path: path)
            }
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                return .postgres(try postgres { try PostgresStoreConfiguration(url: url, poolSize: try poolSize()) })
            }
            throw SettingsError("unsupported database URL \"\(Self.redacted(url))\"; use sqlite:/path/file.db or postgres://user:password@host:5432/database")
        }
        if environment["POSTGRES_HOST"] != nil {
            return .postgres(try postgres { try PostgresStoreConfiguration(environment: environment) })
        }
        return .sqlite(path: home + "/apex.db")
    }

    /// How the store is shown in messages.
    func storeDescription(flag: String?) throws -> String {
        try storeLocation(flag: flag).description
    }

    /// Whether commands migrate an unmigrated PostgreSQL store themselves (`APEX_AUTO_MIGRATE=1`).
    var autoMigrates: Bool { ["1", "true", "yes"].contains(environment["APEX_AUTO_MIGRATE"]?.lowercased() ?? "") }

    private func poolSize() throws -> Int {
        guard let text = environment["APEX_DB_POOL"] else { return PostgresStoreConfiguration.defaultPoolSize }
        guard let size = Int(text), (1...1000).contains(size) else {
            throw SettingsError("APEX_DB_POOL \"\(text)\" must be a whole number from 1 to 1000")
        }
        return size
    }

    private func postgres(_ make: () throws -> PostgresStoreConfiguration) throws -> PostgresStoreConfiguration {
        do {
            return try make()
        } catch let error as PostgresConfigurationError {
            throw SettingsError(error.description)
        }
    }

    /// `url` with its password, in the user information or a `password` parameter, as `***`
    /// (for URLs shown as given: one that does not parse, the `pg_dump` hint).
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        var result = String(url[..<schemeEnd.upperBound])
        // The user information ends at the last @ before the query (a password may hold an @).
        if let at = rest[..<queryStart].lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[..<colon] + ":***"
            } else {
                result += userInfo
            }
            result += rest[at..<queryStart]
        } else {
            result += rest[..<queryStart]
        }
        guard queryStart < rest.endIndex else { return result }
        let parameters = rest[rest.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
        }
        return result + "?" + parameters.joined(separator: "&")
    }
}
