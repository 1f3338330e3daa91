import ApexDSL
import ApexEngine
import ArgumentParser

/// `apex cancel RUN`: requests cancellation.
struct CancelCommand: ConsoleCommand, ColorChoosing {
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
              apex cancel ticket-42 --json   (prints {"run_id", "cancel_requested"})

            Exit status: 0 (also when the run has already finished), 2 unknown run.
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Option(help: "Why, recorded in the history.")
    var reason: String?

    @Flag(help: "Print {\"run_id\", \"cancel_requested\"} as JSON (false: the run had already finished).")
    var json = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        guard let client = try server.client(settings: settings, store: store) else {
            let engine = try EngineFactory.engine(store: try await EngineFactory.store(store, settings: settings), llm: nil, settings: settings)
            do {
                let outcome = try await Self.cancel(runID: runID, reason: reason, engine: engine)
                report(outcome.requested, line: outcome.line, console: console)
                return .success
            } catch let refusal as CommandRefusal {
                console.error.writeLine("error: \(refusal.message)")
                return refusal.status
            }
        }
        do {
            _ = try await client.post(APIClient.runPath(runID, "/cancel"), reason.map { ["reason": .string($0)] })
            report(true, line: Self.requested(runID), console: console)
            return .success
        } catch let error as APIError where error.isUnknownRun {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        } catch APIError.problem(let problem) where problem.slug == "run-finished" {
            report(false, line: Self.alreadyFinished(runID), console: console)
            return .success
        }
    }

    /// The JSON object on standard output with `--json`, else `line` on standard error.
    private func report(_ requested: Bool, line: String, console: Console) {
        if json {
            console.output.writeLine(JSONValue.object(["run_id": .string(runID), "cancel_requested": .bool(requested)]).prettyJSON)
        } else {
            console.error.writeLine(line)
        }
    }

    /// Requests cancellation through `engine` (a local store): whether it was requested (false:
    /// the run had already finished, which is no error: cancelling is idempotent, the run is
    /// over either way) and the line to print; an unknown run is a ``CommandRefusal`` (exit 2).
    static func cancel(runID: String, reason: String?, engine: Engine) async throws -> (requested: Bool, line: String) {
        do {
            try await engine.cancel(runID: runID, reason: reason)
            return (true, requested(runID))
        } catch StoreError.unknownRun {
            throw CommandRefusal("no run with id \(runID)", status: .badInput)
        } catch StoreError.runFinished {
            return (false, alreadyFinished(runID))
        }
    }

    private static func requested(_ runID: String) -> String { "cancellation of run \(runID) requested" }
    private static func alreadyFinished(_ runID: String) -> String { "run \(runID) has already finished; nothing to cancel" }
}
