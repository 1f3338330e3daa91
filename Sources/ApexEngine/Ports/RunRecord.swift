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

/// Which runs of the store's namespace `apex runs` lists, newest first (`startedAt`
/// descending, then `id` descending). Every condition left nil matches every run.
public struct RunFilter: Sendable, Hashable {
    public var status: RunStatus?
    public var workflow: String?
    /// Only the children of this run.
    public var parentRunID: String?
    /// Only runs started at or after this time (`startedAt >= startedAfter`).
    public var startedAfter: Timestamp?
    /// Only runs started before this time (`startedAt < startedBefore`).
    public var startedBefore: Timestamp?
    /// Only runs that come after this one in the listing's order: the next page of a listing
    /// whose last run had this ``RunRecord/cursor``. Runs started (or created) meanwhile with a
    /// later start time never shift the pages still to come.
    public var after: RunCursor?
    public var limit: Int

    public init(status: RunStatus? = nil, workflow: String? = nil, parentRunID: String? = nil,
                startedAfter: Timestamp? = nil, startedBefore: Timestamp? = nil, after: RunCursor? = nil, limit: Int = 50) {
        self.status = status
        self.workflow = workflow
        self.parentRunID = parentRunID
        self.startedAfter = startedAfter
        self.startedBefore = startedBefore
        self.after = after
        self.limit = limit
    }
}

/// A run's place in a listing of runs (``RunFilter/after``): its start time and id, the order
/// `startedAt DESC, id DESC`. The runs after it are those started earlier, and those started
/// at the same time with a smaller id.
public struct RunCursor: Sendable, Hashable {
    public var startedAt: Timestamp
    public var id: String

    public init(startedAt: Timestamp, id: String) {
        self.startedAt = startedAt
        self.id = id
    }
}

extension RunRecord {
    /// This run's place in a listing: give it as ``RunFilter/after`` for the next page.
    public var cursor: RunCursor { RunCursor(startedAt: startedAt, id: id) }
}

/// A workflow definition registered under its name in a namespace: version 1, 2, … per name
/// (``RunStore/registerWorkflow(name:hash:at:)``).
public struct RegisteredWorkflow: Sendable, Hashable {
    public var name: String
    /// 1 for the first definition registered under `name` in the namespace, then 2, 3, …
    public var version: Int
    /// The definition's hash (``StoredDefinition/hash``).
    public var hash: String
    /// When this version was registered.
    public var registeredAt: Timestamp

    public init(name: String, version: Int, hash: String, registeredAt: Timestamp) {
        self.name = name
        self.version = version
        self.hash = hash
        self.registeredAt = registeredAt
    }
}

/// An event with the run it belongs to (``RunStore/namespaceEvents(since:after:limit:)``).
public struct RunEvent: Sendable, Hashable {
    public var runID: String
    public var event: Event

    public init(runID: String, event: Event) {
        self.runID = runID
        self.event = event
    }

    /// Where this event stands in a namespace's events: give it as `after` to read on from it.
    public var position: RunEventPosition { RunEventPosition(at: event.at, runID: runID, seq: event.seq) }
}

/// A place in a namespace's events, in their order: time (`at`), then run id, then seq.
public struct RunEventPosition: Sendable, Hashable {
    public var at: Timestamp
    public var runID: String
    public var seq: Int

    public init(at: Timestamp, runID: String, seq: Int) {
        self.at = at
        self.runID = runID
        self.seq = seq
    }
}
