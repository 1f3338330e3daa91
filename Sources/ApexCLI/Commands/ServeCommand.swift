import ApexDSL
import ApexEngine
import ApexServer
import ArgumentParser
import Foundation
import Logging

/// `apex serve`: the HTTP API, its live streams, metrics, and a worker, in one process.
struct ServeCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (runs, signals, live event streams, webhooks) with a worker in the same process.",
        discussion: """
            The API is under /v1 (docs/server.md; the OpenAPI document is at /openapi.json). \
            Auth is on when a JWT key is configured (APEX_JWT_SECRET, APEX_JWT_PUBLIC_KEY or \
            APEX_JWT_JWKS, see docs/security.md); without one the server listens only on a \
            loopback address. Prometheus metrics are on --metrics-addr.

            On SIGTERM or SIGINT the server shuts down in order: open streams end with a final \
            `end` event, requests in flight finish, then the worker drains as `apex worker` does.

            Examples:
              apex serve --mock-llm
              APEX_JWT_SECRET=… apex serve --addr 0.0.0.0:8080 --db postgres://apex@db/apex
              apex serve --no-worker --log-format json

            Exit status: 0 after a clean shutdown, 2 bad flags or configuration, 1 the server failed.
            """
    )

    @Option(help: "Where the API listens, HOST:PORT (default: APEX_ADDR, else 127.0.0.1:8080; port 0 picks a free one).")
    var addr: String?

    @Option(name: .customLong("metrics-addr"), help: "Where Prometheus scrapes /metrics, HOST:PORT, or `off` (default: APEX_METRICS_ADDR, else 127.0.0.1:9090).")
    var metricsAddr: String?

    @Flag(name: .customLong("no-worker"), help: "Serve the API only; runs are driven by `apex worker` processes.")
    var noWorker = false

    @OptionGroup var worker: WorkerFlags

    @Option(name: .customLong("log-format"), help: "Log lines as text or json (LOG_LEVEL sets the level).")
    var logFormat: String = "text"

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let stop = StopFlag.installed()
        guard let format = ApexLogHandler.Format(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
        ApexLogHandler.use(format)
        let settings = Settings(console: console)
        let options = try worker.options(settings: settings)
        guard let api = ServerConfiguration.parseAddress(addr ?? settings.environment["APEX_ADDR"] ?? "127.0.0.1:8080") else {
            throw ValidationError("--addr must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
        let metricsText = metricsAddr ?? settings.environment["APEX_METRICS_ADDR"] ?? "127.0.0.1:9090"
        let metricsAddress = metricsText == "off" ? nil : ServerConfiguration.parseAddress(metricsText)
        guard metricsText == "off" || metricsAddress != nil else { throw ValidationError("--metrics-addr must be HOST:PORT or off") }
        let auth: AuthConfiguration
        do { auth = try await AuthConfiguration.fromEnvironment(settings.environment) } catch {
            console.error.writeLine("error: \(error)")
            return .badInput
        }
        guard auth.isEnabled || ServerConfiguration.isLoopback(api.host) else {
            console.error.writeLine("error: refusing to listen on \(api.host) with auth off: configure APEX_JWT_SECRET, APEX_JWT_PUBLIC_KEY or APEX_JWT_JWKS, or listen on 127.0.0.1")
            return .badInput
        }
        // One executor for every namespace's engine; every namespace's store shares the
        // connections of the server's own.
        let executor = EngineFactory.executor(fallback: try llm.routing(), settings: settings)
        let base = try await EngineFactory.store(store, settings: settings)
        let engine = EngineFactory.engine(store: base, executor: executor, settings: settings, maxActivities: worker.concurrency)
        let namespaces = Namespaces(seeded: [engine]) { namespace in
            EngineFactory.engine(store: EngineFactory.view(of: base, namespace: namespace), executor: executor, settings: settings,
                                 maxActivities: worker.concurrency)
        }
        let configuration = ServerConfiguration(host: api.host, port: api.port, metricsHost: metricsAddress?.host, metricsPort: metricsAddress?.port ?? 0,
                                                worker: noWorker ? nil : options, version: ApexCommand.version,
                                                uiDirectory: settings.environment["APEX_UI_DIR"].flatMap { $0.isEmpty ? nil : $0 })
        var logger = Logger(label: "apex.server")
        logger.logLevel = Settings.logLevel(settings.environment)
        let server = APIServer(configuration: configuration, engine: engine, namespaces: namespaces, auth: auth, metrics: ServerMetrics(), logger: logger)
        let printer = console.error
        do {
            try await serve(server, stop: stop, printer: printer, api: api, metricsHost: metricsAddress?.host, workerQueues: noWorker ? nil : options.taskQueues,
                            namespace: engine.store.namespace, authOn: auth.isEnabled)
        } catch {
            // The worker has drained by now; a port already taken is the usual cause.
            printer.writeLine("error: apex serve stopped: \(error)")
            return ExitCode(1)
        }
        printer.writeLine("apex serve: stopped")
        return .success
    }

    private func serve(_ server: APIServer, stop: StopFlag, printer: ConsoleStream, api: (host: String, port: Int), metricsHost: String?,
                       workerQueues: [String]?, namespace: String, authOn: Bool) async throws {
        try await server.run(isStopped: { stop.isSet }) { port, metricsPort in
            printer.writeLine("apex serve: listening on http://\(Self.hostForURL(api.host)):\(port)"
                + (metricsPort.map { ", metrics on http://\(Self.hostForURL(metricsHost ?? "")):\($0)/metrics" } ?? "")
                + ", namespace \(namespace)" + (workerQueues.map { ", worker on \($0.joined(separator: ", "))" } ?? ", no worker")
                + (authOn ? "" : ", auth off"))
        }
    }

    private static func hostForURL(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
