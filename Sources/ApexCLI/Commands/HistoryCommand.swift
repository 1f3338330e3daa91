import ApexDSL
import ApexEngine
import ArgumentParser

/// `apex history RUN`: the run's event history.
struct HistoryCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print a run's event history, one event a line.",
        discussion: """
            With --json, the events are printed exactly as stored (the documented format of \
            docs/history.md), one JSON object a line; `apex replay --history FILE` reads that.

            Examples:
              apex history 01JD3K7Q2M8R5T9V4W6X0Y1Z2A
              apex history 01JD3K7Q2M8R5T9V4W6X0Y1Z2A --json > run.jsonl
              apex history ticket-42 --server http://127.0.0.1:8080
            """
    )

    @Argument(help: "The run id.", completion: .runIDs)
    var runID: String

    @Flag(help: "Print the stored events as JSON lines.")
    var json = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let settings = Settings(console: console)
        if let client = try server.client(settings: settings, store: store) {
            do {
                try await client.history(runID: runID) { events in events.forEach { print($0, console: console) } }
            } catch let error as APIError where error.isUnknownRun {
                console.error.writeLine("error: no run with id \(runID)")
                return .badInput
            }
            return .success
        }
        let store = try await EngineFactory.store(self.store, settings: settings)
        guard try await store.run(id: runID) != nil else {
            console.error.writeLine("error: no run with id \(runID)")
            return .badInput
        }
        for event in try await store.events(runID: runID, after: 0) { print(event.json, console: console) }
        return .success
    }

    /// One event, from its stored JSON.
    private func print(_ event: JSONValue, console: Console) {
        console.output.writeLine(json ? event.compactJSON : RunText.historyLine(event))
    }
}
