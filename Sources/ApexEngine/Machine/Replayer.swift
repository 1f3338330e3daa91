import ApexCompiler
import ApexDSL

/// Rebuilds a run's machine from its history, checking that the workflow still decides what the
/// history records.
///
/// Every decision event in the history must be exactly what deciding gives at that point
/// (kinds are compared, not `at`). Events from outside (an activity result, a signal, a timer
/// firing, a cancellation) in a row form one batch, any number of them, anywhere; after a
/// decision, no decision may be pending when the next batch begins (the recorded run would
/// have stopped deciding where the workflow now goes on). A run whose history
/// passes can be continued; one that does not is reported at its first differing event and
/// nothing is executed for it. An agent step's checkpoints name the tools it offered the model:
/// a definition that declares other tools for it differs there too.
///
/// ## Usage
/// ```swift
/// let events = try await store.events(runID: id, after: 0)
/// var machine = try Replayer.replay(plan: plan, runID: id, events: events)
/// while let decision = machine.nextDecision() { … }
/// ```
public enum Replayer {
    /// Replays `events` through a new machine for `plan`.
    ///
    /// - Returns: The machine after the last event.
    /// - Throws: ``EngineFault/nondeterminism(_:)`` (`APEX-R001`) at the first event that differs
    ///   from what the workflow decides; ``EngineFault/fatal(_:)`` for corrupt history (a gap in
    ///   seq, an event after the end, an unknown step visit or timer).
    public static func replay(plan: Plan, runID: String, events: [Event]) throws(EngineFault) -> RunMachine {
        var machine = RunMachine(plan: plan, runID: runID)
        machine.reserveCapacity(events: events.count)
        for event in events { try replay(event, into: &machine) }
        return machine
    }

    /// Replays with a lower history limit (for tests of `history.limit`).
    static func replay(plan: Plan, runID: String, events: [Event], historyLimit: Int) throws(EngineFault) -> RunMachine {
        var machine = RunMachine(plan: plan, runID: runID)
        machine.historyLimit = historyLimit
        for event in events { try replay(event, into: &machine) }
        return machine
    }

    /// Checks one recorded event against deciding, then applies it.
    public static func replay(_ event: Event, into machine: inout RunMachine) throws(EngineFault) {
        // Corrupt histories (a gap, an event after the end, no RunStarted first) are for apply
        // to refuse as fatal: they are not a workflow deciding differently.
        guard event.seq == machine.lastSeq + 1, machine.status == .running, machine.start != nil || event.kind.type == "RunStarted" else {
            return try machine.apply(event)
        }
        if case .stepCheckpointed(let step, let visit, _, let data) = event.kind,
           let change = machine.agentToolChange(step: step, visit: visit, checkpoint: data) {
            throw .nondeterminism(NondeterminismError(
                seq: event.seq, expected: "agent \(step) offering tools [\(change.now.joined(separator: ", "))]",
                recorded: "agent \(step) offering tools [\(change.recorded.joined(separator: ", "))] (StepCheckpointed)"))
        }
        let decision = machine.decide()
        let expected = decision?.kind
        if machine.isDecision(event.kind) {
            guard expected == event.kind else {
                throw .nondeterminism(NondeterminismError(
                    seq: event.seq, expected: expected?.summary(against: event.kind), recorded: event.kind.summary(against: expected)))
            }
        } else if let expected, !machine.lastEventWasFromOutside {
            // Outside events in a row are one batch, decided after its last event: anyone may
            // append a signal or a cancellation between two commits of a driver. But an outside
            // event right after a decision means the recorded run stopped deciding where the
            // workflow now goes on.
            throw .nondeterminism(NondeterminismError(
                seq: event.seq, expected: expected.summary, recorded: event.kind.summary, recordedIsDecision: false))
        }
        try machine.apply(event, decided: decision)
    }
}
