import ApexCompiler
import ApexDSL

extension RunDriver {
    /// Runs every pending attempt whose `StepStarted` this driver committed and that is not
    /// running yet (see ``commit(_:)``).
    func startActivities() async throws {
        for request in machine.pendingActivities where running[attemptKey(request)] == nil && startedHere.contains(attemptKey(request)) {
            let state = plan.states[request.stateID]
            let executor: any ActivityExecutor = request.kind == .workflow ? ChildRunExecutor(engine: engine, parentPath: definitionPath) : engine.executor
            running[attemptKey(request)] = Self.launch(request, state: state, executor: executor, secrets: engine.secrets, progress: progress(of: request), inbox: inbox)
        }
    }

    /// Progress of an attempt goes to the engine's feed and to this run's observer.
    func progress(of request: ActivityRequest) -> ActivityProgress {
        ActivityProgress(runID: runID, step: request.step, visit: request.visit, attempt: request.attempt) { [feed = engine.liveProgress, observer] progress in
            feed.publish(progress)
            observer?.progressed(progress)
        }
    }

    /// Runs the attempt in its own task and posts the result to the driver's inbox.
    static func launch(_ request: ActivityRequest, state: PlanState, executor: any ActivityExecutor, secrets: Secrets, progress: ActivityProgress,
                       inbox: Inbox<Message>) -> Task<Void, Never> {
        Task {
            let result = await execute(request, state: state, executor: executor, secrets: secrets, progress: progress)
            inbox.post(.finished(Finished(request: request, result: result)))
        }
    }

    /// One attempt, bounded by its per-attempt timeout.
    static func execute(_ request: ActivityRequest, state: PlanState, executor: any ActivityExecutor, secrets: Secrets,
                        progress: ActivityProgress) async -> ActivityResult {
        guard let timeout = request.timeout else {
            return await executor.execute(request, state: state, secrets: secrets, progress: progress)
        }
        return await withTaskGroup(of: ActivityResult?.self) { group in
            group.addTask { await executor.execute(request, state: state, secrets: secrets, progress: progress) }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeout.milliseconds) * 1_000_000)
                return Task.isCancelled ? nil : .failed(RunError(type: "timeout", message: "the attempt took longer than its timeout of \(timeout)", step: request.step, attempt: request.attempt), retryAfter: nil)
            }
            var first: ActivityResult?
            while first == nil, let result = await group.next() { first = result }
            group.cancelAll()
            return first ?? .failed(RunError(type: "cancelled", message: "the attempt was cancelled"), retryAfter: nil)
        }
    }

    /// The event that records an attempt's result; a failure carries when to retry, if the
    /// policy allows another attempt, counted from `at`, the time the event is committed with
    /// (so that `retry_at − at` in the history is exactly the back-off).
    func resultEvent(_ finished: Finished, at: Timestamp) -> EventKind {
        let request = finished.request
        switch finished.result {
        case .completed(let output, let usage):
            let size = output.compactJSON.utf8.count
            guard size <= Limits.maxPayloadBytes else {
                return failure(request, RunError(type: "payload.too_large", message: "the output is \(size) bytes; outputs may be at most 2 MiB", step: request.step, attempt: request.attempt), retryAfter: nil, at: at)
            }
            return .stepCompleted(step: request.step, visit: request.visit, attempt: request.attempt, output: output, usage: usage)
        case .failed(let error, let retryAfter):
            return failure(request, error, retryAfter: retryAfter, at: at)
        }
    }

    func failure(_ request: ActivityRequest, _ error: RunError, retryAfter: Duration?, at: Timestamp) -> EventKind {
        var error = error
        error.step = error.step ?? request.step
        error.attempt = error.attempt ?? request.attempt
        var retryAt: Timestamp?
        if let policy = request.retry, policy.allowsRetry(afterAttempt: request.attempt, errorType: error.type, details: error.details) {
            let honoured = policy.honoured(retryAfter: retryAfter, stepTimeout: request.timeout)
            retryAt = at.adding(policy.delay(afterAttempt: request.attempt, seed: "\(request.idempotencyKey)#\(request.attempt)", retryAfter: honoured))
        }
        return .stepFailed(step: request.step, visit: request.visit, attempt: request.attempt, error: error, retryAt: retryAt)
    }

    /// Attempts that a previous driver started and never finished may have run, or may not:
    /// each is recorded as failed (`worker.lost`) and retried per its policy (engine.md §3.2).
    func recoverInterruptedAttempts(_ history: [Event]) async throws {
        var started = Set<String>()
        for event in history {
            if case .stepStarted(let step, let visit, let attempt, _) = event.kind { started.insert("\(step)#\(visit).\(attempt)") }
        }
        let interrupted = machine.pendingActivities.filter { started.contains(attemptKey($0)) }
        guard !interrupted.isEmpty else { return }
        let at = now
        try await commit(interrupted.map { request in
            failure(request, RunError(type: "worker.lost", message: "the process running this attempt stopped before it finished"), retryAfter: nil, at: at)
        }, at: at)
    }
}
