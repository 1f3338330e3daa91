import ApexEngine
import Foundation

/// A store that forwards every call to another and counts the reads that look for news:
/// `events(runID:after:limit:)` (a driver reading its history) and `runsWithNews(owner:)`
/// (an engine's watcher asking for all of its drivers at once). `beforeAppend` runs before
/// each driver append is forwarded, to play another process writing at that moment.
final class CountingRunStore: RunStore, @unchecked Sendable {
    // The counters are the only state; a lock guards them (the store is called from every
    // driver task at once).
    let base: any RunStore
    private let beforeAppend: @Sendable (_ runID: String, _ events: [Event]) async throws -> Void
    private let lock = NSLock()
    private var eventReads = 0
    private var newsQueries = 0

    init(_ base: any RunStore, beforeAppend: @escaping @Sendable (_ runID: String, _ events: [Event]) async throws -> Void = { _, _ in }) {
        self.base = base
        self.beforeAppend = beforeAppend
    }

    /// Calls of `events(runID:after:limit:)` so far.
    var eventsCalls: Int { lock.withLock { eventReads } }
    /// Calls of `runsWithNews(owner:)` so far.
    var runsWithNewsCalls: Int { lock.withLock { newsQueries } }

    var namespace: String { base.namespace }
    func migrate() async throws { try await base.migrate() }
    func migrations() async throws -> [MigrationStatus] { try await base.migrations() }
    func saveDefinition(_ definition: StoredDefinition) async throws { try await base.saveDefinition(definition) }
    func definition(hash: String) async throws -> StoredDefinition? { try await base.definition(hash: hash) }
    func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow {
        try await base.registerWorkflow(name: name, hash: hash, at: at)
    }
    func registeredWorkflows() async throws -> [RegisteredWorkflow] { try await base.registeredWorkflows() }
    func registeredVersions(name: String) async throws -> [RegisteredWorkflow] { try await base.registeredVersions(name: name) }
    func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        try await base.createRun(run, events: events, update: update)
    }
    func run(id: String) async throws -> RunRecord? { try await base.run(id: id) }
    func runs(_ filter: RunFilter) async throws -> [RunRecord] { try await base.runs(filter) }
    func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int] { try await base.runCounts(filter) }

    func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        lock.withLock { eventReads += 1 }
        return try await base.events(runID: runID, after: after, limit: limit)
    }

    func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent] {
        try await base.namespaceEvents(since: since, after: after, limit: limit)
    }

    func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        try await beforeAppend(runID, events)
        try await base.append(runID: runID, events: events, expectedLastSeq: expectedLastSeq, leaseOwner: leaseOwner, update: update)
    }
    func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        try await base.appendExternal(runID: runID, kind: kind, at: at)
    }
    func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        try await base.acquireLease(runID: runID, owner: owner, until: until, now: now)
    }
    func releaseLease(runID: String, owner: String) async throws { try await base.releaseLease(runID: runID, owner: owner) }
    func leaseHolder(runID: String) async throws -> String? { try await base.leaseHolder(runID: runID) }
    func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String], excluding: Set<String>) async throws -> [String] {
        try await base.claimRuns(owner: owner, until: until, now: now, limit: limit, taskQueues: taskQueues, excluding: excluding)
    }
    func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp? {
        try await base.nextClaimableAt(now: now, taskQueues: taskQueues)
    }
    func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String] {
        try await base.renewLeases(owner: owner, runIDs: runIDs, until: until)
    }

    func runsWithNews(owner: String) async throws -> [RunNews] {
        lock.withLock { newsQueries += 1 }
        return try await base.runsWithNews(owner: owner)
    }
}
