import ApexEngine
import Foundation

/// One simulated process's view of the shared store: every call goes through, until the
/// process crashes. Then every call throws ``SimulatedCrash``, so that a dead process writes
/// nothing more. A crash can be armed to happen at the n-th call from now, before that call
/// reaches the store or right after it did (the process dies before it learns the result).
final class FaultyStore: RunStore, @unchecked Sendable {
    enum Armed: Sendable {
        case before(call: Int)
        case after(call: Int)
    }

    private let store: any RunStore
    private let activity: StoreActivity
    private let lock = NSLock()
    private var dead = false
    private var armed: Armed?
    private var calls = 0
    /// Told when an armed crash goes off, so that the simulator ends the process's tasks.
    private let onCrash: @Sendable () -> Void

    init(_ store: any RunStore, activity: StoreActivity, onCrash: @escaping @Sendable () -> Void) {
        self.store = store
        self.activity = activity
        self.onCrash = onCrash
    }

    var isDead: Bool { lock.withLock { dead } }

    func crash() { lock.withLock { dead = true } }

    func arm(_ crash: Armed) { lock.withLock { armed = crash; calls = 0 } }

    private func call<T>(_ body: () async throws -> T) async throws -> T {
        let (crashBefore, crashAfter) = lock.withLock { () -> (Bool, Bool) in
            if dead { return (true, false) }
            calls += 1
            switch armed {
            case .before(let call)? where call == calls:
                dead = true
                return (true, false)
            case .after(let call)? where call == calls:
                return (false, true)
            default:
                return (false, false)
            }
        }
        if crashBefore {
            onCrash()
            throw SimulatedCrash()
        }
        let result = try await body()
        activity.count()
        if crashAfter {
            lock.withLock { dead = true }
            onCrash()
            throw SimulatedCrash()
        }
        return result
    }

    var namespace: String { store.namespace }
    func migrate() async throws { try await call { try await store.migrate() } }
    func migrations() async throws -> [MigrationStatus] { try await call { try await store.migrations() } }
    func saveDefinition(_ definition: StoredDefinition) async throws { try await call { try await store.saveDefinition(definition) } }
    func definition(hash: String) async throws -> StoredDefinition? { try await call { try await store.definition(hash: hash) } }
    func registerWorkflow(name: String, hash: String, at: Timestamp) async throws -> RegisteredWorkflow {
        try await call { try await store.registerWorkflow(name: name, hash: hash, at: at) }
    }
    func registeredWorkflows() async throws -> [RegisteredWorkflow] { try await call { try await store.registeredWorkflows() } }
    func registeredVersions(name: String) async throws -> [RegisteredWorkflow] { try await call { try await store.registeredVersions(name: name) } }
    func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
        try await call { try await store.createRun(run, events: events, update: update) }
    }
    func run(id: String) async throws -> RunRecord? { try await call { try await store.run(id: id) } }
    func runs(_ filter: RunFilter) async throws -> [RunRecord] { try await call { try await store.runs(filter) } }
    func runCounts(_ filter: RunFilter) async throws -> [RunStatus: Int] { try await call { try await store.runCounts(filter) } }
    func events(runID: String, after: Int, limit: Int?) async throws -> [Event] {
        try await call { try await store.events(runID: runID, after: after, limit: limit) }
    }
    func namespaceEvents(since: Timestamp, after: RunEventPosition?, limit: Int) async throws -> [RunEvent] {
        try await call { try await store.namespaceEvents(since: since, after: after, limit: limit) }
    }
    func append(runID: String, events: [Event], expectedLastSeq: Int, leaseOwner: String?, update: RunUpdate) async throws {
        try await call { try await store.append(runID: runID, events: events, expectedLastSeq: expectedLastSeq, leaseOwner: leaseOwner, update: update) }
    }
    func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
        try await call { try await store.appendExternal(runID: runID, kind: kind, at: at) }
    }
    func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
        try await call { try await store.acquireLease(runID: runID, owner: owner, until: until, now: now) }
    }
    func releaseLease(runID: String, owner: String) async throws { try await call { try await store.releaseLease(runID: runID, owner: owner) } }
    func leaseHolder(runID: String) async throws -> String? { try await call { try await store.leaseHolder(runID: runID) } }
    func claimRuns(owner: String, until: Timestamp, now: Timestamp, limit: Int, taskQueues: [String], excluding: Set<String>) async throws -> [String] {
        try await call { try await store.claimRuns(owner: owner, until: until, now: now, limit: limit, taskQueues: taskQueues, excluding: excluding) }
    }
    func nextClaimableAt(now: Timestamp, taskQueues: [String]) async throws -> Timestamp? {
        try await call { try await store.nextClaimableAt(now: now, taskQueues: taskQueues) }
    }
    func renewLeases(owner: String, runIDs: [String], until: Timestamp) async throws -> [String] {
        try await call { try await store.renewLeases(owner: owner, runIDs: runIDs, until: until) }
    }
    func runsWithNews(owner: String) async throws -> [RunNews] { try await call { try await store.runsWithNews(owner: owner) } }
}

/// How many store calls the processes of a scenario made: while it grows, they are busy.
final class StoreActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    var calls: Int { lock.withLock { total } }
    func count() { lock.withLock { total += 1 } }
}

/// What a simulated process's store calls throw once the process has crashed.
public struct SimulatedCrash: Error, CustomStringConvertible {
    public var description: String { "the simulated process crashed" }
}
