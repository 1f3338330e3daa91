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
        contextValue(startedAt: startedAt.description)
    }

    /// ``contextValue`` with its keys and null values: each value is a copy that shares these
    /// keys (hashed and checked once) and fills in its own values.
    private static let contextTemplate: OrderedDictionary<String, JSONValue> = [
        "status": .null, "output": .null, "error": .null, "attempts": .null, "started_at": .null, "finished_at": .null,
    ]

    /// ``contextValue`` with `started_at` already formatted (it never changes, and replay
    /// rebuilds a visit's value each time its record changes).
    func contextValue(startedAt startedAtText: String) -> JSONValue {
        var object = Self.contextTemplate
        object.values[0] = .string(status.rawValue)
        object.values[1] = output ?? .null
        object.values[2] = error?.json ?? .null
        object.values[3] = .int(attempts)
        object.values[4] = .string(startedAtText)
        object.values[5] = finishedAt.map { .string($0.description) } ?? .null
        return .object(object)
    }
}
