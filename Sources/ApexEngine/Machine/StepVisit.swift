import ApexCompiler
import ApexDSL

/// One visit of a step as the machine tracks it: the public record, the frame it runs in, what
/// it waits for, and the timers it owns (dropped when it ends).
struct StepVisit: Sendable {
    /// The public record; every change refreshes ``contextValue``.
    var record: StepRecord {
        didSet { contextValue = record.contextValue }
    }
    /// `record.contextValue`, kept rather than rebuilt: expressions read `steps` far more often
    /// than a record changes.
    private(set) var contextValue: JSONValue
    /// The frame (thread of control) the step runs in.
    let frame: Int
    var phase: StepPhase
    /// Timers this visit started that may still be pending.
    var timers: [String] = []

    init(record: StepRecord, frame: Int, phase: StepPhase) {
        self.record = record
        self.contextValue = record.contextValue
        self.frame = frame
        self.phase = phase
    }

    var state: StateID { record.stateID }
}

/// A step key and visit: how events name a step visit.
struct VisitKey: Hashable, Sendable {
    let step: String
    let visit: Int
}
