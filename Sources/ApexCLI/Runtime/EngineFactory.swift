import ApexEngine
import ApexLLM
import ApexStoreSQLite
import Foundation

/// Builds the store and the engine a command uses, from the settings and flags.
enum EngineFactory {
    static func store(_ options: StoreOptions, settings: Settings) throws -> SQLiteRunStore {
        let path = try settings.databasePath(flag: options.database)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try SQLiteRunStore(path: path)
    }

    /// The engine of a command, on the store its settings and `--db` name.
    static func engine(_ console: Console, store options: StoreOptions, llm: LLMFlags?) throws -> Engine {
        let settings = Settings(console: console)
        return try engine(store: try store(options, settings: settings), llm: llm, settings: settings)
    }

    /// The engine; `llm` is nil for commands that run no step (signal, cancel, show, …).
    static func engine(store: any RunStore, llm: LLMFlags?, settings: Settings) throws -> Engine {
        let fixtures = try llm?.llmFixtures.map { try MockFixtures(path: $0) }
        let mock = MockLLMProvider(fixtures: fixtures, callLog: settings.environment["APEX_MOCK_LLM_LOG"])
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": mock], override: llm?.mockLLM == true || fixtures != nil ? "mock" : nil),
                                            http: HTTPStepExecutor(userAgent: "apex/\(ApexCommand.version)"))
        let worker = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(RunIDGenerator.make().suffix(6))"
        return Engine(store: store, executor: executor, secrets: Secrets(environment: settings.environment),
                      configuration: EngineConfiguration(workerID: worker, namespace: settings.namespace, warn: { [stream = ConsoleStream.standardError] message in
                            if settings.logsWarnings { stream.writeLine("warning: \(message)") }
                        }))
    }
}
