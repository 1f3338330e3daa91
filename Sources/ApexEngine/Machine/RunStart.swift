import ApexDSL
import OrderedCollections

/// What `RunStarted` fixes for the whole run: the input and the `run` context.
struct RunStart: Sendable {
    let input: JSONValue
    let startedAt: Timestamp
    /// `{id, name, started_at}`.
    let run: JSONValue
    /// The children and routing the run pinned.
    let pins: RunPins

    init(runID: String, workflow: String, input: JSONValue, startedAt: Timestamp, pins: RunPins) {
        self.input = input
        self.pins = pins
        self.startedAt = startedAt
        let run: OrderedDictionary<String, JSONValue> = [
            "id": .string(runID), "name": .string(workflow), "started_at": .string(startedAt.description),
        ]
        self.run = .object(run)
    }
}
