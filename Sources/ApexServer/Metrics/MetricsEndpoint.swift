import ApexEngine
import Hummingbird
import Logging
import ServiceLifecycle

/// `GET /metrics` on its own address (`--metrics-addr`, default 127.0.0.1:9090), so that
/// the scrape port can stay private while the API is exposed.
enum MetricsEndpoint {
    static func application(_ metrics: ServerMetrics, host: String, port: Int, logger: Logger,
                            onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "apex-metrics"),
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }
}

/// The metrics endpoint alone, for `apex worker --metrics-addr`.
public enum MetricsServer {
    /// Serves `engine`'s metrics until `isStopped` returns true.
    public static func run(engine: Engine, host: String, port: Int, isStopped: @escaping @Sendable () -> Bool,
                           onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let metrics = ServerMetrics()
        let observing = metrics.observe(engine)
        defer { observing.cancel() }
        let app = MetricsEndpoint.application(metrics, host: host, port: port, logger: Logger(label: "apex.metrics"), onListening: onListening)
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "apex.metrics")))
        try await group.run(until: isStopped)
    }
}
