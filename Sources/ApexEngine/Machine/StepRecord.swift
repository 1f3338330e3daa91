import ApexCompiler
import ApexDSL
import OrderedCollections

/// One visit of a step with its result, as `apex show` prints it and `steps.<id>` reads it.
public struct StepRecord: Sendable, Hashable {
    /// The step key: the step id, prefixed by its iteration scopes (`each[2]/summarize`).
    public var key: String
    /// The plan state of the step.
    public var stateID: StateID
    /// Which start of the step this is under its key (loops increment it), from 1.
    public var visit: Int
    public var status: StepStatus
    /// Attempts made in this visit (1 for steps that are not activities).
    public var attempts: Int
    /// When the visit started (its `StepScheduled` or `StepSkipped`).
    public var startedAt: Timestamp
    /// When it ended: completed, failed, skipped or cancelled.
    public var finishedAt: Timestamp?
    public var output: JSONValue?
    /// The final error; while retrying, the error of the last failed attempt.
    public var error: RunError?
    /// Token usage summed over attempts (llm steps).
    public var usage: Usage?

    /// Creates a record.
    public init(key: String, stateID: StateID, visit: Int, status: StepStatus, attempts: Int, startedAt: Timestamp,
                finishedAt: Timestamp? = nil, output: JSONValue? = nil, error: RunError? = nil, usage: Usage? = nil) {
        self.key = key
        self.stateID = stateID
        self.visit = visit
        self.status = status
        self.attempts = attempts
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.output = output
        self.error = error
        self.usage = usage
    }

    /// What `steps.<id>` gives in expressions: `{status, output, error, attempts, started_at,
    /// finished_at}`.
    public var contextValue: JSONValue {
        let object: OrderedDictionary<String, JSONValue> = [
            "status": .string(status.rawValue),
            "output": output ?? .null,
            "error": error?.json ?? .null,
            "attempts": .int(attempts),
            "started_at": .string(startedAt.description),
            "finished_at": finishedAt.map { .string($0.description) } ?? .null,
        ]
        return .object(object)
    }
}
