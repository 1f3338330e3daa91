import ApexDSL

extension RunDriver {
    /// Waits for the first of: an attempt finishing, a timer falling due, the poll interval
    /// (signals and cancellations from other processes), the lease needing renewal.
    func waitForNews() async throws {
        let configuration = engine.configuration
        let renewEvery = configuration.leaseDuration.milliseconds / 3
        let untilRenewal = leaseRenewedAt.milliseconds + renewEvery - now.milliseconds
        let wait = max(0, min(dueIn(), configuration.pollInterval.milliseconds, untilRenewal))
        if let finished = await inbox.next(withinMilliseconds: wait) {
            running[attemptKey(finished.request)] = nil
            let at = now
            try await commit([resultEvent(finished, at: at)], at: at)
            return
        }
        let current = now
        let due = machine.pendingTimers.filter { $0.fireAt <= current }
        if !due.isEmpty {
            try await commit(due.map { .timerFired(timer: $0.id) })
        }
        if current.milliseconds - lastPoll.milliseconds >= configuration.pollInterval.milliseconds {
            lastPoll = current
            try await applyNews()
        }
        if current.milliseconds - leaseRenewedAt.milliseconds >= renewEvery {
            try await renewLease()
        }
    }

    /// Takes the run's lease, waiting for a dead driver's lease to expire (at most one lease
    /// duration and a second).
    func takeLease(waiting: Bool) async throws {
        let configuration = engine.configuration
        let giveUp = now.milliseconds + (waiting ? configuration.leaseDuration.milliseconds + 1000 : 0)
        while true {
            if try await store.acquireLease(runID: runID, owner: configuration.workerID, until: now.adding(configuration.leaseDuration), now: now) {
                leaseRenewedAt = now
                return
            }
            guard now.milliseconds < giveUp else { throw EngineError.runBusy(runID: runID) }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
    }

    func renewLease() async throws {
        let configuration = engine.configuration
        guard try await store.acquireLease(runID: runID, owner: configuration.workerID, until: now.adding(configuration.leaseDuration), now: now) else {
            throw EngineError.runBusy(runID: runID)
        }
        leaseRenewedAt = now
    }
}
