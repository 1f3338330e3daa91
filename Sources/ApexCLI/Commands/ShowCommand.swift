import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex show RUN`: one run, with a table of its steps.
struct ShowCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: status, input, output or error, and a table of steps.",
        discussion: """
            The step table (status, attempts, duration, tokens) is rebuilt from the run's \
            history. Secrets never appear: they are not stored.

            Examples:
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A
              apex show 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --json
            """
    )

    @Argument(help: "The run id.")
    var runID: String

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        let engine = try await EngineFactory.engine(console, store: store, llm: nil)
        guard let record = try await engine.store.run(id: runID) else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        let events = try await engine.store.events(runID: runID, after: 0)
        let machine = try Replayer.replay(plan: try await engine.plan(forRun: record), runID: runID, events: events)
        let detail = RunJSON.detail(record, steps: machine.stepRecords)
        if json {
            console.output.writeLine(detail.prettyJSON)
        } else {
            console.output.write(RunText.show(detail, now: Timestamp(Date())))
        }
        return .success
    }
}
