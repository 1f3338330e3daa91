import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex runs`: lists runs, newest first.
struct RunsCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, newest first: id, workflow, status, current step, started, duration.",
        discussion: """
            Examples:
              apex runs
              apex runs --status running --workflow ticket-triage --limit 20
              apex runs --json
            """
    )

    @Option(help: "Only runs with this status: running, completed, failed, cancelled, timed_out.")
    var status: String?

    @Option(help: "Only runs of this workflow.")
    var workflow: String?

    @Option(help: "At most this many runs.")
    var limit = 50

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run(console: Console) async throws -> ExitCode {
        var filterStatus: RunStatus?
        if let status {
            guard let parsed = RunStatus(rawValue: status) else {
                throw ValidationError("unknown status \"\(status)\"; use one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filterStatus = parsed
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        let settings = Settings(console: console)
        let store = try await EngineFactory.store(self.store, settings: settings)
        let runs = try await store.runs(RunFilter(status: filterStatus, workflow: workflow, limit: limit)).map(RunJSON.record)
        if json {
            console.output.writeLine(JSONValue.array(runs).prettyJSON)
            return .success
        }
        guard !runs.isEmpty else {
            console.error.writeLine("no runs")
            return .success
        }
        console.output.write(RunText.runs(runs, now: Timestamp(Date())))
        return .success
    }
}
