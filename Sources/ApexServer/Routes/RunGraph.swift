import ApexCompiler
import ApexDSL
import ApexEngine
import OrderedCollections

/// `GET /v1/runs/{id}/graph`: the compiled plan's graph with each state's live status.
enum RunGraph {
    /// A state's `status` is its latest visit's (`pending` before any), `retrying` while a
    /// later attempt runs after a failed one; `visits` counts its visits (loops and foreach
    /// items), `attempts` is the latest visit's.
    static func json(plan: Plan, steps: [StepRecord], record: RunRecord) -> JSONValue {
        var latest: [StateID: StepRecord] = [:]
        var visits: [StateID: Int] = [:]
        for step in steps {
            visits[step.stateID, default: 0] += 1
            if let seen = latest[step.stateID], seen.startedAt > step.startedAt { continue }
            latest[step.stateID] = step
        }
        var graph = plan.graphJSON { state -> OrderedDictionary<String, JSONValue> in
            guard let step = latest[state.id] else { return ["status": "pending", "visits": 0, "attempts": 0] }
            let retrying = step.status == .running && step.attempts > 1 && step.error != nil
            return ["status": .string(retrying ? "retrying" : step.status.rawValue), "visits": .int(visits[state.id] ?? 0),
                    "attempts": .int(step.attempts)]
        }.objectValue ?? [:]
        graph["run_id"] = .string(record.id)
        graph["status"] = .string(record.status.rawValue)
        return .object(graph)
    }
}
