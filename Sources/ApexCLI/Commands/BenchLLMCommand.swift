import ApexFakeProvider
import ApexStoreSQLite
import ArgumentParser

/// `apex bench llm`: times the provider layer against the fake provider server on 127.0.0.1.
struct BenchLLMCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Time the LLM provider layer against a local fake provider server.",
        discussion: """
            Starts the fake OpenAI/Anthropic server of the test suite on 127.0.0.1 (nothing \
            leaves the machine) and measures, one line each: a streamed call of each \
            provider; the same exchange without the provider layer (a bare POST whose answer \
            is the same stream); the provider layer's own share (request building, SSE \
            parsing, reply assembly); and engine time per openai llm step on a SQLite store.

            Examples:
              apex bench llm
              apex bench llm --calls 1000 --tokens 500
            """
    )

    @Option(help: "Calls per measurement.")
    var calls = 500

    @Option(help: "Words in each streamed reply (one SSE event each).")
    var tokens = 200

    @Option(help: "Steps per run for the per-step measurement.")
    var steps = 50

    @Option(help: "Timed runs for the per-step measurement.")
    var iterations = 5

    @OptionGroup var colorOption: ColorOption

    func validate() throws {
        guard calls >= 1, tokens >= 1, steps >= 1, iterations >= 1 else {
            throw ValidationError("--calls, --tokens, --steps and --iterations must be at least 1")
        }
    }

    func run(console: Console) async throws -> ExitCode {
        let server = try await FakeProviderServer.start()
        let scratch = ScratchDatabase()
        defer { scratch.remove() }
        console.error.writeLine("apex bench llm: fake provider server at \(server.baseURL)")
        let bench = ProviderBench(server: server, console: console, tokens: tokens)
        let medians = try await bench.providers(calls: calls)
        bench.layerCost(medians, bare: try await bench.bareExchange(calls: calls))
        try await bench.enginePerStep(store: try SQLiteRunStore(path: scratch.path), steps: steps, iterations: iterations)
        try await server.shutdown()
        return .success
    }
}
