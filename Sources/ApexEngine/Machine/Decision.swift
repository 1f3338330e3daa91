import ApexCompiler
import ApexDSL
import OrderedCollections

/// A decision: the event deciding gives, and what applying that event does to the machine.
///
/// Deciding computes both at once, so that applying a decision event performs exactly what was
/// decided (apply recomputes the decision and checks that it is the event it was given).
struct Decision: Sendable {
    /// What applying the decision does.
    ///
    /// Indirect: some payloads (a phase, a join) are hundreds of bytes, and a decision is passed
    /// and copied several times on its way from deciding to applying.
    indirect enum Effect: Sendable {
        /// `TimerStarted run-timeout`.
        case startRunTimer
        /// `RunCompleted`, `RunFailed`, `RunCancelled`, `RunTimedOut`.
        case endRun
        /// `StepSkipped`: the frame goes to the state's `onSkipped`.
        case skip(frame: Int, state: StateID, visit: Int)
        /// `StepScheduled` of attempt 1: the visit starts in `phase`; a `parallel` or `foreach`
        /// starts its frames from `join`.
        case schedule(frame: Int, state: StateID, visit: Int, phase: StepPhase, join: Join?)
        /// `StepScheduled` of a later attempt, which sees `context`.
        case reschedule(visit: Int, attempt: Int, context: EvaluationContext)
        /// `StepCompleted`: assign `vars`, then go to `target`.
        case complete(visit: Int, output: JSONValue, assignments: OrderedDictionary<String, JSONValue>?, target: PlanTarget)
        /// `StepFailed` with no retry: catch or propagate.
        case fail(visit: Int, error: RunError)
        /// `TimerStarted` for a step, which then waits in `next`.
        case startTimer(visit: Int, timer: String, fireAt: Timestamp, next: StepPhase)
        /// `SignalConsumed` of the inbox's signal `signal`.
        case consume(visit: Int, signal: Int)
        /// `SignalConsumed` by a suspended attempt: the visit schedules `attempt` with the signal
        /// as its answer.
        case resume(visit: Int, signal: Int, attempt: Int)
    }

    let kind: EventKind
    let effect: Effect
}
