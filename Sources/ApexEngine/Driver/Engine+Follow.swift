import ApexDSL

extension Engine {
    /// Follows a run that another process drives (a worker, a server), until it finishes:
    /// `observer` is told of the history as it is now, then of every batch of events as the
    /// store shows them (read every ``EngineConfiguration/pollInterval`` on the engine's clock).
    ///
    /// - Returns: The run's record once it has finished.
    /// - Throws: ``StoreError/unknownRun(_:)``, the store's errors, and what replaying the
    ///   history throws (non-determinism, corrupt history).
    public func follow(runID: String, observer: RunObserver) async throws -> RunRecord {
        guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        let plan = try await plan(forRun: record)
        let history = try await store.events(runID: runID, after: 0)
        var machine = try Replayer.replay(plan: plan, runID: runID, events: history)
        observer.loaded(history, machine: machine)
        while !machine.status.isFinished {
            try await clock.sleep(for: configuration.pollInterval)
            let events = try await store.events(runID: runID, after: machine.lastSeq)
            for event in events { try Replayer.replay(event, into: &machine) }
            if !events.isEmpty { observer.committed(events, machine: machine) }
        }
        guard let finished = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
        return finished
    }
}
