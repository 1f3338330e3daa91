import ArgumentParser
import Foundation

/// `--server URL` on the commands that can use a server's HTTP API instead of a store: `run`,
/// `runs`, `show`, `history`, `signal` and `cancel` (docs/cli.md, "Using a server").
///
/// `apex --server URL run …` works too: ``ApexCommand/run(arguments:console:)`` moves a leading
/// `--server` after the command's name.
struct ServerOptions: ParsableArguments {
    /// The commands that take `--server`.
    static let commands: Set<String> = ["run", "runs", "show", "history", "signal", "cancel"]

    @Option(name: .customLong("server"),
            help: ArgumentHelp("Use the HTTP API of the apex serve at this URL instead of a store (overrides APEX_SERVER; APEX_TOKEN is sent as the bearer token).",
                               valueName: "url"))
    var server: String?

    /// A flag the command was given that only a local store or a local engine can honour.
    struct LocalFlag {
        var name: String
        var given: Bool
        /// Why it cannot apply to a server.
        var reason: String
    }

    /// The client of the server named by `--server`, else `APEX_SERVER`; nil for the local
    /// store. `--db` given explicitly chooses the local store over `APEX_SERVER`, but not over
    /// `--server`.
    ///
    /// - Throws: `ValidationError` (exit 2) for a malformed URL, `--db` with `--server`, or a
    ///   flag of `localFlags` given with a server; `SettingsError` for a bad namespace.
    func client(settings: Settings, store: StoreOptions, localFlags: [LocalFlag] = []) throws -> APIClient? {
        let fromEnvironment = settings.environment["APEX_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
        let url: String
        let source: String
        if let server {
            if store.database != nil { throw ValidationError("--db and --server cannot be used together: --db names a local store, --server a server") }
            (url, source) = (server, "--server")
        } else if let fromEnvironment, store.database == nil {
            (url, source) = (fromEnvironment, "APEX_SERVER")
        } else {
            return nil
        }
        let flags = [LocalFlag(name: "--migrate", given: store.migrate, reason: "a server migrates its own store")] + localFlags
        if let flag = flags.first(where: \.given) {
            let hint = source == "APEX_SERVER" ? " (APEX_SERVER is set: unset it, or pass --db, to use a local store)" : ""
            throw ValidationError("\(flag.name) cannot be used with a server: \(flag.reason)\(hint)")
        }
        guard let base = Self.base(url) else {
            throw ValidationError("\(source) \"\(url)\" is not a server URL; use http://HOST:PORT or https://HOST[:PORT]")
        }
        var namespace: String?
        if store.namespace != nil || settings.environment["APEX_NAMESPACE"] != nil {
            namespace = try settings.namespace(flag: store.namespace)
        }
        let token = settings.environment["APEX_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return APIClient(base: base, token: token, namespace: namespace)
    }

    /// `url` without a trailing slash when it is an http or https URL with a host.
    static func base(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty, components.query == nil, components.fragment == nil else { return nil }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// `arguments` with a leading `--server URL` (or `--server=URL`) moved after the command's
    /// name, so that `apex --server URL show RUN` parses as `apex show --server URL RUN`.
    ///
    /// - Returns: The arguments to parse, or a usage error when the leading `--server` has no
    ///   value or is not followed by a command that takes it.
    static func hoisted(_ arguments: [String]) -> Result<[String], ValidationError> {
        guard let first = arguments.first, first == "--server" || first.hasPrefix("--server=") else { return .success(arguments) }
        var rest = Array(arguments.dropFirst())
        var option = [first]
        if first == "--server" {
            guard let value = rest.first, !value.hasPrefix("-") || value == "-" else {
                return .failure(ValidationError("--server needs a URL, e.g. apex --server http://127.0.0.1:8080 runs"))
            }
            option.append(value)
            rest.removeFirst()
        }
        guard let command = rest.first, commands.contains(command) else {
            let named = rest.first.map { ", not to \($0)" } ?? ""
            return .failure(ValidationError("--server applies to run, runs, show, history, signal and cancel\(named)"))
        }
        return .success([command] + option + rest.dropFirst())
    }
}
