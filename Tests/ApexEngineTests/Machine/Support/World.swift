import ApexDSL
import ApexEngine

/// The outside world of a scripted run: what activities answer, which signals are sent and
/// when, and when the run is cancelled.
struct World {
    /// How an activity attempt ends.
    enum Outcome {
        /// Completes with this output.
        case output(JSONValue, usage: Usage? = nil)
        /// Fails with this error type; the driver asks the step's retry policy for `retry_at`.
        case failure(String, details: JSONValue = .null, retryAfter: Duration? = nil)
    }

    /// A signal the world sends.
    struct Signal {
        var name: String
        var payload: JSONValue
        /// Sent once some `wait` waits for it, rather than right after the run starts.
        var whenWaiting = false
    }

    /// Outcomes by step key, used in turn, one per attempt; a step with none left completes with
    /// `"<key> done"`.
    var outcomes: [String: [Outcome]] = [:]
    /// Step keys whose first pending attempt gets no answer until no other activity can be
    /// answered (before any timer fires): a late answer, after the rest of the run moved on.
    var held: Set<String> = []
    /// Step keys whose attempts never get an answer.
    var silent: Set<String> = []
    /// Answer the most recently scheduled pending activity first, rather than the oldest.
    var newestFirst = false
    var signals: [Signal] = []
    /// The run is cancelled once this holds (checked whenever the run waits).
    var cancelWhen: (@Sendable (RunMachine) -> Bool)?
    var input: JSONValue = [:]

    init(outcomes: [String: [Outcome]] = [:], held: Set<String> = [], silent: Set<String> = [], newestFirst: Bool = false,
         signals: [Signal] = [], input: JSONValue = [:], cancelWhen: (@Sendable (RunMachine) -> Bool)? = nil) {
        self.outcomes = outcomes
        self.held = held
        self.silent = silent
        self.newestFirst = newestFirst
        self.signals = signals
        self.input = input
        self.cancelWhen = cancelWhen
    }
}
