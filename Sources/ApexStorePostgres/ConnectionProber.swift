import Logging
import PostgresNIO

/// Connects once, on a connection of its own, to learn why the pool cannot: the pool retries
/// quietly and reports no cause. Concurrent callers share one probe, and a result is reused
/// for a second, so a store waiting in many tasks at once connects once a second at most.
actor ConnectionProber {
    let configuration: PostgresStoreConfiguration
    let connection: Result<PostgresConnection.Configuration, any Error>
    let logger: Logger
    private var last: (at: ContinuousClock.Instant, failure: ConnectFailure?)?
    private var running: Task<ConnectFailure?, Never>?

    init(configuration: PostgresStoreConfiguration, connection: Result<PostgresConnection.Configuration, any Error>, logger: Logger) {
        self.configuration = configuration
        self.connection = connection
        self.logger = logger
    }

    /// Why a connection cannot be made now, or nil when one can.
    func probe() async -> ConnectFailure? {
        if let last, last.at.duration(to: .now) < .seconds(1) { return last.failure }
        if let running { return await running.value }
        let task = Task { await Self.connectOnce(configuration, connection, logger) }
        running = task
        let failure = await task.value
        running = nil
        last = (.now, failure)
        return failure
    }

    private static func connectOnce(_ configuration: PostgresStoreConfiguration,
                                     _ settings: Result<PostgresConnection.Configuration, any Error>, _ logger: Logger) async -> ConnectFailure? {
        do {
            let connection = try await PostgresConnection.connect(configuration: try settings.get(), id: 0, logger: logger)
            try? await connection.close()
            return nil
        } catch {
            return ErrorMapping.connectFailure(error, configuration)
        }
    }
}
