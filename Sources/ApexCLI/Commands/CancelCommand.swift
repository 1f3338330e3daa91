import ApexDSL
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
              apex cancel ticket-42 --server http://127.0.0.1:8080

            Exit status: 0 (also when the run has already finished), 2 unknown run.
            """
    )

    @Argument(help: "The run id.")
    var runID: String

    @Option(help: "Why, recorded in the history.")
    var reason: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        let client = try server.client(settings: settings, store: store)
        do {
            if let client {
                _ = try await client.post(APIClient.runPath(runID, "/cancel"), reason.map { ["reason": .string($0)] })
            } else {
                let engine = try EngineFactory.engine(store: try await EngineFactory.store(store, settings: settings), llm: nil, settings: settings)
                try await engine.cancel(runID: runID, reason: reason)
            }
            console.error.writeLine("cancellation of run \(runID) requested")
            return .success
        } catch StoreError.unknownRun {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        } catch let error as APIError where error.isUnknownRun {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        } catch APIError.problem(let problem) where problem.slug == "run-finished" {
            console.error.writeLine("run \(runID) has already finished; nothing to cancel")
            return .success
        } catch StoreError.runFinished {
            // Cancelling is idempotent: the run is over either way (docs/cli.md, "`apex cancel`").
            console.error.writeLine("run \(runID) has already finished; nothing to cancel")
            return .success
        }
    }
}
