import ApexCompiler
import ApexDSL
import ApexEngine
import OrderedCollections

/// `GET /v1/runs/{id}/graph`: the compiled plan's graph with each state's live status.
public enum RunGraph {
    /// Each state node gets its ``StateProgress``: `status` (`pending` before any visit),
    /// `visits` and `attempts`.
    public static func json(plan: Plan, steps: [StepRecord], record: RunRecord) -> JSONValue {
        let progress = StateProgress.byState(steps)
        var graph = plan.graphJSON { state -> OrderedDictionary<String, JSONValue> in
            let shown = progress[state.id] ?? .pending
            return ["status": .string(shown.status), "visits": .int(shown.visits), "attempts": .int(shown.attempts)]
        }.objectValue ?? [:]
        graph["run_id"] = .string(record.id)
        graph["status"] = .string(record.status.rawValue)
        return .object(graph)
    }
}
