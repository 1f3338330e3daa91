import ApexCompiler
import ApexDSL
import Foundation

/// The durable engine: starts runs, drives them, takes signals and cancellations. One per
/// process; it wires the store, the activity executor and the clock together.
///
/// ## Usage
/// ```swift
/// let engine = Engine(store: store, executor: executor, configuration: .init(workerID: "cli-1"))
/// let started = try await engine.start(source: yaml, path: "triage.yaml", input: ["ticket": "…"])
/// let record = try await engine.drive(runID: started.runID)
/// ```
public final class Engine: Sendable {
    public let store: any RunStore
    /// The executor of `llm` and `http` steps (see ``executor(for:)``).
    let executor: any ActivityExecutor
    /// Where `workflow` steps find children their run did not pin (registered names).
    let workflows: any WorkflowSource
    let clock: any EngineClock
    let secrets: Secrets
    public let configuration: EngineConfiguration
    /// Live progress of every attempt this engine runs (streamed LLM text), for in-process
    /// subscribers such as a server's event stream.
    public let liveProgress = LiveProgressFeed()
    /// Every commit this engine makes to a history (its drivers', its starts, its signals and
    /// cancellations), for in-process subscribers: a server's event streams and this engine's
    /// own worker, which claims a run started here at once instead of at its next poll.
    public let commits = Feed<RunCommit>()
    let plans = PlanCache()

    /// How many runs this engine drives (holds in memory) now.
    public var drivenRunCount: Int { news.runCount }
    /// Wakes this engine's drivers when their runs get signals or cancellations, and renews
    /// their leases together.
    let news: NewsWatcher
    /// Bounds the `llm` and `http` attempts in flight (`EngineConfiguration.maxActivities`).
    let activityLimiter: ActivityLimiter?
    /// Set when a worker drains: drivers start no new attempt and hand their runs over.
    let drain = AtomicFlag()

    public init(store: any RunStore, executor: any ActivityExecutor, workflows: any WorkflowSource = StoreOnlyWorkflowSource(),
                clock: any EngineClock = SystemClock(), secrets: Secrets = Secrets(values: [:]), configuration: EngineConfiguration) {
        self.store = store
        self.executor = executor
        self.workflows = workflows
        self.clock = clock
        self.secrets = secrets
        self.configuration = configuration
        self.news = NewsWatcher(store: store, clock: clock, owner: configuration.workerID, interval: configuration.pollInterval,
                                leaseDuration: configuration.leaseDuration)
        self.activityLimiter = configuration.maxActivities.map(ActivityLimiter.init(permits:))
    }

    /// The executor of each activity kind: one per kind, child runs included.
    func executor(for kind: PlanState.Kind) -> any ActivityExecutor {
        switch kind {
        case .llm, .http, .agent: executor
        case .workflow: ChildRunExecutor(engine: self)
        case .sleep, .wait, .set, .switch, .parallel, .foreach, .fail: NotAnActivity()
        }
    }

    /// The compiled plan of a stored definition (compiled once per hash per process).
    ///
    /// One pure path: the stored source is parsed and lowered, nothing else. The validation
    /// rules ran when the run started; running them again could read files (children) or apply
    /// rules added since, and make a run in flight unloadable.
    public func plan(for definition: StoredDefinition) throws -> Plan {
        if let plan = plans[definition.hash] { return plan }
        let result = WorkflowValidator.parse(data: Data(definition.source.utf8), path: definition.path)
        let plan: Plan
        do { plan = try Compiler.compile(result) } catch {
            throw EngineError.definitionUnusable(hash: definition.hash, reason: "\(error)")
        }
        guard plan.definitionHash == definition.hash else {
            throw EngineError.definitionUnusable(hash: definition.hash, reason: "it compiles to \(plan.definitionHash) now")
        }
        plans[definition.hash] = plan
        return plan
    }

    /// The plan a run pinned: from the cache when this engine has it, without reading the store.
    public func plan(forRun record: RunRecord) async throws -> Plan {
        if let plan = plans[record.definitionHash] { return plan }
        return try plan(for: try await definition(of: record))
    }

    /// The definition a run pinned; a clear error when the store has lost it.
    func definition(of record: RunRecord) async throws -> StoredDefinition {
        guard let definition = try await store.definition(hash: record.definitionHash) else {
            throw EngineError.definitionUnusable(hash: record.definitionHash, reason: "it is not in the store")
        }
        return definition
    }

    /// Drives a run until it finishes (`untilFinished`) or until it only waits for a timer or
    /// a signal (worker mode, so that waiting runs cost no task). With `waitForLease`, waits
    /// for a dead driver's lease to expire; otherwise a held lease throws ``EngineError/runBusy(runID:)``.
    public func drive(runID: String, untilFinished: Bool = true, waitForLease: Bool = true, observer: RunObserver? = nil) async throws -> RunDriver.Outcome {
        guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        let driver = RunDriver(engine: self, record: record, plan: try await plan(forRun: record), observer: observer)
        return try await driver.drive(untilFinished: untilFinished, waitForLease: waitForLease)
    }

    /// Drives a run this engine's worker has just claimed (so leased) and read, until it only
    /// waits: neither read nor leased again.
    func driveClaimed(_ record: RunRecord) async throws -> RunDriver.Outcome {
        let driver = RunDriver(engine: self, record: record, plan: try await plan(forRun: record), observer: nil)
        return try await driver.drive(untilFinished: false, waitForLease: false, leaseHeld: true)
    }
}

/// Compiled plans by definition hash, shared by the drivers of one process.
final class PlanCache: @unchecked Sendable {
    // A lock (not an actor) because lookups happen inside synchronous code paths.
    private let lock = NSLock()
    private var plans: [String: Plan] = [:]

    subscript(hash: String) -> Plan? {
        get { lock.withLock { plans[hash] } }
        set { lock.withLock { plans[hash] = newValue } }
    }
}
