import ApexDSL
import OrderedCollections

/// The JSON of runs for `--json` output and the HTTP API: a stable shape documented in docs/cli.md.
public enum RunJSON {
    public static func record(_ record: RunRecord) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = [
            "id": .string(record.id), "namespace": .string(record.namespace), "task_queue": .string(record.taskQueue),
            "workflow": .string(record.workflow), "status": .string(record.status.rawValue),
            "current_step": record.currentStep.map(JSONValue.string) ?? .null,
            "started_at": .string(record.startedAt.description),
            "finished_at": record.finishedAt.map { .string($0.description) } ?? .null,
            "definition_hash": .string(record.definitionHash),
            "input": record.input, "output": record.output ?? .null, "error": record.error?.json ?? .null,
        ]
        if let parent = record.parentRunID { object["parent_run_id"] = .string(parent) }
        return .object(object)
    }
}

extension RunJSON {
    /// A run with its steps and token usage: `apex show --json` and `GET /v1/runs/{id}`. A step
    /// whose attempts recorded progress (an agent's turns and tool calls) has it as `log`.
    public static func detail(_ record: RunRecord, steps: [StepRecord], logs: StepLogs = StepLogs()) -> JSONValue {
        var object = Self.record(record).objectValue ?? [:]
        object["usage"] = steps.compactMap(\.usage).reduce(Usage(inputTokens: 0, outputTokens: 0), +).json
        object["steps"] = .array(steps.map { step in
            guard let log = logs.records(step: step.key, visit: step.visit), case .object(var json) = StepJSON.record(step) else { return StepJSON.record(step) }
            json["log"] = .array(log)
            return .object(json)
        })
        return .object(object)
    }
}
