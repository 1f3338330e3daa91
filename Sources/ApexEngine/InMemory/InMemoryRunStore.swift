import ApexDSL

/// A ``RunStore`` in memory, for tests: the same semantics as the SQLite store (it passes the
/// same ``RunStoreConformance`` checks), nothing durable. One namespace's view of an
/// ``InMemoryDatabase``, an actor that runs one method at a time, which is what makes each
/// method atomic.
public final class InMemoryRunStore: RunStore {
    public let namespace: String
    let database: InMemoryDatabase

    /// A store on a new, empty database.
    public init(namespace: String = Namespace.defaultName) {
        self.namespace = namespace
        database = InMemoryDatabase()
    }

    /// Another namespace's view of `other`'s database.
    public init(namespace: String, sharing other: InMemoryRunStore) {
        self.namespace = namespace
        database = other.database
    }

    public func migrate() async throws {}

    public func migrations() async throws -> [MigrationStatus] { [] }

    public func saveDefinition(_ definition: StoredDefinition) async throws {
        await database.saveDefinition(definition)
    }

    public func definition(hash: String) async throws -> StoredDefinition? {
        await database.definition(hash: hash)
    }

    public func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow {
        await database.registerWorkflow(name: name, hash: hash, at: at, in: namespace)
    }

    public func registeredWorkflows() async throws -> [RegisteredWorkflow] {
        await database.registeredWorkflows(in: namespace).compactMap { $0.value.last }
            .sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
    }

    public func registeredVersions(name: String) async throws -> [RegisteredWorkflow] {
        (await database.registeredWorkflows(in: namespace)[name] ?? []).reversed()
    }

    public func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        precondition(events.isNumbered(after: 0), "a new run's events are numbered from 1")
        precondition(run.namespace == namespace, "a store creates runs in its own namespace")
        return await database.createRun(run, events: events, update: update)
    }

    public func run(id: String) async throws -> RunRecord? {
        await database.run(RunKey(namespace, id))?.record
    }

    public func runs(_ filter: RunFilter) async throws -> [RunRecord] {
        await database.runs(in: namespace).map(\.record).filter { record in
            (filter.status.map { $0 == record.status } ?? true) && (filter.workflow.map { $0 == record.workflow } ?? true)
                && (filter.parentRunID.map { $0 == record.parentRunID } ?? true)
                && (filter.startedAfter.map { record.startedAt >= $0 } ?? true) && (filter.startedBefore.map { record.startedAt < $0 } ?? true)
                && (filter.after.map { Self.precedes(($0.startedAt, $0.id), (record.startedAt, record.id)) } ?? true)
        }
        .sorted { Self.precedes(($0.startedAt, $0.id), ($1.startedAt, $1.id)) }
        .prefix(max(filter.limit, 0)).map { $0 }
    }

    public func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int] {
        var unpaged = filter
        (unpaged.status, unpaged.after, unpaged.limit) = (nil, nil, .max)
        return try await runs(unpaged).reduce(into: [:]) { counts, record in counts[record.status, default: 0] += 1 }
    }

    /// Whether run `a` comes before run `b` in a listing, newest first. Ids compare by Unicode
    /// code points, as SQLite compares text.
    private static func precedes(_ a: (Timestamp, String), _ b: (Timestamp, String)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : b.1.unicodeScalars.lexicographicallyPrecedes(a.1.unicodeScalars)
    }

    public func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        guard let events = await database.run(RunKey(namespace, runID))?.events else { return [] }
        return Array(events.drop { $0.seq <= after }.prefix(limit ?? .max))
    }

    public func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent] {
        let runs = await database.runs(in: namespace)
        let events = runs.flatMap { run in run.events.map { RunEvent(runID: run.record.id, event: $0) } }.filter { event in
            event.event.at >= since && (after.map { Self.precedes($0, event.position) } ?? true)
        }
        return Array(events.sorted { Self.precedes($0.position, $1.position) }.prefix(max(limit, 0)))
    }

    /// Whether `a` comes before `b` in a namespace's events: by time, run id (by Unicode code
    /// points), seq.
    private static func precedes(_ a: RunEventPosition, _ b: RunEventPosition) -> Bool {
        if a.at != b.at { return a.at < b.at }
        if a.runID != b.runID { return a.runID.unicodeScalars.lexicographicallyPrecedes(b.runID.unicodeScalars) }
        return a.seq < b.seq
    }

    public func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        precondition(events.isNumbered(after: expectedLastSeq), "appended events continue expectedLastSeq")
        try await database.change(RunKey(namespace, runID)) { run in
            if let leaseOwner, run.leaseOwner != leaseOwner { throw StoreError.leaseLost(runID: runID) }
            guard run.record.lastSeq == expectedLastSeq else { throw StoreError.conflict(runID: runID, lastSeq: expectedLastSeq) }
            run.events += events
            run.apply(update, lastSeq: events.last?.seq ?? expectedLastSeq)
            run.needsAttention = false
        }
    }

    public func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        try await database.change(RunKey(namespace, runID)) { run in
            guard !run.record.status.isFinished else { throw StoreError.runFinished(runID) }
            let event = Event(seq: run.record.lastSeq + 1, at: at, kind: kind)
            run.events.append(event)
            run.record.lastSeq = event.seq
            run.needsAttention = true
            return event
        }
    }

    public func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        try await database.change(RunKey(namespace, runID)) { run in run.takeLease(owner: owner, until: until, now: now) }
    }

    public func releaseLease(runID: String, owner: String) async throws {
        _ = try? await database.change(RunKey(namespace, runID)) { run in
            guard run.leaseOwner == owner else { return }
            run.leaseOwner = nil
            run.leaseUntil = nil
        }
    }

    public func leaseHolder(runID: String) async throws -> String? {
        try await database.change(RunKey(namespace, runID)) { run in run.leaseOwner }
    }

    public func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String] {
        await database.renewLeases(runIDs.map { RunKey(namespace, $0) }, owner: owner, until: until)
    }

    public func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String],
                          excluding: Set<String>) async throws -> [String] {
        await database.claim(in: namespace, owner: owner, until: until, now: now, limit: limit) { run in
            taskQueues.contains(run.record.taskQueue) && !excluding.contains(run.record.id)
        }
    }

    public func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp? {
        await database.runs(in: namespace).filter { $0.record.status == .running && taskQueues.contains($0.record.taskQueue) }
            .compactMap { $0.nextClaimableAt(after: now) }.min()
    }

    public func runsWithNews(owner: String) async throws -> [RunNews] {
        await database.runs(in: namespace).filter { $0.record.status == .running && $0.needsAttention && $0.leaseOwner == owner }
            .map(\.record).sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
            .map { RunNews(runID: $0.id, lastSeq: $0.lastSeq) }
    }
}

/// A run's identity in a database: its id within its namespace.
struct RunKey: Hashable, Sendable {
    var namespace: String
    var id: String

    init(_ namespace: String, _ id: String) {
        self.namespace = namespace
        self.id = id
    }
}

/// The definitions and runs of every namespace of an in-memory database.
actor InMemoryDatabase {
    private var definitions: [String: StoredDefinition] = [:]
    private var runs: [RunKey: InMemoryRun] = [:]
    /// Every namespace's registered workflows: each name's versions, oldest first.
    private var registry: [String: [String: [RegisteredWorkflow]]] = [:]

    func saveDefinition(_ definition: StoredDefinition) {
        if definitions[definition.hash] == nil { definitions[definition.hash] = definition }
    }

    func definition(hash: String) -> StoredDefinition? { definitions[hash] }

    func registerWorkflow(name: String, hash: String, at: Timestamp, in namespace: String) -> RegisteredWorkflow {
        let versions = registry[namespace]?[name] ?? []
        if let existing = versions.first(where: { $0.hash == hash }) { return existing }
        let registered = RegisteredWorkflow(name: name, version: versions.count + 1, hash: hash, registeredAt: at)
        registry[namespace, default: [:]][name, default: []].append(registered)
        return registered
    }

    func registeredWorkflows(in namespace: String) -> [String: [RegisteredWorkflow]] { registry[namespace] ?? [:] }

    func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) -> CreateRunResult {
        let key = RunKey(run.namespace, run.id)
        if let existing = runs[key] { return .existing(existing.record) }
        var stored = InMemoryRun(record: run, events: events)
        stored.apply(update, lastSeq: events.last?.seq ?? 0)
        // A new run needs a driver (a detached start leaves it to a worker).
        stored.needsAttention = update.status == .running
        runs[key] = stored
        return .created
    }

    func run(_ key: RunKey) -> InMemoryRun? { runs[key] }

    func runs(in namespace: String) -> [InMemoryRun] {
        runs.filter { $0.key.namespace == namespace }.map(\.value)
    }

    /// Changes a run in one step; ``StoreError/unknownRun(_:)`` when there is none. Nothing
    /// changes when `body` throws.
    func change<T: Sendable>(_ key: RunKey, _ body: (inout InMemoryRun) throws -> T) throws -> T {
        guard var run = runs[key] else { throw StoreError.unknownRun(key.id) }
        let result = try body(&run)
        runs[key] = run
        return result
    }

    func renewLeases(_ keys: [RunKey], owner: String, until: Timestamp) -> [String] {
        keys.filter { key in
            guard runs[key]?.leaseOwner == owner else { return false }
            runs[key]?.leaseUntil = until
            return true
        }.map(\.id)
    }

    func claim(in namespace: String, owner: String, until: Timestamp, now: Timestamp, limit: Int,
               where isWanted: (InMemoryRun) -> Bool) -> [String] {
        let claimable = runs.filter { $0.key.namespace == namespace && $0.value.isClaimable(at: now) && isWanted($0.value) }
            .sorted { ($0.value.record.startedAt, $0.key.id) < ($1.value.record.startedAt, $1.key.id) }
            .prefix(max(limit, 0))
        return claimable.map { key, _ in
            _ = runs[key]?.takeLease(owner: owner, until: until, now: now)
            return key.id
        }
    }
}
