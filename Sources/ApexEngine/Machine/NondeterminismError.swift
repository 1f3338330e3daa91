/// The run's workflow no longer decides what its history records: the pinned definition was
/// lost, or `apex replay --workflow` was given an edited file.
///
/// It names the first event that differs, what the history holds there and what deciding gives
/// now, under the stable code ``code`` (`APEX-R001`). Nothing is executed for such a run.
public struct NondeterminismError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable code of every nondeterminism error.
    public static let code = "APEX-R001"

    /// Always ``NondeterminismError/code``: kept on the value so that JSON output carries it.
    public var code: String
    /// The seq of the first event that differs.
    public var seq: Int
    /// What deciding gives now at that point (e.g. `StepScheduled send (visit 1)`); nil when it
    /// decides nothing there (the run would wait for the outside world).
    public var expected: String?
    /// The event the history holds there (e.g. `StepScheduled draft (visit 1)`).
    public var recorded: String
    /// The whole sentence, e.g. "event 7: history has StepScheduled draft (visit 1), but the
    /// workflow now decides StepScheduled send (visit 1)".
    public var message: String

    /// Creates the error for event `seq`, building ``message`` from the two descriptions.
    ///
    /// - Parameters:
    ///   - seq: The seq of the recorded event.
    ///   - expected: What deciding gives now; nil when it gives nothing.
    ///   - recorded: The recorded event.
    ///   - recordedIsDecision: Whether the recorded event is a decision; when it is not (an
    ///     activity result, a signal, a timer firing), the mismatch is that deciding had
    ///     something to do before it.
    public init(seq: Int, expected: String?, recorded: String, recordedIsDecision: Bool = true) {
        self.code = Self.code
        self.seq = seq
        self.expected = expected
        self.recorded = recorded
        let now = expected.map { "the workflow now decides \($0)" }
            ?? "the workflow now decides nothing there (it waits for an activity, a timer or a signal)"
        self.message = recordedIsDecision
            ? "event \(seq): history has \(recorded), but \(now)"
            : "event \(seq): history has \(recorded), but \(now) before it"
    }

    public var description: String { "[\(code)] \(message)" }
}
