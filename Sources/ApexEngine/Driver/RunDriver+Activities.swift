import ApexCompiler
import ApexDSL

extension RunDriver {
    /// Runs every pending attempt whose `StepStarted` this driver committed and that is not
    /// running yet (see ``commit(_:)``).
    func startActivities() async throws {
        for request in machine.pendingActivities where running[attemptKey(request)] == nil && startedHere.contains(attemptKey(request)) {
            let state = plan.states[request.stateID]
            let executor = engine.executor(for: request.kind)
            // A child run's and an agent's attempts wait on other attempts (the child's, the
            // agent's child runs): holding a permit while they do could leave none for those.
            let limiter = request.kind == .workflow || request.kind == .agent ? nil : engine.activityLimiter
            running[attemptKey(request)] = Self.launch(request, state: state, executor: executor, secrets: engine.secrets, progress: progress(of: request),
                                                       clock: engine.clock, inbox: inbox, limiter: limiter)
        }
    }

    /// Progress of an attempt goes to the engine's feed and to this run's observer.
    /// Its checkpoints are committed by this driver, between its other commits.
    func progress(of request: ActivityRequest) -> ActivityProgress {
        ActivityProgress(runID: runID, step: request.step, visit: request.visit, attempt: request.attempt, sink: { [feed = engine.liveProgress, observer] progress in
            feed.publish(progress)
            observer?.progressed(progress)
        }, checkpoint: { [inbox] data in
            let size = data.compactJSON.utf8.count
            guard size <= Limits.maxPayloadBytes else { throw EngineError.payloadTooLarge(what: "the checkpoint", bytes: size) }
            try await withCheckedThrowingContinuation { continuation in
                inbox.post(.checkpoint(Checkpoint(request: request, data: data, committed: continuation)))
            }
        }, children: ChildRuns { [engine] call, request in
            await engine.executeChild(request, call: call)
        })
    }

    /// Runs the attempt in its own task, once `limiter` (if any) gives it a permit, and posts
    /// the result to the driver's inbox.
    static func launch(_ request: ActivityRequest, state: PlanState, executor: any ActivityExecutor, secrets: Secrets, progress: ActivityProgress,
                       clock: any EngineClock, inbox: Inbox<Message>, limiter: ActivityLimiter?) -> Task<Void, Never> {
        Task {
            let attempt = { await execute(request, state: state, executor: executor, secrets: secrets, progress: progress, clock: clock) }
            let result = if let limiter { await limiter.withPermit(attempt) } else { await attempt() }
            // Cancelled while waiting for a permit: the driver is stopping and reads no result.
            guard let result else { return }
            inbox.post(.finished(Finished(request: request, result: result)))
        }
    }

    /// One attempt, bounded by its per-attempt timeout.
    static func execute(_ request: ActivityRequest, state: PlanState, executor: any ActivityExecutor, secrets: Secrets,
                        progress: ActivityProgress, clock: any EngineClock) async -> ActivityResult {
        guard let timeout = request.timeout else {
            return await executor.execute(request, state: state, secrets: secrets, progress: progress)
        }
        return await withTaskGroup(of: ActivityResult?.self) { group in
            group.addTask { await executor.execute(request, state: state, secrets: secrets, progress: progress) }
            group.addTask {
                let ended = (try? await clock.sleep(for: timeout)) != nil
                return !ended || Task.isCancelled ? nil : .failed(RunError(type: "timeout", message: "the attempt took longer than its timeout of \(timeout)", step: request.step, attempt: request.attempt), retryAfter: nil)
            }
            var first: ActivityResult?
            while first == nil, let result = await group.next() { first = result }
            group.cancelAll()
            return first ?? .failed(RunError(type: "cancelled", message: "the attempt was cancelled"), retryAfter: nil)
        }
    }

    /// Attempts that a previous driver started and never finished may have run, or may not:
    /// each is recorded as failed (`worker.lost`) and retried per its policy.
    func recoverInterruptedAttempts(_ history: [Event]) async throws {
        var started = Set<String>()
        for event in history {
            if case .stepStarted(let step, let visit, let attempt, _) = event.kind { started.insert("\(step)#\(visit).\(attempt)") }
        }
        let interrupted = machine.pendingActivities.filter { started.contains(attemptKey($0)) }
        guard !interrupted.isEmpty else { return }
        let at = now
        try await commit(interrupted.map { request in
            request.failureEvent(RunError(type: "worker.lost", message: "the process running this attempt stopped before it finished"), retryAfter: nil, at: at)
        }, at: at)
    }
}
