import ApexCompiler
import ApexLLM
import ApexDSL
import ApexEngine
import ApexWorkflowFiles
import ArgumentParser
import Foundation

/// `apex run FILE`: validates, starts a run durably and drives it to its end in this process.
struct RunCommand: ConsoleCommand, ColorChoosing {
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
              apex run flow.yaml -i ticket=… --server http://127.0.0.1:8080   (the server drives it)

            Exit status: 0 completed, 1 failed or timed out, 2 invalid workflow or input, \
            3 cancelled, 130 interrupted (the run stays durable).
            """
    )

    @Argument(help: "The workflow file.", completion: .yamlFiles)
    var file: String

    @OptionGroup var input: InputOptions

    @Option(help: "A run id that makes the start idempotent: a second start with the same id attaches to the run.")
    var id: String?

    @Flag(help: "Return once the run is durably started, printing its id.")
    var detach = false

    @Flag(help: "Print the run's final record as JSON instead of only its output.")
    var json = false

    @Option(name: .customLong("task-queue"),
            help: "The run's task queue, which workers serve it (default: the workflow's task_queue:, else APEX_TASK_QUEUE, else apex-orchestrator).")
    var taskQueue: String?

    @OptionGroup var llm: LLMFlags
    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        let client = try server.client(settings: settings, store: store, localFlags: [
            .init(name: "--mock-llm", given: llm.mockLLM, reason: "the server routes llm steps as it was configured"),
            .init(name: "--llm-fixtures", given: llm.llmFixtures != nil, reason: "the server routes llm steps as it was configured"),
            .init(name: "--task-queue", given: taskQueue != nil,
                  reason: "the API starts a run on its workflow's task_queue: or the server's default queue"),
        ])
        do {
            let bundle = try LocalRun.bundle(at: file)
            if let client {
                return try await RemoteRun(client: client, console: console, json: json)
                    .start(bundle, file: file, input: try input.value(), runID: id, detach: detach)
            }
            let routing = try LocalRun.routing(llm)
            // Checked before the store is opened: a run that could not call its models is not started.
            let executor = EngineFactory.executor(fallback: routing, settings: settings)
            try LocalRun.checkKeys(executor, for: bundle, routing: routing)
            let engine = EngineFactory.engine(store: try await EngineFactory.store(store, settings: settings), executor: executor, settings: settings)
            let started = try await LocalRun.start(bundle, on: engine, input: try input.value(), runID: id, routing: routing,
                                                   taskQueue: taskQueue, settings: settings)
            if detach {
                console.output.writeLine(started.runID)
                return .success
            }
            return try await RunFollower(engine: engine, console: console, json: json, startedHere: started.created).follow(started.runID)
        } catch let refusal as RunRefusal {
            console.error.write(refusal.rendered(colors: console.allowsColor(on: console.error)))
            return .badInput
        }
    }
}
