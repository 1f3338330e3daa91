/// Where one visit of a step stands, as `apex show` lists it and `steps.<id>.status` reads it.
public enum StepStatus: String, Sendable, Hashable, CaseIterable {
    /// Scheduled: an activity attempt waiting for a worker, or a step about to complete.
    case scheduled
    /// An activity attempt a worker has started; a `parallel` or `foreach` whose lists run.
    case running
    case completed
    /// Failed after retries; a `catch` may have moved the flow on.
    case failed
    /// Its `if` was false.
    case skipped
    /// Waiting on a timer (`sleep`, a retry back-off) or a signal (`wait`).
    case waiting
    /// Dropped unfinished: a sibling branch or iteration failed, or the run ended.
    case cancelled

    /// Whether the visit is over.
    public var isFinished: Bool {
        switch self {
        case .completed, .failed, .skipped, .cancelled: true
        case .scheduled, .running, .waiting: false
        }
    }
}
