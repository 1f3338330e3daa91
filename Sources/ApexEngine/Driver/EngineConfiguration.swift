import ApexDSL

/// How drivers behave: who they are, how long leases last, how often the engine looks for news.
public struct EngineConfiguration: Sendable {
    /// Names this process in leases and `StepStarted.worker`.
    public var workerID: String
    /// How long a lease lasts without renewal: a dead driver's runs are taken over after it.
    public var leaseDuration: Duration
    /// How often the engine asks the store for signals and cancellations sent from other
    /// processes to the runs it drives: one query per interval for all of its drivers (none
    /// while it drives nothing). Those sent through this engine reach its drivers at once.
    public var pollInterval: Duration
    public var namespace: String
    /// Where drivers report warnings (a history nearing its limit); nothing by default.
    public var warn: @Sendable (String) -> Void

    public init(workerID: String, leaseDuration: Duration = .seconds(5), pollInterval: Duration = Duration(milliseconds: 100),
                namespace: String = "default", warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.workerID = workerID
        self.leaseDuration = leaseDuration
        self.pollInterval = pollInterval
        self.namespace = namespace
        self.warn = warn
    }
}
