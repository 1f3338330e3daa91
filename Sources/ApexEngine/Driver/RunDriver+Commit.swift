extension RunDriver {
    /// Applies `external` events (results, fired timers) as one batch, then every decision they
    /// lead to (``RunMachine/advance(applying:at:)``), and commits them all in one transaction,
    /// fenced by the run's lease. When someone else appended meanwhile (a signal, a
    /// cancellation), their events are applied first and join the batch. Every event is
    /// stamped `at` (default: now); after such a conflict, now, so that times never go
    /// backwards in the history. A lease taken over by another process ends the driver.
    ///
    /// The machine is changed in place before the append, not through a copy: a copy shares the
    /// machine's collections, so each change would copy them whole, on every step. After a
    /// conflict the machine is rebuilt from the history; any other failure ends the driver.
    func commit(_ external: [EventKind], at stamp: Timestamp? = nil) async throws {
        var at = stamp ?? now
        while true {
            let committedSeq = machine.lastSeq
            // The outside events, as one batch, then every decision they lead to.
            var events = try machine.advance(applying: external, at: at)
            // The attempts this driver will run start in the same transaction that scheduled
            // them: one commit (one fsync) per call instead of two. The call itself still
            // begins only after the commit.
            // A draining worker starts none: the next worker starts them, with no attempt lost.
            let starting = engine.drain.isSet ? [] : machine.pendingActivities.filter { !startedHere.contains(attemptKey($0)) }
            events += try machine.advance(applying: starting.map { request in
                .stepStarted(step: request.step, visit: request.visit, attempt: request.attempt, worker: engine.configuration.workerName)
            }, at: at)
            guard !events.isEmpty else { return }
            let began = ContinuousClock.now
            do {
                try await store.append(runID: runID, events: events, expectedLastSeq: committedSeq, leaseOwner: engine.configuration.workerID,
                                       update: machine.update(finishedAt: at))
            } catch StoreError.leaseLost {
                // Another process took the run over while this one was paused: it drives now.
                throw EngineError.runBusy(runID: runID)
            } catch StoreError.conflict {
                try await reloadMachine(committedSeq: committedSeq)
                at = now
                continue
            }
            hasAppended = true
            startedHere.formUnion(starting.map(attemptKey))
            engine.warnIfLong(runID, from: committedSeq, to: machine.lastSeq)
            observer?.committed(events, machine: machine)
            engine.commits.publish(RunCommit(kind: .appended, runID: runID, events: events, storeSeconds: began.secondsSince))
            cancelAbandonedAttempts()
            return
        }
    }

    /// Tells the store that this driver has seen everything, with an append of no event, when
    /// it has appended nothing since it loaded the run: the run needs no attention until
    /// something new happens. False when events came in meanwhile (the machine is reloaded
    /// with them: the caller decides again).
    func acknowledgeIfNeeded() async throws -> Bool {
        guard !hasAppended else { return true }
        let committedSeq = machine.lastSeq
        do {
            try await store.append(runID: runID, events: [], expectedLastSeq: committedSeq, leaseOwner: engine.configuration.workerID,
                                   update: machine.update(finishedAt: now))
        } catch StoreError.leaseLost {
            throw EngineError.runBusy(runID: runID)
        } catch StoreError.conflict {
            try await reloadMachine(committedSeq: committedSeq)
            return false
        }
        hasAppended = true
        return true
    }

    /// Rebuilds the machine from the stored history, after an append the store refused because
    /// others had appended after `committedSeq`, and acts on what they appended.
    ///
    /// Only signals and cancellations may have been appended: anything else was committed by
    /// another driver, which took the run while this one's lease had lapsed (this one then
    /// took the lease back without knowing). Its view of attempts is stale, so it stops and a
    /// fresh driver loads the run.
    func reloadMachine(committedSeq: Int) async throws {
        let (history, loaded) = try await RunLoader.load(runID: runID, plan: plan, store: store, expectedEvents: machine.lastSeq)
        try stopIfOthersCommitted(history.dropFirst(committedSeq))
        machine = loaded
        observer?.committed(Array(history.drop { $0.seq <= committedSeq }), machine: machine)
        cancelAbandonedAttempts()
    }

    /// Applies events appended from outside the driver since the last one seen (the engine's
    /// ``NewsWatcher`` tells the driver when there are some). News is signals and cancellations;
    /// anything else was committed by a driver that took the run over, and this one stops.
    func applyNews() async throws {
        let news = try await store.events(runID: runID, after: machine.lastSeq)
        guard !news.isEmpty else { return }
        try stopIfOthersCommitted(news)
        for event in news { try machine.apply(event) }
        observer?.committed(news, machine: machine)
        cancelAbandonedAttempts()
    }

    /// Throws ``EngineError/runBusy(runID:)`` when `events`, appended after this driver's last
    /// commit, hold more than signals and cancellations: another driver took the run over while
    /// this one's lease had lapsed, and this one's view of attempts is stale. A fresh driver
    /// loads the run; acting on it here would cancel attempts, and commit their results, that
    /// the run no longer waits for (simulation seed 2244).
    func stopIfOthersCommitted(_ events: some Sequence<Event>) throws {
        let othersCommitted = events.contains { event in
            switch event.kind {
            case .signalReceived, .cancelRequested: false
            default: true
            }
        }
        if othersCommitted { throw EngineError.runBusy(runID: runID) }
    }

    /// Cancels calls whose attempt the run no longer waits for (a cancelled branch, a
    /// cancelled or finished run).
    func cancelAbandonedAttempts() {
        let pending = Set(machine.pendingActivities.map(attemptKey))
        for (key, task) in running where !pending.contains(key) {
            task.cancel()
            running[key] = nil
        }
    }
}
