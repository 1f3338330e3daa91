import ApexCompiler
import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex run FILE`: validates, starts a run durably and drives it to its end in this process.
struct RunCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a run of a workflow and drive it to its end, showing each step live.",
        discussion: """
            The run is durable from its start: stop this process at any moment (Ctrl-C, a crash, \
            a reboot) and `apex resume RUN` carries on without repeating a finished step. The \
            run's output is printed on stdout as JSON; step lines go to stderr.

            llm steps call their provider with OPENAI_API_KEY / OPENAI_BASE_URL or \
            ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL (from the environment or .env); a run whose \
            provider has no key is not started. --mock-llm sends every llm step to the \
            offline mock instead.

            Examples:
              apex run workflows/triage.yaml -i ticket="My invoice is wrong" --mock-llm
              apex run flow.yaml --input '{"ticket": "…"}' --id ticket-42
              apex run flow.yaml --input-file input.json --detach

            Exit status: 0 completed, 1 failed or timed out, 2 invalid workflow or input, \
            3 cancelled, 130 interrupted (the run stays durable).
            """
    )

    @Argument(help: "The workflow file.")
    var file: String

    @OptionGroup var input: InputOptions

    @Option(help: "A run id that makes the start idempotent: a second start with the same id attaches to the run.")
    var id: String?

    @Flag(help: "Return once the run is durably started, printing its id.")
    var detach = false

    @Flag(help: "Print the run's final record as JSON instead of only its output.")
    var json = false

    @OptionGroup var llm: LLMFlags
    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        guard let data = FileManager.default.contents(atPath: file) else {
            console.error.writeLine("\(file): error: cannot read the file")
            return .badInput
        }
        let result = WorkflowValidator.validate(data: data, path: file)
        if result.hasErrors {
            let report = DiagnosticReport(path: file, source: result.source, diagnostics: result.diagnostics, truncatedCount: result.truncatedCount)
            console.error.write(DiagnosticRenderer.text(report, colors: console.allowsColor(on: console.error)))
            return .badInput
        }
        let plan = try Compiler.compile(result)
        let settings = Settings(console: console)
        let missingKeys = EngineFactory.missingKeys(plan, llm: llm, settings: settings)
        guard missingKeys.isEmpty else {
            for problem in missingKeys { console.error.writeLine("error: \(problem)") }
            return .badInput
        }
        let engine = try EngineFactory.engine(store: try EngineFactory.store(store, settings: settings), llm: llm, settings: settings)
        let started: Engine.Started
        do {
            started = try await engine.start(plan: plan, source: String(decoding: data, as: UTF8.self), path: file, input: try input.value(), runID: id)
        } catch let error as EngineError {
            console.error.writeLine("error: \(error)")
            return .badInput
        }
        if detach {
            console.output.writeLine(started.runID)
            return .success
        }
        return try await RunFollower(engine: engine, console: console, json: json, startedHere: started.created).follow(started.runID)
    }
}
