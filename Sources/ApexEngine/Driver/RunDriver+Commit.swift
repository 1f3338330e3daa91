extension RunDriver {
    /// Applies `external` events (results, fired timers), then every decision they lead to, and
    /// commits them all in one transaction. When someone else appended meanwhile (a signal, a
    /// cancellation), their events are applied first and the batch is decided again. Every
    /// event is stamped `at` (default: now); after such a conflict, now, so that times never
    /// go backwards in the history.
    ///
    /// The machine is changed in place before the append, not through a copy: a copy shares the
    /// machine's collections, so each change would copy them whole, on every step. After a
    /// conflict the machine is rebuilt from the history; any other failure ends the driver.
    func commit(_ external: [EventKind], at stamp: Timestamp? = nil) async throws {
        var at = stamp ?? now
        while true {
            let committedSeq = machine.lastSeq
            var events: [Event] = []
            func record(_ kind: EventKind) throws {
                let event = Event(seq: machine.lastSeq + 1, at: at, kind: kind)
                try machine.apply(event)
                events.append(event)
            }
            // Each outside event is followed by the decisions it leads to, before the next one:
            // replay checks that no decision was pending when an outside event arrived.
            while let decision = machine.nextDecision() { try record(decision) }
            for kind in external {
                try record(kind)
                while let decision = machine.nextDecision() { try record(decision) }
            }
            // The attempts this driver will run start in the same transaction that scheduled
            // them: one commit (one fsync) per call instead of two. The call itself still
            // begins only after the commit.
            var starting: [String] = []
            for request in machine.pendingActivities where !startedHere.contains(attemptKey(request)) {
                try record(.stepStarted(step: request.step, visit: request.visit, attempt: request.attempt, worker: engine.configuration.workerID))
                starting.append(attemptKey(request))
            }
            guard !events.isEmpty else { return }
            do {
                try await store.append(runID: runID, events: events, expectedLastSeq: committedSeq, update: machine.update(finishedAt: at))
            } catch StoreError.conflict {
                try await reloadMachine(committedSeq: committedSeq)
                at = now
                continue
            }
            startedHere.formUnion(starting)
            engine.warnIfLong(runID, from: committedSeq, to: machine.lastSeq)
            observer?.committed(events, machine: machine)
            cancelAbandonedAttempts()
            return
        }
    }

    /// Rebuilds the machine from the stored history, after an append the store refused because
    /// others had appended after `committedSeq`, and acts on what they appended.
    func reloadMachine(committedSeq: Int) async throws {
        let (history, loaded) = try await RunLoader.load(runID: runID, plan: plan, store: store, expectedEvents: machine.lastSeq)
        machine = loaded
        observer?.committed(Array(history.drop { $0.seq <= committedSeq }), machine: machine)
        cancelAbandonedAttempts()
    }

    /// Applies events appended from outside the driver since the last one seen (the engine's
    /// ``NewsWatcher`` tells the driver when there are some).
    func applyNews() async throws {
        let news = try await store.events(runID: runID, after: machine.lastSeq)
        guard !news.isEmpty else { return }
        for event in news { try machine.apply(event) }
        observer?.committed(news, machine: machine)
        cancelAbandonedAttempts()
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
