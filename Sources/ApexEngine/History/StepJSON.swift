import ApexDSL
import OrderedCollections

/// The JSON of one step visit in `apex show --json`.
public enum StepJSON {
    public static func record(_ step: StepRecord) -> JSONValue {
        let object: OrderedDictionary<String, JSONValue> = [
            "step": .string(step.key), "visit": .int(step.visit), "status": .string(step.status.rawValue),
            "attempts": .int(step.attempts), "started_at": .string(step.startedAt.description),
            "finished_at": step.finishedAt.map { .string($0.description) } ?? .null,
            "output": step.output ?? .null, "error": step.error?.json ?? .null, "usage": step.usage?.json ?? .null,
        ]
        return .object(object)
    }
}
