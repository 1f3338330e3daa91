import ApexDSL

/// Where definitions, runs, their histories, timers and leases live. SQLite embedded by
/// default, PostgreSQL for several machines; every backend passes the conformance suite in
/// ApexTesting (`RunStoreConformance`).
///
/// Every method is atomic. Appends are optimistic: a driver says which seq it last saw, and
/// a concurrent append (a signal, a cancellation) makes it fail with
/// ``StoreError/conflict(runID:lastSeq:)`` so the driver reads the new events first.
///
/// A store object is one namespace's view of a database: every method that names a run acts
/// on the runs of ``namespace`` only, and a run id is unique within its namespace. Definitions
/// are named by their content and shared by every namespace; the names they are registered
/// under (``registerWorkflow(name:hash:at:)``) belong to one namespace.
public protocol RunStore: Sendable {
    /// The namespace whose runs this object reads and writes.
    var namespace: String { get }

    /// Creates or upgrades the tables (numbered migrations). Idempotent, and safe with several
    /// processes migrating at once.
    func migrate() async throws
    /// Every migration this apex knows, in order, applied or pending. Throws
    /// ``StoreError/newerSchema(found:supported:)`` for a database migrated by a newer apex.
    func migrations() async throws -> [MigrationStatus]

    /// Stores a definition once per hash (a second save of the same hash is a no-op).
    func saveDefinition(_ definition: StoredDefinition) async throws
    func definition(hash: String) async throws -> StoredDefinition?

    /// Registers the definition `hash` (already saved with ``saveDefinition(_:)``) as the next
    /// version of `name` in this namespace, registered at `at`. Idempotent: when `hash` is
    /// already a version of `name`, that version is returned and nothing is written. Safe with
    /// concurrent registrations, across processes: each new hash gets a distinct version, and
    /// the same hash registered twice at once gets one version.
    func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow
    /// The newest version of every name registered in this namespace, by name ascending
    /// (compared by Unicode code points).
    func registeredWorkflows() async throws -> [RegisteredWorkflow]
    /// Every version of `name` in this namespace, newest first (none for an unknown name).
    func registeredVersions(name: String) async throws -> [RegisteredWorkflow]

    /// Creates a run with its first events (RunStarted and the first decisions) in one
    /// transaction. If a run with that id exists, nothing is written and it is returned.
    ///
    /// The row takes its identity, task queue, input, start time and parent from `run` (whose
    /// namespace is the store's), its status,
    /// output, error, current step, finish and wake times from `update`, and its last seq from
    /// `events` (numbered from 1). A new running run needs attention (it is claimable) until a driver appends to it: a detached start leaves it to a worker.
    func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult

    func run(id: String) async throws -> RunRecord?
    /// The namespace's runs that `filter` keeps, newest first (`startedAt` descending, then `id`
    /// descending), at most `filter.limit`. Page through them with ``RunFilter/after``.
    func runs(_ filter: RunFilter) async throws -> [RunRecord]
    /// How many of the namespace's runs `filter` keeps, per status (statuses with no run are
    /// absent). The filter's `status`, `after` and `limit` are ignored: the counts are those of
    /// every page and every status of a listing, for the web UI's tallies.
    func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int]

    /// The events of a run with `seq > after`, in order: at most `limit` of them, or all when
    /// `limit` is nil (none for an unknown run).
    func events(runID: String, after: Int, limit: Int?) async throws -> [Event]

    /// The namespace's events with `at >= since`, of every run, ordered by (`at`, run id, `seq`):
    /// with `after`, only those that come after that position in this order; at most `limit`.
    ///
    /// An event's `at` is the time its writer stamped it (a driver's clock, an outside event's
    /// `at`), not the order of commits: an event can be committed after a reader has passed its
    /// position. Readers that must see every event read again from a little before their
    /// position and skip what they have seen.
    func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent]

    /// Appends events that continue `expectedLastSeq` and updates the run's row, in one
    /// transaction. Throws ``StoreError/conflict(runID:lastSeq:)`` when the history has moved on,
    /// ``StoreError/unknownRun(_:)`` for an unknown run. The events are numbered from
    /// `expectedLastSeq + 1`; the run no longer needs attention afterwards (its driver has seen
    /// everything up to here).
    ///
    /// With `leaseOwner`, the append is fenced: it is refused with
    /// ``StoreError/leaseLost(runID:)`` unless that owner holds the run's lease (expired or
    /// not: what matters is that no one else took it). A driver whose lease was taken over
    /// while it was paused therefore cannot append after the new owner, even once it has read
    /// what the new owner wrote.
    ///
    /// An update to a finished status also gives the lease up: a finished run is no one's, and
    /// its driver needs no release afterwards.
    func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws

    /// Appends one event from outside the run's driver (`SignalReceived`, `CancelRequested`)
    /// at the next seq, stamped `at`, and marks the run as needing attention. Returns the event.
    /// Throws ``StoreError/unknownRun(_:)`` or ``StoreError/runFinished(_:)``.
    func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event

    /// Takes the run's lease for `owner` until `until` if it is free, expired, or already
    /// `owner`'s. Returns whether `owner` holds it now. A lease is live while `now <= until`.
    /// Throws ``StoreError/unknownRun(_:)`` for an unknown run.
    func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool
    /// Gives the lease up (only if `owner` holds it; otherwise, or for an unknown run, nothing
    /// happens). A released run is claimable again only for a due timer or outside events.
    func releaseLease(runID: String, owner: String) async throws
    /// The owner of the run's lease, live or expired; nil when no one holds it. Throws
    /// ``StoreError/unknownRun(_:)`` for an unknown run.
    func leaseHolder(runID: String) async throws -> String?

    /// Takes the leases of at most `limit` unfinished runs of `taskQueues` that need a driver
    /// now and have no live lease — a due timer, events from outside not yet seen by a driver,
    /// a new run, or a lease that expired — for `owner` until `until`, oldest first, leaving
    /// out `excluding`. Returns their ids. One atomic step: of several claimers at once, each
    /// run goes to one.
    func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String], excluding: Set<String>) async throws -> [String]

    /// When the next run of `taskQueues` becomes claimable with nothing else happening: the
    /// earliest timer of a run that no live lease holds, or the earliest expiry of a lease.
    /// nil when nothing is due later. Workers sleep until then (or until ``changes()`` wakes them).
    func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp?

    /// Extends to `until`, in one statement, the leases that `owner` still holds among
    /// `runIDs`. Returns the ids it renewed; the others were taken over or released.
    func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String]

    /// The unfinished runs whose lease `owner` holds (or held last: an expired lease still
    /// names its owner until someone takes it) that need attention: events from outside not
    /// yet seen by a driver, and a new run before its driver's first append. Each with its
    /// last seq, oldest first. One query answers for every driver of a process: an engine
    /// asks it once per poll interval (`EngineConfiguration.pollInterval`) instead of each of
    /// its drivers reading its own history. A run keeps being reported until its driver
    /// appends, so callers compare `lastSeq` with what they have already seen.
    func runsWithNews(owner: String) async throws -> [RunNews]

    /// What other processes change in this namespace that a waiting worker or driver acts on:
    /// a run created, an event from outside, a lease released. Each call is a new subscription.
    /// nil for a store that cannot tell (its callers poll instead).
    func changes() -> AsyncStream<StoreChange>?
}

/// A migration of the store's schema and whether it is applied.
public struct MigrationStatus: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var isApplied: Bool
    /// When it was applied, where the store records that.
    public var appliedAt: Timestamp?

    public init(version: Int, name: String, isApplied: Bool, appliedAt: Timestamp? = nil) {
        self.version = version
        self.name = name
        self.isApplied = isApplied
        self.appliedAt = appliedAt
    }
}

/// A change that ``RunStore/changes()`` reports.
public struct StoreChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case created
        case outsideEvent = "outside_event"
        case released
    }

    public var kind: Kind
    public var runID: String
    public var taskQueue: String

    public init(kind: Kind, runID: String, taskQueue: String) {
        self.kind = kind
        self.runID = runID
        self.taskQueue = taskQueue
    }
}

/// A run that ``RunStore/runsWithNews(owner:)`` reports: its history has events up to `lastSeq`
/// that its driver may not have seen.
public struct RunNews: Sendable, Hashable {
    public var runID: String
    public var lastSeq: Int

    public init(runID: String, lastSeq: Int) {
        self.runID = runID
        self.lastSeq = lastSeq
    }
}

extension RunStore {
    /// An unfenced append (tests and tools; drivers always fence).
    public func append(runID: String, events: [Event], expectedLastSeq: Int, update: RunUpdate) async throws {
        try await append(runID: runID, events: events, expectedLastSeq: expectedLastSeq, leaseOwner: nil, update: update)
    }

    /// Stores that cannot notify.
    public func changes() -> AsyncStream<StoreChange>? { nil }

    /// All the events of a run with `seq > after`, in order.
    public func events(runID: String, after: Int) async throws -> [Event] {
        try await events(runID: runID, after: after, limit: nil)
    }
}

public enum CreateRunResult: Sendable, Hashable {
    case created
    case existing(RunRecord)
}

/// Failures of a store that callers act on.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Someone else appended to the run since `lastSeq` was read.
    case conflict(runID: String, lastSeq: Int)
    /// A fenced append by a process that no longer holds the run's lease.
    case leaseLost(runID: String)
    case unknownRun(String)
    /// The run has ended: nothing more can be appended from outside.
    case runFinished(String)
    /// The database was written by a newer apex (its schema version is above ours).
    case newerSchema(found: Int, supported: Int)
    /// The database cannot be used: corrupt, locked past the timeout, not a database, refused
    /// our credentials, has no schema.
    case unusable(String)
    /// The database cannot be reached (refused, gone, timed out); trying later may work.
    case unavailable(String)

    public var description: String {
        switch self {
        case .conflict(let run, let seq): "run \(run) has events after \(seq)"
        case .leaseLost(let run): "this process no longer holds the lease of run \(run): another process drives it"
        case .unknownRun(let run): "no run with id \(run)"
        case .runFinished(let run): "run \(run) has already finished"
        case .newerSchema(let found, let supported): "the database was written by a newer apex (schema version \(found); this apex knows up to \(supported)); upgrade apex"
        case .unusable(let why): "the database cannot be used: \(why)"
        case .unavailable(let why): "cannot reach the database: \(why)"
        }
    }
}
