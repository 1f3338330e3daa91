import ApexCompiler
import ApexEngine
import ApexWorkflowFiles
import ApexLLM
import ApexStorePostgres
import ApexStoreSQLite
import Foundation
import Logging

/// Builds the store and the engine a command uses, from the settings and flags.
enum EngineFactory {
    /// How a command opens its store.
    enum Opening {
        /// To use it: an unmigrated PostgreSQL store is refused (exit 2), or migrated with
        /// `--migrate` / `APEX_AUTO_MIGRATE=1`; SQLite migrates itself.
        case forUse
        /// As it is (`apex migrate`).
        case asIs
    }

    /// The store `--db` (else `APEX_DATABASE_URL`, else `POSTGRES_*`, else `$APEX_HOME/apex.db`)
    /// names, as the namespace's view.
    static func store(_ options: StoreOptions, settings: Settings, opening: Opening = .forUse) async throws -> any RunStore {
        let namespace = try settings.namespace(flag: options.namespace)
        switch try settings.storeLocation(flag: options.database) {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            return try SQLiteRunStore(path: path, namespace: namespace, migrating: opening == .forUse)
        case .postgres(let configuration):
            var logger = Logger(label: "apex.store")
            logger.logLevel = Settings.logLevel(settings.environment)
            let store = PostgresRunStore(configuration: configuration, namespace: namespace, logger: logger)
            if opening == .forUse { try await ensureMigrated(store, migrating: options.migrate || settings.autoMigrates, at: configuration.redactedURL) }
            return store
        }
    }

    /// `store`'s view of another namespace, sharing its connections (a server answers for
    /// every namespace with one pool).
    static func view(of store: any RunStore, namespace: String) -> any RunStore {
        switch store {
        case let sqlite as SQLiteRunStore: sqlite.inNamespace(namespace)
        case let postgres as PostgresRunStore: postgres.inNamespace(namespace)
        default: preconditionFailure("EngineFactory.store makes SQLite and PostgreSQL stores only")
        }
    }

    /// Refuses a store with pending migrations, or applies them when `migrating`.
    private static func ensureMigrated(_ store: any RunStore, migrating: Bool, at location: String) async throws {
        let migrations = try await store.migrations()
        let pending = migrations.filter { !$0.isApplied }
        guard !pending.isEmpty else { return }
        guard migrating else {
            let what = pending.count == migrations.count ? "has no apex schema" : "lacks \(pending.count) migration(s)"
            throw SettingsError("the database \(location) \(what): run `apex migrate` first (or pass --migrate, or set APEX_AUTO_MIGRATE=1)")
        }
        try await store.migrate()
    }

    /// The engine of a command, on the store its settings and `--db` name.
    static func engine(_ console: Console, store options: StoreOptions, llm: LLMFlags?, maxActivities: Int? = nil) async throws -> Engine {
        let settings = Settings(console: console)
        return try engine(store: try await store(options, settings: settings), llm: llm, settings: settings, maxActivities: maxActivities)
    }

    /// The engine; `llm` is nil for commands that run no step (signal, cancel, show, …). Runs
    /// go where they recorded at their start; the flags route only runs that recorded nothing.
    static func engine(store: any RunStore, llm: LLMFlags?, settings: Settings, maxActivities: Int? = nil) throws -> Engine {
        engine(store: store, executor: executor(fallback: try llm?.routing() ?? .providers, settings: settings), settings: settings,
               maxActivities: maxActivities)
    }

    /// The engine with an executor made already (`apex run` checks keys with it first).
    static func engine(store: any RunStore, executor: StepActivityExecutor, settings: Settings, maxActivities: Int? = nil) -> Engine {
        // `host:pid` in StepStarted events; the lease owner also tells apart engines of one
        // process, and names the kernel that the pid belongs to (LeaseOwnerProbe).
        let name = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        let owner = LeaseOwnerProbe.ownerName(process: name, suffix: String(RunIDGenerator.make().suffix(6)))
        var configuration = EngineConfiguration(workerID: owner, workerName: name, maxActivities: maxActivities,
                                                warn: { [stream = ConsoleStream.standardError] message in
                                                    if settings.logsWarnings { stream.writeLine("warning: \(message)") }
                                                })
        configuration.isLeaseOwnerGone = LeaseOwnerProbe.probe
        return Engine(store: store, executor: executor, workflows: WorkflowFiles(), secrets: Secrets(environment: settings.environment),
                      configuration: configuration)
    }

    /// The executor of `llm` and `http` steps; `fallback` routes the runs that recorded no
    /// routing. The `mock` provider has no fixtures: a run's fixtures come from its record.
    /// `http` carries the `http` steps' requests (`apex test` answers them with stubs).
    /// `recorder` keeps the providers' replies (`apex test --record`).
    static func executor(fallback: LLMRouting, settings: Settings, http: HTTPTransport = .shared, recorder: ReplyRecorder? = nil) -> StepActivityExecutor {
        let callLog = settings.environment["APEX_MOCK_LLM_LOG"]
        let configuration = ProviderConfiguration(environment: settings.environment)
        var providers = configuration.providers().merging(["mock": MockLLMProvider(callLog: callLog)]) { _, mock in mock }
        if let recorder { providers = providers.mapValues(recorder.recording) }
        let llmExecutor = LLMActivityExecutor(providers: providers, fallback: fallback, mockCallLog: callLog, configuration: configuration)
        return StepActivityExecutor(llm: llmExecutor, http: HTTPStepExecutor(transport: http, userAgent: "apex/\(ApexCommand.version)"),
                                    apiKeys: [configuration.openAIKey, configuration.anthropicKey].compactMap { $0 })
    }
}
