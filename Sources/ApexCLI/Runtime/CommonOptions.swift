import ApexDSL
import ApexLLM
import ArgumentParser

/// `--db` and `--namespace` on every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"),
            help: "The store: sqlite:/path/file.db or postgres://user:password@host:5432/db?sslmode=require (overrides APEX_DATABASE_URL).")
    var database: String?

    @Option(name: [.customShort("n"), .customLong("namespace")],
            help: "The namespace of the runs (overrides APEX_NAMESPACE; default: default).")
    var namespace: String?

    @Flag(help: "Migrate an unmigrated PostgreSQL store instead of refusing it (as APEX_AUTO_MIGRATE=1 does).")
    var migrate = false
}

/// How llm steps reach a model.
struct LLMFlags: ParsableArguments {
    @Flag(name: .customLong("mock-llm"), help: "Send every llm step to the offline, deterministic mock provider.")
    var mockLLM = false

    @Option(name: .customLong("llm-fixtures"), help: "Scripted replies for the mock provider: a YAML mapping from step id to replies.",
            completion: .yamlFiles)
    var llmFixtures: String?

    /// The routing these flags choose: what a new run records, and what runs that recorded
    /// none (started before routing was recorded) use. The fixtures file is read now: a run
    /// records its content, so it keeps its replies when the file changes or is gone.
    func routing() throws -> LLMRouting {
        if let llmFixtures {
            return .mock(fixtures: try MockFixtures.json(path: llmFixtures))
        }
        return mockLLM ? .mock(fixtures: nil) : .providers
    }
}
