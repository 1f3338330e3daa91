import ApexCompiler
import ApexDSL
import OrderedCollections

/// What an unfinished step visit waits for, and so which decision (if any) it makes next.
enum StepPhase: Sendable {
    /// Decides `StepCompleted` with `output`, assigns `assignments` to `vars` (a `set`) and goes
    /// to `target`.
    case completing(output: JSONValue, assignments: OrderedDictionary<String, JSONValue>?, target: PlanTarget)
    /// Decides `StepFailed` with this final error.
    case failing(RunError)
    /// A `sleep` about to evaluate its time and decide `TimerStarted`.
    case startingSleep
    /// A `wait` with a time limit, about to decide its `TimerStarted`.
    case startingWaitTimer(signal: String)
    /// A `sleep` whose timer runs.
    case sleeping
    /// A `wait` for a signal of this name: decides `SignalConsumed` once one is in the inbox.
    case waiting(signal: String)
    /// An activity attempt with no result yet (from outside); `call` numbers the attempts of
    /// the step's state over the whole run (every visit, key and attempt), in scheduling order.
    case activity(attempt: Int, call: Int, context: EvaluationContext, scheduledAt: Timestamp)
    /// Attempt `attempt` ended waiting for a signal of this name (`StepSuspended`): decides the
    /// time limit's `TimerStarted` unless `timerStarted` (or there is none), then `SignalConsumed`
    /// once one is in the inbox, which schedules the next attempt.
    case suspended(attempt: Int, signal: String, until: Timestamp?, timerStarted: Bool)
    /// Attempt `failedAttempt` failed with a `retry_at`: decides the back-off `TimerStarted`
    /// unless `timerStarted`, then waits for it to fire.
    case backoff(failedAttempt: Int, retryAt: Timestamp, timerStarted: Bool)
    /// The back-off fired: decides `StepScheduled` for `attempt` (with the context it will see).
    case retrying(attempt: Int)
    /// A `parallel` or `foreach` whose lists run (see ``RunMachine/joins``).
    case joining
    /// Finished (completed, failed, skipped or cancelled).
    case done

    /// The status a visit in this phase shows.
    var status: StepStatus {
        switch self {
        case .completing, .failing, .activity, .retrying: .scheduled
        case .startingSleep, .startingWaitTimer, .sleeping, .waiting, .suspended, .backoff: .waiting
        case .joining: .running
        case .done: .completed
        }
    }
}
