import ApexEngine
import ArgumentParser

/// `apex cancel RUN`: requests cancellation.
struct CancelCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run: running calls are cancelled and the run ends cancelled.",
        discussion: """
            The request is recorded in the run's history; the process driving the run (apex \
            run, resume or worker) cancels it within a moment. A run nobody drives is cancelled \
            when it is next resumed or claimed.

            Example:
              apex cancel 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --reason "duplicate ticket"

            Exit status: 0 (also when the run has already finished), 2 unknown run.
            """
    )

    @Argument(help: "The run id.")
    var runID: String

    @Option(help: "Why, recorded in the history.")
    var reason: String?

    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        let engine = try await EngineFactory.engine(console, store: store, llm: nil)
        do {
            try await engine.cancel(runID: runID, reason: reason)
            console.error.writeLine("cancellation of run \(runID) requested")
            return .success
        } catch StoreError.unknownRun {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        } catch StoreError.runFinished {
            // Cancelling is idempotent: the run is over either way (docs/cli.md, "`apex cancel`").
            console.error.writeLine("run \(runID) has already finished; nothing to cancel")
            return .success
        }
    }
}
