import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex runs`: lists runs, newest first.
struct RunsCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, newest first: id, workflow, status, current step, started, duration.",
        discussion: """
            STARTED is the start's age: just now (under 10 s), 42s ago, 3m ago, 2h ago, 5d ago, \
            or the UTC date beyond 30 days. --json keeps the exact started_at timestamps.

            Examples:
              apex runs
              apex runs --status running --workflow ticket-triage --limit 20
              apex runs --json
              apex runs --server http://127.0.0.1:8080 --status failed
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

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        let filterStatus = try Self.statusFilter(status)
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        let settings = Settings(console: console)
        let runs: [JSONValue]
        if let client = try server.client(settings: settings, store: store) {
            runs = try await Self.runs(client, status: filterStatus, workflow: workflow, limit: limit)
        } else {
            runs = try await Self.runs(in: try await EngineFactory.store(self.store, settings: settings), status: filterStatus, workflow: workflow, limit: limit)
        }
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

    /// The status `--status` names (nil for all), or the usage error that lists the statuses.
    static func statusFilter(_ status: String?) throws -> RunStatus? {
        guard let status else { return nil }
        guard let parsed = RunStatus(rawValue: status) else {
            throw ValidationError("unknown status \"\(status)\"; use one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return parsed
    }

    /// The store's runs, newest first, as `apex runs --json` prints them.
    static func runs(in store: any RunStore, status: RunStatus?, workflow: String?, limit: Int) async throws -> [JSONValue] {
        try await store.runs(RunFilter(status: status, workflow: workflow, limit: limit)).map(RunJSON.record)
    }

    /// The server's runs, newest first: `GET /v1/runs`, page after page (of at most 500)
    /// until `limit` runs or the last page.
    private static func runs(_ client: APIClient, status: RunStatus?, workflow: String?, limit: Int) async throws -> [JSONValue] {
        var runs: [JSONValue] = []
        var cursor: String?
        repeat {
            var query = ["limit=\(min(500, limit - runs.count))"]
            if let status { query.append("status=\(status.rawValue)") }
            if let workflow { query.append("workflow=\(APIClient.escape(workflow))") }
            if let cursor { query.append("cursor=\(APIClient.escape(cursor))") }
            let page = try await client.get("/v1/runs?" + query.joined(separator: "&"))
            runs += page["runs"]?.arrayValue ?? []
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil && runs.count < limit
        return runs
    }
}
