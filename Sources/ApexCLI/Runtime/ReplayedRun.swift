import ApexCompiler
import ApexDSL
import ApexEngine

/// A run with its pinned plan and its steps rebuilt from its history, for `apex show` and
/// `apex graph --run`.
struct ReplayedRun {
    var record: RunRecord
    var plan: Plan
    var steps: [StepRecord]
    /// What the steps' attempts recorded of their progress (an agent's turns and tool calls).
    var logs: StepLogs

    /// The run with its steps and token usage, as `apex show --json` prints it.
    var detail: JSONValue { RunJSON.detail(record, steps: steps, logs: logs) }

    /// The run `runID` of `engine`'s store, nil when there is none.
    static func load(_ runID: String, from engine: Engine) async throws -> ReplayedRun? {
        guard let record = try await engine.store.run(id: runID) else { return nil }
        let events = try await engine.store.events(runID: runID, after: 0)
        let plan = try await engine.plan(forRun: record)
        let machine = try Replayer.replay(plan: plan, runID: runID, events: events)
        return ReplayedRun(record: record, plan: plan, steps: machine.stepRecords, logs: StepLogs(events))
    }
}
