import ApexDSL

/// A fact in a run's history. Events are numbered from 1 without gaps (`seq`) and stamped with
/// the time they were committed (`at`). Their JSON shape is a public contract: see
/// `docs/history.md` and ``Event/json``.
public struct Event: Sendable, Hashable {
    public var seq: Int
    public var at: Timestamp
    public var kind: EventKind

    public init(seq: Int, at: Timestamp, kind: EventKind) {
        self.seq = seq
        self.at = at
        self.kind = kind
    }
}

/// What happened. Each case's name is its stored `type`; names are never reused.
///
/// Decisions are the events that deciding produces (and that replay must reproduce exactly);
/// the others come from outside the machine: activity results, fired timers, signals,
/// cancellation requests, and the start itself.
///
/// The cases that carry a ``RunError`` are indirect: an error is several times the size of
/// the other payloads, and every event (50,000 in a long history) would otherwise be as large.
public enum EventKind: Sendable, Hashable {
    case runStarted(workflow: String, definitionHash: String, input: JSONValue, startedAt: Timestamp, pins: RunPins = RunPins())
    case stepScheduled(step: String, visit: Int, attempt: Int, kind: String)
    case stepStarted(step: String, visit: Int, attempt: Int, worker: String)
    /// Progress an attempt made durable (a model turn, a tool result): its next attempt, after
    /// a crash, resumes from the latest one (``ActivityRequest/checkpoint``).
    case stepCheckpointed(step: String, visit: Int, attempt: Int, data: JSONValue)
    /// An attempt ended waiting for a signal (an agent's tool approval or question): the next
    /// attempt is scheduled once one arrives or at `until`, and resumes from the latest checkpoint
    /// with the answer (``ActivityRequest/answer``).
    case stepSuspended(step: String, visit: Int, attempt: Int, signal: String, until: Timestamp?)
    case stepCompleted(step: String, visit: Int, attempt: Int, output: JSONValue, usage: Usage?)
    indirect case stepFailed(step: String, visit: Int, attempt: Int, error: RunError, retryAt: Timestamp?)
    case stepSkipped(step: String, visit: Int)
    case timerStarted(timer: String, fireAt: Timestamp)
    case timerFired(timer: String)
    case signalReceived(name: String, payload: JSONValue, signalID: String)
    case signalConsumed(step: String, visit: Int, signalID: String)
    case cancelRequested(reason: String?)
    case runCompleted(output: JSONValue)
    indirect case runFailed(error: RunError)
    case runCancelled
    case runTimedOut

    /// The stored `type`.
    public var type: String {
        switch self {
        case .runStarted: "RunStarted"
        case .stepScheduled: "StepScheduled"
        case .stepStarted: "StepStarted"
        case .stepCheckpointed: "StepCheckpointed"
        case .stepSuspended: "StepSuspended"
        case .stepCompleted: "StepCompleted"
        case .stepFailed: "StepFailed"
        case .stepSkipped: "StepSkipped"
        case .timerStarted: "TimerStarted"
        case .timerFired: "TimerFired"
        case .signalReceived: "SignalReceived"
        case .signalConsumed: "SignalConsumed"
        case .cancelRequested: "CancelRequested"
        case .runCompleted: "RunCompleted"
        case .runFailed: "RunFailed"
        case .runCancelled: "RunCancelled"
        case .runTimedOut: "RunTimedOut"
        }
    }

    /// Whether the event ends the run.
    public var isTerminal: Bool {
        switch self {
        case .runCompleted, .runFailed, .runCancelled, .runTimedOut: true
        default: false
        }
    }
}
