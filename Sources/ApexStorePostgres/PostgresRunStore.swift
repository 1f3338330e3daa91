import ApexEngine
import Logging
import PostgresNIO

/// The shared store: PostgreSQL 15 or later, for several apex processes on several machines.
///
/// One database holds any number of namespaces; a store object reads and writes the runs of
/// its ``namespace`` (definitions are shared: a hash names its content). Every method is one
/// transaction (or one statement) on a pooled connection of postgres-nio's `PostgresClient`,
/// under PostgreSQL's default READ COMMITTED isolation: the compare-and-swaps of the
/// protocol (the seq check and lease fence of an append, the lease check of a claim) are the
/// `WHERE` clauses of `UPDATE`s, which PostgreSQL re-checks on the newest row once a
/// concurrent writer commits, so they hold across processes.
///
/// Opening connects to nothing: the first statement does, and ``migrate()`` is never run
/// implicitly (`apex migrate` does it). A lost connection is retried, see
/// `PostgresRunStore+Access.swift`; after ``retryBudget`` of failures a method throws
/// ``StoreError/unavailable(_:)``. Call ``shutdown()`` when done.
public final class PostgresRunStore: RunStore {
    public let configuration: PostgresStoreConfiguration
    public let namespace: String
    /// How long a method keeps trying while the database cannot be reached.
    public let retryBudget: Duration
    let client: PostgresClient
    let logger: Logger
    /// What postgres-nio is given to log into: never below `notice`, so that no protocol
    /// message is ever logged.
    let driverLogger: Logger
    let prober: ConnectionProber
    let hub: ChangeHub
    /// Faults injected by tests (none otherwise).
    let faults = StoreFaults()
    /// Runs the pool; nil for a namespace view, whose pool is its owner's.
    private let runTask: Task<Void, Never>?
    /// The store a namespace view shares its pool with, kept alive by the view.
    private let owner: PostgresRunStore?

    /// A store for the runs of `namespace` in the database of `configuration`. Connects lazily.
    public init(configuration: PostgresStoreConfiguration, namespace: String = "default",
                logger: Logger = Logger(label: "apex.store.postgres"), retryBudget: Duration = .seconds(30)) {
        self.configuration = configuration
        self.namespace = namespace
        self.retryBudget = retryBudget
        self.logger = logger
        var driverLogger = logger
        driverLogger.logLevel = max(logger.logLevel, .notice)
        self.driverLogger = driverLogger
        let client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: driverLogger)
        self.client = client
        let single = Result { try configuration.connectionConfiguration() }
        prober = ConnectionProber(configuration: configuration, connection: single, logger: driverLogger)
        hub = ChangeHub(namespace: namespace, configuration: configuration, connection: single, logger: driverLogger)
        runTask = Task { await client.run() }
        owner = nil
    }

    /// Another namespace's view of the same database, sharing this store's connection pool
    /// (a server answers for many namespaces with one pool). Its ``changes()`` listen on a
    /// connection of their own, as every store's do.
    public func inNamespace(_ namespace: String) -> PostgresRunStore {
        PostgresRunStore(sharing: owner ?? self, namespace: namespace)
    }

    private init(sharing owner: PostgresRunStore, namespace: String) {
        configuration = owner.configuration
        self.namespace = namespace
        retryBudget = owner.retryBudget
        logger = owner.logger
        driverLogger = owner.driverLogger
        client = owner.client
        prober = owner.prober
        hub = ChangeHub(namespace: namespace, configuration: configuration, connection: Result { try owner.configuration.connectionConfiguration() },
                        logger: owner.driverLogger)
        runTask = nil
        self.owner = owner
    }

    /// Closes the pool (of a store, not of a namespace view: its owner's shutdown does) and
    /// the listening connection, and ends every ``changes()`` stream. Methods called
    /// afterwards throw ``StoreError/unusable(_:)``.
    public func shutdown() async {
        await hub.stop()
        runTask?.cancel()
        await runTask?.value
    }

    deinit {
        runTask?.cancel()
    }
}
