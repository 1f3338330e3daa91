extension RunDriver {
    /// Applies `external` events (results, fired timers), then every decision they lead to, and
    /// commits them all in one transaction. When someone else appended meanwhile (a signal, a
    /// cancellation), their events are applied first and the batch is decided again. Every
    /// event is stamped `at` (default: now); after such a conflict, now, so that times never
    /// go backwards in the history.
    func commit(_ external: [EventKind], at stamp: Timestamp? = nil) async throws {
        var at = stamp ?? now
        while true {
            var next = machine
            var events: [Event] = []
            func record(_ kind: EventKind) throws {
                let event = Event(seq: next.lastSeq + 1, at: at, kind: kind)
                try next.apply(event)
                events.append(event)
            }
            // Each outside event is followed by the decisions it leads to, before the next one:
            // replay checks that no decision was pending when an outside event arrived.
            while let decision = next.nextDecision() { try record(decision) }
            for kind in external {
                try record(kind)
                while let decision = next.nextDecision() { try record(decision) }
            }
            // The attempts this driver will run start in the same transaction that scheduled
            // them: one commit (one fsync) per call instead of two. The call itself still
            // begins only after the commit.
            var starting: [String] = []
            for request in next.pendingActivities where !startedHere.contains(attemptKey(request)) {
                try record(.stepStarted(step: request.step, visit: request.visit, attempt: request.attempt, worker: engine.configuration.workerID))
                starting.append(attemptKey(request))
            }
            guard !events.isEmpty else { return }
            do {
                try await store.append(runID: runID, events: events, expectedLastSeq: machine.lastSeq, update: next.update(finishedAt: at))
                startedHere.formUnion(starting)
                engine.warnIfLong(runID, from: machine.lastSeq, to: next.lastSeq)
                machine = next
                observer?.committed(events, machine: machine)
                cancelAbandonedAttempts()
                return
            } catch StoreError.conflict {
                try await applyNews()
                at = now
            }
        }
    }

    /// Applies events appended by other processes since the last one seen.
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
