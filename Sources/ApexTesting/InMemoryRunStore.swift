import ApexEngine

/// A ``RunStore`` in memory, for tests: the same semantics as the SQLite store (it passes the
/// same ``RunStoreConformance`` checks), nothing durable. Being an actor, it runs one method
/// at a time, which is what makes each method atomic.
public actor InMemoryRunStore: RunStore {
    private var definitions: [String: StoredDefinition] = [:]
    private var runs: [String: InMemoryRun] = [:]

    public init() {}

    public func migrate() async throws {}

    public func saveDefinition(_ definition: StoredDefinition) async throws {
        if definitions[definition.hash] == nil { definitions[definition.hash] = definition }
    }

    public func definition(hash: String) async throws -> StoredDefinition? {
        definitions[hash]
    }

    public func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        precondition(events.isNumbered(after: 0), "a new run's events are numbered from 1")
        if let existing = runs[run.id] { return .existing(existing.record) }
        var stored = InMemoryRun(record: run, events: events)
        stored.apply(update, lastSeq: events.last?.seq ?? 0)
        // A new run needs a driver (a detached start leaves it to a worker).
        stored.needsAttention = update.status == .running
        runs[run.id] = stored
        return .created
    }

    public func run(id: String) async throws -> RunRecord? {
        runs[id]?.record
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        let matching = runs.values.map(\.record).filter { record in
            record.namespace == filter.namespace && (filter.status.map { $0 == record.status } ?? true)
                && (filter.workflow.map { $0 == record.workflow } ?? true)
        }
        let newestFirst = matching.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
        return Array(newestFirst.prefix(max(filter.limit, 0)))
    }

    public func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        guard let events = runs[runID]?.events else { return [] }
        return Array(events.drop { $0.seq <= after }.prefix(limit ?? .max))
    }

    public func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        precondition(events.isNumbered(after: expectedLastSeq), "appended events continue expectedLastSeq")
        guard var run = runs[runID] else { throw StoreError.unknownRun(runID) }
        if let leaseOwner, run.leaseOwner != leaseOwner { throw StoreError.leaseLost(runID: runID) }
        guard run.record.lastSeq == expectedLastSeq else { throw StoreError.conflict(runID: runID, lastSeq: expectedLastSeq) }
        run.events += events
        run.apply(update, lastSeq: events.last?.seq ?? expectedLastSeq)
        run.needsAttention = false
        runs[runID] = run
    }

    public func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        guard var run = runs[runID] else { throw StoreError.unknownRun(runID) }
        guard !run.record.status.isFinished else { throw StoreError.runFinished(runID) }
        let event = Event(seq: run.record.lastSeq + 1, at: at, kind: kind)
        run.events.append(event)
        run.record.lastSeq = event.seq
        run.needsAttention = true
        runs[runID] = run
        return event
    }

    public func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        guard var run = runs[runID] else { throw StoreError.unknownRun(runID) }
        guard run.leaseOwner == owner || run.leaseIsFree(at: now) else { return false }
        run.leaseOwner = owner
        run.leaseUntil = until
        runs[runID] = run
        return true
    }

    public func releaseLease(runID: String, owner: String) async throws {
        guard var run = runs[runID], run.leaseOwner == owner else { return }
        run.leaseOwner = nil
        run.leaseUntil = nil
        runs[runID] = run
    }

    public func claimableRuns(now: Timestamp, limit: Int) async throws -> [String] {
        let claimable = runs.values.filter { $0.isClaimable(at: now) }.map(\.record)
        return claimable.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.prefix(max(limit, 0)).map(\.id)
    }

    public func runsWithNews(owner: String) async throws -> [RunNews] {
        let withNews = runs.values.filter { $0.record.status == .running && $0.needsAttention && $0.leaseOwner == owner }.map(\.record)
        return withNews.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.map { RunNews(runID: $0.id, lastSeq: $0.lastSeq) }
    }
}
