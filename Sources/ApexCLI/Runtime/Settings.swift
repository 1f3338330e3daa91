import ApexDSL
import ApexEngine
import Foundation
import Logging

/// The configuration of docs/cli.md, "Configuration": the environment, then `.env` in the working
/// directory, then flags.
struct Settings {
    var environment: [String: String]

    init(console: Console) {
        let file = DotEnv.load(FileManager.default.currentDirectoryPath + "/.env")
        environment = file.merging(console.environment) { _, fromEnvironment in fromEnvironment }
    }

    var home: String {
        environment["APEX_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.apex")
    }

    /// The namespace of the runs: `--namespace`, else `APEX_NAMESPACE`, else `default`.
    func namespace(flag: String?) throws -> String {
        let (name, source) = flag.map { ($0, "--namespace") } ?? environment["APEX_NAMESPACE"].map { ($0, "APEX_NAMESPACE") }
            ?? (Namespace.defaultName, "")
        if let problem = ScopeName.problem(name) {
            throw SettingsError("\(source) \"\(name)\" is not a valid namespace: \(problem); it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
        }
        return name
    }

    /// The level of log lines on stderr: `LOG_LEVEL` (TRACE DEBUG INFO WARN ERROR), INFO by default.
    static func logLevel(_ environment: [String: String]) -> Logger.Level {
        switch (environment["LOG_LEVEL"] ?? "INFO").uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "WARN", "WARNING": .warning
        case "ERROR": .error
        default: .info
        }
    }

    /// Whether warnings are printed: `LOG_LEVEL` (TRACE DEBUG INFO WARN ERROR) below ERROR.
    var logsWarnings: Bool { (environment["LOG_LEVEL"] ?? "INFO").uppercased() != "ERROR" }

    /// The SQLite file of the store: `--db`, else `APEX_DATABASE_URL`, else `$APEX_HOME/apex.db`.
    func databasePath(flag: String?) throws -> String {
        if let url = flag ?? environment["APEX_DATABASE_URL"] {
            if url.hasPrefix("sqlite:") {
                var path = String(url.dropFirst("sqlite:".count))
                if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
                return path
            }
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                throw SettingsError("PostgreSQL stores are not in this build yet; use sqlite:/path/file.db")
            }
            throw SettingsError("unsupported database URL \"\(url)\"; use sqlite:/path/file.db")
        }
        return home + "/apex.db"
    }
}

struct SettingsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
