import ApexEngine
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// `apex serve`: the HTTP API with its live streams, the metrics endpoint and a worker, as
/// services of one group.
///
/// Shutdown (``run(isStopped:onListening:)`` sees `isStopped`) goes in this order: open
/// streams end with a final `end` event, the API stops accepting connections and finishes
/// the requests in flight, the metrics endpoint closes, and the worker drains as `apex
/// worker` does (attempts in flight finish, runs are handed over).
public struct APIServer: Sendable {
    let state: ServerState
    /// The engine of the server's own namespace: its worker drives runs.
    let engine: Engine

    public init(configuration: ServerConfiguration, engine: Engine, namespaces: Namespaces, auth: AuthConfiguration,
                metrics: ServerMetrics, logger: Logger) {
        state = ServerState(configuration: configuration, namespaces: namespaces, auth: auth, metrics: metrics, streams: OpenStreams(),
                            logger: logger)
        self.engine = engine
    }

    /// The API's routes, behind the request middleware.
    func routeTable() -> RouteTable {
        let table = RouteTable(router: Router(context: APIContext.self, options: .autoGenerateHeadEndpoints))
        // Before the routes: a router applies a middleware to the endpoints added after it.
        let methods = RouteMethodsBox()
        table.router.middlewares.add(RequestMiddleware(state: state, methods: methods))
        HealthRoutes(state: state).add(to: table)
        WorkflowRoutes(state: state).add(to: table)
        RunRoutes(state: state).add(to: table)
        SignalRoutes(state: state).add(to: table)
        EventRoutes(state: state).add(to: table)
        StreamSocket(state: state).add(to: table)
        UIRoutes(state: state).add(to: table)
        methods.set(table.methods)
        return table
    }

    /// Serves until `isStopped` returns true, then shuts down in order. `onListening` is told
    /// the API's port (useful with port 0) and then the metrics port, if any.
    public func run(isStopped: @escaping @Sendable () -> Bool,
                    onListening: @escaping @Sendable (_ api: Int, _ metrics: Int?) async -> Void = { _, _ in }) async throws {
        let configuration = state.configuration
        let ports = BoundPorts(expectsMetrics: configuration.metricsHost != nil, report: onListening)
        let router = routeTable().router
        // A connection that sends nothing of a request for a minute is closed (a stream, whose
        // request was read, is not).
        let http = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: .seconds(60)))
        let api = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: http),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "apex/\(configuration.version)"),
                              onServerRunning: { channel in await ports.api(channel.localAddress?.port ?? configuration.port) },
                              logger: state.logger)
        var services: [any Service] = []
        if let options = configuration.worker { services.append(WorkerService(engine: engine, options: options, logger: state.logger)) }
        if let host = configuration.metricsHost {
            services.append(MetricsEndpoint.application(state.metrics, host: host, port: configuration.metricsPort, logger: state.logger) { port in
                await ports.metrics(port)
            })
        }
        services.append(api)
        services.append(StreamCloser(streams: state.streams))
        let observing = state.metrics.observe(engine)
        defer { observing.cancel() }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                                                      logger: state.logger))
        try await group.run(until: isStopped)
    }
}

/// Reports the bound ports once both are known.
private actor BoundPorts {
    let expectsMetrics: Bool
    let report: @Sendable (Int, Int?) async -> Void
    var apiPort: Int?
    var metricsPort: Int?

    init(expectsMetrics: Bool, report: @escaping @Sendable (Int, Int?) async -> Void) {
        self.expectsMetrics = expectsMetrics
        self.report = report
    }

    func api(_ port: Int) async {
        apiPort = port
        await reportIfComplete()
    }

    func metrics(_ port: Int) async {
        metricsPort = port
        await reportIfComplete()
    }

    private func reportIfComplete() async {
        guard let apiPort, !expectsMetrics || metricsPort != nil else { return }
        await report(apiPort, metricsPort)
    }
}

/// Ends every open stream with a final event when shutdown begins (it is the group's last
/// service, so it is told first), so that the API has no endless response to wait for.
private struct StreamCloser: Service {
    let streams: OpenStreams

    func run() async throws {
        try? await gracefulShutdown()
        streams.closeAll()
    }
}

/// The worker of `apex serve`: `apex worker` in the same process.
private struct WorkerService: Service {
    let engine: Engine
    let options: Engine.WorkerOptions
    let logger: Logger

    func run() async throws {
        let stopped = AtomicFlag()
        await withGracefulShutdownHandler {
            await engine.runWorker(options, isStopped: { stopped.isSet }, report: { [logger] line in logger.info("\(line)") })
        } onGracefulShutdown: {
            stopped.set()
        }
    }
}

extension ServiceGroup {
    /// Runs the group until `isStopped` returns true (looked at every 50 ms: the CLI's stop
    /// is a flag a signal handler sets), then shuts it down gracefully.
    func run(until isStopped: @escaping @Sendable () -> Bool) async throws {
        let watcher = Task {
            while !isStopped(), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
            await triggerGracefulShutdown()
        }
        defer { watcher.cancel() }
        try await run()
    }
}
