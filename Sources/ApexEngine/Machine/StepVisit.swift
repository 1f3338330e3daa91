import ApexCompiler
import ApexDSL

/// One visit of a step as the machine tracks it: the public record, the frame it runs in, what
/// it waits for, and the timers it owns (dropped when it ends).
struct StepVisit: Sendable {
    /// The public record. Change it through ``RunMachine/changeRecord(_:_:)``, which refreshes
    /// what `steps.<id>` reads of it.
    var record: StepRecord
    /// The step's id (`record.key` without its scope prefix): its name in `steps`.
    let stepID: String
    /// `record.startedAt` as RFC 3339 text, formatted once for every ``contextValue``.
    let startedAtText: String
    /// The frame (thread of control) the step runs in.
    let frame: Int
    var phase: StepPhase
    /// Timers this visit started that may still be pending.
    var timers: [String] = []
    /// The latest checkpoint an activity attempt of this visit recorded (`StepCheckpointed`):
    /// where its next attempt resumes.
    var checkpoint: JSONValue?
    /// The signal (or its time limit) that ended the latest suspension, until a checkpoint
    /// follows it (``ActivityRequest/answer``).
    var answer: JSONValue?
    /// Where the retry policy's count of attempts starts (``ActivityRequest/retryBase``).
    var retryBase = 0

    init(record: StepRecord, stepID: String, frame: Int, phase: StepPhase) {
        self.record = record
        self.stepID = stepID
        self.startedAtText = record.startedAt.description
        self.frame = frame
        self.phase = phase
    }

    var state: StateID { record.stateID }

    /// What `steps.<id>` gives for this visit (`record.contextValue`).
    var contextValue: JSONValue { record.contextValue(startedAt: startedAtText) }
}

/// A step key and visit: how events name a step visit.
struct VisitKey: Hashable, Sendable {
    let step: String
    let visit: Int
}
