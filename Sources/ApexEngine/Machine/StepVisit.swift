import ApexCompiler

/// One visit of a step as the machine tracks it: the public record, the frame it runs in, what
/// it waits for, and the timers it owns (dropped when it ends).
struct StepVisit: Sendable {
    var record: StepRecord
    /// The frame (thread of control) the step runs in.
    let frame: Int
    var phase: StepPhase
    /// Timers this visit started that may still be pending.
    var timers: [String] = []

    var state: StateID { record.stateID }
}

/// A step key and visit: how events name a step visit.
struct VisitKey: Hashable, Sendable {
    let step: String
    let visit: Int
}
