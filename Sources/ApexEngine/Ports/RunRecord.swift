import ApexDSL

/// Where a run stands, as stored and listed.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    case running, completed, failed, cancelled
    /// Timed out is a kind of failure for exit codes, but listed separately.
    case timedOut = "timed_out"

    public var isFinished: Bool { self != .running }
}

/// A run's row: what `apex runs` lists and what drivers claim. The history is the truth; these
/// columns are kept in step with it in the same transaction, for listing and scheduling.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var namespace: String
    /// Which workers may drive it: those given this queue (`apex worker --task-queue`).
    public var taskQueue: String
    public var workflow: String
    public var definitionHash: String
    public var status: RunStatus
    public var input: JSONValue
    public var output: JSONValue?
    public var error: RunError?
    /// The step the run is at (for listings), e.g. `approval` or `each[2]/summarize`.
    public var currentStep: String?
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    /// The parent run, for a child started by a `workflow` step.
    public var parentRunID: String?
    /// The seq of the last event.
    public var lastSeq: Int

    public init(id: String, namespace: String = "default", taskQueue: String = TaskQueue.defaultName, workflow: String, definitionHash: String, status: RunStatus = .running,
                input: JSONValue, output: JSONValue? = nil, error: RunError? = nil, currentStep: String? = nil,
                startedAt: Timestamp, finishedAt: Timestamp? = nil, parentRunID: String? = nil, lastSeq: Int = 0) {
        self.id = id
        self.namespace = namespace
        self.taskQueue = taskQueue
        self.workflow = workflow
        self.definitionHash = definitionHash
        self.status = status
        self.input = input
        self.output = output
        self.error = error
        self.currentStep = currentStep
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.parentRunID = parentRunID
        self.lastSeq = lastSeq
    }
}

/// The stored text of a workflow definition, by its content hash.
public struct StoredDefinition: Sendable, Hashable {
    public var hash: String
    public var workflow: String
    /// The YAML as it was when the run started.
    public var source: String
    /// The path it was read from, for messages and child workflow lookups.
    public var path: String

    public init(hash: String, workflow: String, source: String, path: String) {
        self.hash = hash
        self.workflow = workflow
        self.source = source
        self.path = path
    }
}

/// What a driver commits with new events: the run's row after them, and when it next needs
/// attention.
public struct RunUpdate: Sendable, Hashable {
    public var status: RunStatus
    public var output: JSONValue?
    public var error: RunError?
    public var currentStep: String?
    public var finishedAt: Timestamp?
    /// The earliest pending timer, when the run waits on one.
    public var wakeAt: Timestamp?

    public init(status: RunStatus, output: JSONValue? = nil, error: RunError? = nil, currentStep: String? = nil,
                finishedAt: Timestamp? = nil, wakeAt: Timestamp? = nil) {
        self.status = status
        self.output = output
        self.error = error
        self.currentStep = currentStep
        self.finishedAt = finishedAt
        self.wakeAt = wakeAt
    }
}

/// Which runs of the store's namespace `apex runs` lists.
public struct RunFilter: Sendable, Hashable {
    public var status: RunStatus?
    public var workflow: String?
    /// Only the children of this run.
    public var parentRunID: String?
    public var limit: Int

    public init(status: RunStatus? = nil, workflow: String? = nil, parentRunID: String? = nil, limit: Int = 50) {
        self.status = status
        self.workflow = workflow
        self.parentRunID = parentRunID
        self.limit = limit
    }
}
