import ApexCompiler
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
        let configuration = ProviderConfiguration(environment: settings.environment)
        let providers = configuration.providers().merging(["mock": mock]) { _, mock in mock }
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: providers, override: sendsEverythingToMock(llm) ? "mock" : nil),
                                            http: HTTPStepExecutor(userAgent: "apex/\(ApexCommand.version)"),
                                            apiKeys: [configuration.openAIKey, configuration.anthropicKey].compactMap { $0 })
        let worker = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(RunIDGenerator.make().suffix(6))"
        return Engine(store: store, executor: executor, secrets: Secrets(environment: settings.environment),
                      configuration: EngineConfiguration(workerID: worker, namespace: settings.namespace, warn: { [stream = ConsoleStream.standardError] message in
                            if settings.logsWarnings { stream.writeLine("warning: \(message)") }
                        }))
    }

    /// Whether `--mock-llm` or `--llm-fixtures` sends every llm step to the mock provider.
    static func sendsEverythingToMock(_ llm: LLMFlags?) -> Bool {
        llm?.mockLLM == true || llm?.llmFixtures != nil
    }

    /// Why a new run of `plan` could not call its models: one line per provider whose key is
    /// missing, naming a step that uses it. Empty when every key is there (or calls go to the mock).
    static func missingKeys(_ plan: Plan, llm: LLMFlags?, settings: Settings) -> [String] {
        guard !sendsEverythingToMock(llm) else { return [] }
        let configuration = ProviderConfiguration(environment: settings.environment)
        var problems: [String: String] = [:]
        for state in plan.states {
            guard let options = state.llm else { continue }
            let provider = options.provider?.value ?? "openai"
            if problems[provider] == nil, let variable = configuration.missingKey(provider: provider) {
                problems[provider] = "step \(state.stepID) uses the \(provider) provider, but \(variable) is not set (in the environment or .env); set it, or run with --mock-llm"
            }
        }
        return problems.keys.sorted().compactMap { problems[$0] }
    }
}
