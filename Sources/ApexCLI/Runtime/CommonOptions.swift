import ArgumentParser

/// `--db` on every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The store: sqlite:/path/file.db (overrides APEX_DATABASE_URL).")
    var database: String?
}

/// How llm steps reach a model.
struct LLMFlags: ParsableArguments {
    @Flag(name: .customLong("mock-llm"), help: "Send every llm step to the offline, deterministic mock provider.")
    var mockLLM = false

    @Option(name: .customLong("llm-fixtures"), help: "Scripted replies for the mock provider: a YAML mapping from step id to replies.")
    var llmFixtures: String?
}
