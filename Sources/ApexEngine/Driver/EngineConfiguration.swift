import ApexDSL

/// How drivers behave: who they are, how long leases last, how often the engine looks for news.
public struct EngineConfiguration: Sendable {
    /// Names this engine in leases: unique among every engine on the store.
    public var workerID: String
    /// Names this process in `StepStarted.worker` (`host:pid` for the CLI); the lease owner by default.
    public var workerName: String
    /// How long a lease lasts without renewal: a dead driver's runs are taken over after it.
    public var leaseDuration: Duration
    /// How often the engine asks the store for signals and cancellations sent from other
    /// processes to the runs it drives: one query per interval for all of its drivers (none
    /// while it drives nothing). Those sent through this engine reach its drivers at once.
    public var pollInterval: Duration
    /// The most `llm` and `http` attempts this engine runs at once; nil for no bound. (`workflow`
    /// and `agent` attempts are not counted: they wait on attempts of their own.)
    public var maxActivities: Int?
    /// Where drivers report warnings (a history nearing its limit); nothing by default.
    public var warn: @Sendable (String) -> Void
    /// Whether the owner of a lease is known to be gone (a process of this machine that has
    /// exited), so that a driver waiting for the run takes it over at once instead of after
    /// the lease expires. False by default: it must be certain, as the CLI's is (its owner
    /// names carry the kernel their process ids belong to).
    public var isLeaseOwnerGone: @Sendable (String) -> Bool = { _ in false }

    public init(workerID: String, workerName: String? = nil, leaseDuration: Duration = .seconds(5), pollInterval: Duration = Duration(milliseconds: 100),
                maxActivities: Int? = nil, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.workerID = workerID
        self.workerName = workerName ?? workerID
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.maxActivities = maxActivities
        self.warn = warn
    }
}
