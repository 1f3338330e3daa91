import ApexDSL

extension RunMachine {
    /// One step of a run: applies a batch of events from outside (in order), then takes every
    /// decision that follows, until the run waits or ends. Every event is numbered after
    /// ``lastSeq`` and stamped `at`.
    ///
    /// The only way events are added to a run: ``Engine`` starts a run with
    /// `advance(applying: [RunStarted])`, a driver commits what this returns (an activity's
    /// result, fired timers, the signals and cancellations it read) in one transaction, and
    /// tests drive machines with it. Outside events appended by others between two commits
    /// simply join the next batch; ``Replayer`` checks histories by the same rule.
    ///
    /// - Returns: The events applied: `outside` first, then the decisions.
    /// - Throws: ``EngineFault/fatal(_:)`` when an outside event cannot apply (see ``apply(_:)``).
    public mutating func advance(applying outside: [EventKind], at: Timestamp) throws(EngineFault) -> [Event] {
        var events: [Event] = []
        for kind in outside {
            let event = Event(seq: lastSeq + 1, at: at, kind: kind)
            try apply(event)
            events.append(event)
        }
        while let decision = decide() {
            let event = Event(seq: lastSeq + 1, at: at, kind: decision.kind)
            try apply(event, decided: decision)
            events.append(event)
        }
        return events
    }
}
