import ApexCompiler
import ApexEngine
import ApexWorkflowFiles
import ApexLLM
import ApexStoreSQLite
import Foundation

/// Builds the store and the engine a command uses, from the settings and flags.
enum EngineFactory {
    static func store(_ options: StoreOptions, settings: Settings) throws -> SQLiteRunStore {
        let path = try settings.databasePath(flag: options.database)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try SQLiteRunStore(path: path, namespace: try settings.namespace(flag: options.namespace))
    }

    /// The engine of a command, on the store its settings and `--db` name.
    static func engine(_ console: Console, store options: StoreOptions, llm: LLMFlags?) throws -> Engine {
        let settings = Settings(console: console)
        return try engine(store: try store(options, settings: settings), llm: llm, settings: settings)
    }

    /// The engine; `llm` is nil for commands that run no step (signal, cancel, show, …). Runs
    /// go where they recorded at their start; the flags route only runs that recorded nothing.
    static func engine(store: any RunStore, llm: LLMFlags?, settings: Settings) throws -> Engine {
        engine(store: store, executor: executor(fallback: try llm?.routing() ?? .providers, settings: settings), settings: settings)
    }

    /// The engine with an executor made already (`apex run` checks keys with it first).
    static func engine(store: any RunStore, executor: StepActivityExecutor, settings: Settings) -> Engine {
        // `host:pid` in StepStarted events; the lease owner also tells apart engines of one process.
        let name = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        return Engine(store: store, executor: executor, workflows: WorkflowFiles(), secrets: Secrets(environment: settings.environment),
                      configuration: EngineConfiguration(workerID: "\(name)/\(RunIDGenerator.make().suffix(6))", workerName: name, warn: { [stream = ConsoleStream.standardError] message in
                            if settings.logsWarnings { stream.writeLine("warning: \(message)") }
                        }))
    }

    /// The executor of `llm` and `http` steps; `fallback` routes the runs that recorded no
    /// routing. The `mock` provider has no fixtures: a run's fixtures come from its record.
    static func executor(fallback: LLMRouting, settings: Settings) -> StepActivityExecutor {
        let callLog = settings.environment["APEX_MOCK_LLM_LOG"]
        let configuration = ProviderConfiguration(environment: settings.environment)
        let providers = configuration.providers().merging(["mock": MockLLMProvider(callLog: callLog)]) { _, mock in mock }
        let llmExecutor = LLMActivityExecutor(providers: providers, fallback: fallback, mockCallLog: callLog, configuration: configuration)
        return StepActivityExecutor(llm: llmExecutor, http: HTTPStepExecutor(userAgent: "apex/\(ApexCommand.version)"),
                                    apiKeys: [configuration.openAIKey, configuration.anthropicKey].compactMap { $0 })
    }
}
