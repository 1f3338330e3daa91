import ApexCompiler
import ApexDSL

/// An activity attempt (an `llm`, `http` or `workflow` step) that the machine scheduled and that
/// has no result yet: the driver executes it and applies its `StepCompleted` or `StepFailed`.
public struct ActivityRequest: Sendable {
    /// The run the attempt belongs to.
    public var runID: String
    /// The step key (`classify`, `each[2]/summarize`).
    public var step: String
    public var stateID: StateID
    /// `.llm`, `.http` or `.workflow`.
    public var kind: PlanState.Kind
    public var visit: Int
    public var attempt: Int
    /// This attempt's number among every attempt of the same step over the run (all visits,
    /// all `foreach` elements, all attempts), in the order they were scheduled: 1, 2, 3, …
    /// It comes from the history, so it is the same after a crash and on any process.
    public var call: Int
    /// The `at` of the attempt's `StepScheduled`.
    public var scheduledAt: Timestamp
    /// The roots to evaluate the step's fields with (`input`, `vars`, `steps`, `run`, and inside a
    /// `foreach` its element name and `index`), as they were when the attempt was scheduled.
    /// It holds no `secrets`: the executor adds them at call time, so they never reach the history.
    public var context: EvaluationContext
    /// The per-attempt limit; past it the attempt fails with `timeout`.
    public var timeout: Duration?
    /// The step's retry policy, for deciding `retry_at` when the attempt fails.
    public var retry: RetryPolicy?
    /// `<runID>/<step key>/<visit>`: the same on every attempt of the visit (the `http`
    /// `Idempotency-Key` header).
    public var idempotencyKey: String
    /// What the run pinned at its start: its children's definitions and its llm routing.
    public var pins: RunPins
    /// The latest checkpoint an attempt of this visit recorded
    /// (``ActivityProgress/checkpoint(_:)``): a multi-turn activity resumes after it.
    public var checkpoint: JSONValue?
    /// The signal that resumed the visit after its latest `StepSuspended`, until an attempt
    /// records a checkpoint after it: `{"signal": NAME, "payload": VALUE, "signal_id": ID}`, or
    /// `{"signal": NAME, "timed_out": true}` when none came in time. A resumed attempt folds it
    /// into its next checkpoint.
    public var answer: JSONValue?
    /// Attempts up to this one count for nothing in the retry policy: an attempt that suspended
    /// (it ended waiting, not failing) or made progress (a checkpoint) starts the count afresh,
    /// so each model turn of an agent has the policy's attempts. 0 for other steps.
    public var retryBase: Int

    /// Creates a request.
    public init(runID: String, step: String, stateID: StateID, kind: PlanState.Kind, visit: Int, attempt: Int, call: Int? = nil,
                scheduledAt: Timestamp, context: EvaluationContext, timeout: Duration?, retry: RetryPolicy?,
                idempotencyKey: String? = nil, pins: RunPins = RunPins(), checkpoint: JSONValue? = nil,
                answer: JSONValue? = nil, retryBase: Int = 0) {
        self.runID = runID
        self.step = step
        self.stateID = stateID
        self.kind = kind
        self.visit = visit
        self.attempt = attempt
        self.call = call ?? attempt
        self.scheduledAt = scheduledAt
        self.context = context
        self.timeout = timeout
        self.retry = retry
        self.idempotencyKey = idempotencyKey ?? "\(runID)/\(step)/\(visit)"
        self.pins = pins
        self.checkpoint = checkpoint
        self.answer = answer
        self.retryBase = retryBase
    }
}
