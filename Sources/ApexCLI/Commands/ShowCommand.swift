import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex show RUN`: one run, with a table of its steps; `--watch` follows it to its end.
struct ShowCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: status, input, output or error, and a table of steps.",
        discussion: """
            The step table (status, attempts, duration, tokens) is rebuilt from the run's \
            history. Secrets never appear: they are not stored. The started line gives the \
            start's timestamp and its age (3m ago, as apex runs prints it).

            --watch follows the run until it ends, whoever drives it (apex run, a worker, a \
            server): on a terminal the table is redrawn in place as it changes; elsewhere one \
            line is printed per change. It exits as apex run does (0 completed, 1 failed or \
            timed out, 3 cancelled); Ctrl-C stops watching (130) and leaves the run alone.

            Examples:
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --json
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --watch
              apex show ticket-42 --server http://127.0.0.1:8080
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Follow the run until it ends, showing each change; exit as apex run does.")
    var watch = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        guard !(watch && json) else { throw ValidationError("--watch and --json cannot be used together") }
        let settings = Settings(console: console)
        if let client = try server.client(settings: settings, store: store) {
            let detail: JSONValue
            do { detail = try await client.get(APIClient.runPath(runID)) } catch let error as APIError where error.isUnknownRun {
                console.error.writeLine("error: no run with id \(runID)")
                return .badInput
            }
            if watch { return try await RunWatch(console: console, runID: runID).follow(RunWatch.snapshots(client: client, runID: runID, first: detail)) }
            print(detail, console: console)
            return .success
        }
        let engine = try EngineFactory.engine(store: try await EngineFactory.store(store, settings: settings), llm: nil, settings: settings)
        guard let run = try await ReplayedRun.load(runID, from: engine) else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        if watch { return try await RunWatch(console: console, runID: runID).follow(RunWatch.snapshots(engine: engine, record: run.record)) }
        print(run.detail, console: console)
        return .success
    }

    private func print(_ detail: JSONValue, console: Console) {
        if json {
            console.output.writeLine(detail.prettyJSON)
        } else {
            console.output.write(RunText.show(detail, now: Timestamp(Date())))
        }
    }
}
