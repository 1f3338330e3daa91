import ApexCompiler
import ApexDSL
import OrderedCollections

// Transition table of a run. Events come in (recorded, from outside, or a decision just made);
// decisions come out of `nextDecision()`, one at a time, each a function of the events applied.
// `S` is a state entered by a frame (the top-level list, a parallel branch or a foreach
// iteration), `k` its step key, `v` its visit, `a` the attempt; `next(S)` is S.onCompleted.
//
//   (none)            --RunStarted---------------> evaluate vars; frame 0 enters lists[0].entry
//                                                  / RunFailed(expression) if vars fail
//   running           --(plan.timeout)-----------> / TimerStarted(run-timeout, started_at + timeout)
//   frame entering S  --visit > maxVisits--------> / RunFailed(loop.limit)
//   frame entering S  --`if` false---------------> / StepSkipped(k, v); frame → S.onSkipped
//   frame entering S  --otherwise----------------> / StepScheduled(k, v, 1, kind); then by kind:
//     set             --------------------------> / StepCompleted(k, mapping); vars assigned; → next(S)
//     switch          --------------------------> / StepCompleted(k, null); → first true case, else default
//     fail            --------------------------> / StepFailed(k, fail.error)                → failed(e)
//     sleep           --------------------------> / TimerStarted(sleep:k#v, now + d | until)
//     sleep           --TimerFired sleep:k#v-----> / StepCompleted(k, null); → next(S)
//     wait            --(timeout)---------------> / TimerStarted(wait:k#v, now + timeout)
//     wait            --signal in the inbox------> / SignalConsumed(k, v, oldest); StepCompleted(payload)
//     wait            --TimerFired wait:k#v------> / StepFailed(k, timeout)                   → failed(e)
//     activity        --StepStarted--------------> records the worker
//     activity        --StepCompleted(a)---------> → next(S)
//     activity        --StepFailed(a, retry_at)--> / TimerStarted(retry:k#v.a, retry_at)
//     activity        --TimerFired retry:k#v.a---> / StepScheduled(k, v, a + 1, kind)
//     activity        --StepFailed(a, no retry)--> → failed(e)
//     parallel        --------------------------> a frame per branch enters its entry
//     foreach         --------------------------> evaluate `in`, `concurrency`; frames for the
//                                                  first iterations (more as iterations end)
//     parallel/foreach --every frame ended-------> / StepCompleted(k, by branch | in order) → next(S)
//     parallel/foreach --a frame failed(e)-------> / StepFailed(k, e); the other frames cancelled
//   any expression error while deciding for S  --> / StepFailed(k, expression)             → failed(e)
//   failed(e)         --S.handler(e.type)--------> frame → handler.target (S stays `failed`)
//   failed(e)         --no handler---------------> frame fails: top level / RunFailed(e);
//                                                  else its owner's join fails with e
//   frame 0 ended     --------------------------> / RunCompleted(output) or RunFailed(expression)
//   running           --CancelRequested----------> / RunCancelled
//   running           --TimerFired run-timeout---> / RunTimedOut
//   running           --a decision past lastSeq 49,999--> / RunFailed(history.limit)
//   a frame cancelled or the run ended --> its visits `cancelled`, their timers dropped; late
//                                          results and firings for them are ignored
//
// Decisions are looked for in this order: run cancellation, run timeout, a pending run failure,
// the run timer, then each live frame in the order frames were started (a parent before its
// branches and iterations), so the same events always give the same decisions.

/// The pure state machine of one run: it applies events and says what the run does next.
///
/// It performs no I/O and reads no clock: the only time it knows is the `at` of the last event
/// applied (``now``). A driver appends and applies decisions, executes ``pendingActivities``,
/// fires ``pendingTimers`` and applies what comes from outside; ``Replayer`` rebuilds it from a
/// history and checks that the workflow still decides what the history records.
///
/// ## Usage
/// ```swift
/// var machine = RunMachine(plan: plan, runID: id)
/// try machine.apply(Event(seq: 1, at: now, kind: .runStarted(...)))
/// while let decision = machine.nextDecision() {
///     let event = Event(seq: machine.lastSeq + 1, at: commitTime, kind: decision)
///     history.append(event)
///     try machine.apply(event)
/// }
/// ```
public struct RunMachine: Sendable {
    /// The most events a history may hold (`history.limit` past it).
    public static let historyLimit = 50_000

    public let plan: Plan
    public let runID: String
    /// `.running` until a terminal event is applied.
    public internal(set) var status: RunStatus = .running
    /// The seq of the last applied event (0 before `RunStarted`).
    public internal(set) var lastSeq = 0
    /// The `at` of the last applied event: the only clock deciding sees.
    public internal(set) var now = Timestamp(milliseconds: 0)
    /// Whether the last applied event came from outside the machine (not a decision). Outside
    /// events in a row form one batch: decisions are taken only after the whole batch, so a
    /// decision may be pending while a batch is being applied (see ``Replayer``).
    public internal(set) var lastEventWasFromOutside = false
    /// The run's output, after `RunCompleted`.
    public internal(set) var output: JSONValue?
    /// The run's error, after `RunFailed`, `RunTimedOut` (type `timeout`) or `RunCancelled`
    /// (type `cancelled`).
    public internal(set) var error: RunError?

    /// The history limit this machine enforces (lowered by tests).
    var historyLimit = RunMachine.historyLimit
    /// The run's input and `run` context, once `RunStarted` is applied.
    var start: RunStart?
    /// The run's variables, in the order first assigned.
    var vars = OrderedDictionary<String, JSONValue>()
    /// Every frame started, by index; frame 0 is the top level.
    var frames: [Frame] = []
    /// The frames still running, in the order they started: the order decisions are sought in.
    var liveFrames = OrderedSet<Int>()
    /// Every step visit, in start order.
    var visits: [StepVisit] = []
    /// Visits by step key and visit number.
    var visitIndex: [VisitKey: Int] = [:]
    /// How many times each step key started (or was skipped).
    var visitCounts: [String: Int] = [:]
    /// How many activity attempts each state scheduled (``ActivityRequest/call``).
    var callCounts: [StateID: Int] = [:]
    /// What `steps.<id>` reads, by scope prefix: the latest visit of each step id started in
    /// that scope, as its context value. Kept up to date as records change (see
    /// ``changeRecord(_:_:)``), so that building a context does not rebuild it.
    var stepsByScope: [String: OrderedDictionary<String, JSONValue>] = [:]
    /// Visits not yet finished.
    var unfinished = Set<Int>()
    /// The joins of `parallel` and `foreach` visits, by visit.
    var joins: [Int: Join] = [:]
    /// Every timer started, by id.
    var timers: [String: TimerEntry] = [:]
    var inbox = SignalInbox()
    var runTimerStarted = false
    var timedOut = false
    /// The reason of a `CancelRequested` (`.some(nil)` for one without a reason).
    var cancellation: String??
    /// An error that fails the whole run at the next decision.
    var runFailure: RunError?

    /// A machine for a run of `plan` that has not started: apply its `RunStarted` first.
    public init(plan: Plan, runID: String) {
        self.plan = plan
        self.runID = runID
    }

    /// Makes room for the visits of a history of `count` events (a visit takes two events or
    /// more, but for a skip), so that replaying a long history does not regrow and rehash them
    /// again and again.
    mutating func reserveCapacity(events count: Int) {
        visits.reserveCapacity(count / 2)
        visitIndex.reserveCapacity(count / 2)
    }
}
