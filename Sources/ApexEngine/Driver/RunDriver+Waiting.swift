import ApexDSL

extension RunDriver {
    /// Waits for the first of: an attempt finishing, news from outside (a signal or a
    /// cancellation, told by the engine's ``NewsWatcher``, which also renews the leases of all
    /// of the engine's drivers together), a timer falling due. The driver never reads the
    /// store for news on its own; a conflict on append still makes it reload the history
    /// (``commit(_:at:)``).
    func waitForNews() async throws {
        // With no timer, an hour at most: the loop finds nothing to do and waits again. The
        // deadline is absolute: were it counted from when the wait begins, a clock that moved
        // in between (`apex test`'s, which jumps) would push it past the timer.
        let start = now
        let wait = max(0, min(dueIn(), 3_600_000))
        switch await inbox.next(until: start.adding(Duration(milliseconds: wait)), clock: engine.clock) {
        case .finished(let finished)?:
            running[attemptKey(finished.request)] = nil
            let at = now
            try await commit([finished.request.resultEvent(finished.result, at: at)], at: at)
            return
        case .news?:
            try await applyNews()
            return
        case .checkpoint(let checkpoint)?:
            try await commitCheckpoint(checkpoint)
            return
        case nil:
            break
        }
        let current = now
        let due = machine.pendingTimers.filter { $0.fireAt <= current }
        if !due.isEmpty {
            try await commit(due.map { .timerFired(timer: $0.id) })
        }
    }

    /// Commits a checkpoint of an attempt still pending here, then lets the attempt go on; one
    /// of an attempt the run no longer waits for is refused (the attempt is being cancelled).
    func commitCheckpoint(_ checkpoint: Checkpoint) async throws {
        let request = checkpoint.request
        guard machine.pendingActivities.contains(where: { attemptKey($0) == attemptKey(request) }) else {
            return checkpoint.committed.resume(throwing: CancellationError())
        }
        do {
            try await commit([.stepCheckpointed(step: request.step, visit: request.visit, attempt: request.attempt, data: checkpoint.data)])
        } catch {
            checkpoint.committed.resume(throwing: error)
            throw error
        }
        checkpoint.committed.resume()
    }

    /// Takes the run's lease, waiting for a dead driver's lease to expire (at most one lease
    /// duration and a second), or releasing it at once when its owner is known to be gone.
    func takeLease(waiting: Bool) async throws {
        let configuration = engine.configuration
        let giveUp = now.milliseconds + (waiting ? configuration.leaseDuration.milliseconds + 1000 : 0)
        while true {
            if try await store.acquireLease(runID: runID, owner: configuration.workerID, until: now.adding(configuration.leaseDuration), now: now) {
                return
            }
            guard now.milliseconds < giveUp else { throw EngineError.runBusy(runID: runID) }
            // Released only if that owner still holds it, so a live process that took the run
            // meanwhile keeps it.
            if waiting, let owner = try await store.leaseHolder(runID: runID), configuration.isLeaseOwnerGone(owner) {
                try await store.releaseLease(runID: runID, owner: owner)
                continue
            }
            try await engine.clock.sleep(for: Duration(milliseconds: 200))
        }
    }
}
