import ApexDSL

extension ActivityRequest {
    /// The event that records this attempt's result, a pure function of the result and `at`,
    /// the time the event is stamped with: `StepCompleted`, or `StepFailed` carrying the retry
    /// decision. The machine then starts the back-off timer from `retry_at`.
    ///
    /// The retry decision: another attempt follows when the step's policy allows it for the
    /// error (``RetryPolicy/allowsRetry(afterAttempt:errorType:details:)``), after the policy's
    /// delay for this attempt, raised by a provider's `retry-after` (capped, see
    /// ``RetryPolicy/honoured(retryAfter:stepTimeout:)``), with jitter drawn from the seed
    /// `<idempotency key>#<attempt>`, so that replaying and re-deciding give the same time.
    /// It counts from `at`, so `retry_at − at` in the history is exactly the back-off.
    public func resultEvent(_ result: ActivityResult, at: Timestamp) -> EventKind {
        switch result {
        case .completed(let output, let usage):
            let size = output.compactJSON.utf8.count
            guard size <= Limits.maxPayloadBytes else {
                let error = RunError(type: "payload.too_large", message: "the output is \(size) bytes; outputs may be at most 2 MiB", step: step, attempt: attempt)
                return failureEvent(error, retryAfter: nil, at: at)
            }
            return .stepCompleted(step: step, visit: visit, attempt: attempt, output: output, usage: usage)
        case .failed(let error, let retryAfter):
            return failureEvent(error, retryAfter: retryAfter, at: at)
        case .suspended(let signal, let timeout):
            return .stepSuspended(step: step, visit: visit, attempt: attempt, signal: signal, until: timeout.map(at.adding))
        }
    }

    /// `StepFailed` for this attempt, with `retry_at` when the policy allows another attempt.
    public func failureEvent(_ error: RunError, retryAfter: Duration?, at: Timestamp) -> EventKind {
        var error = error
        error.step = error.step ?? step
        error.attempt = error.attempt ?? attempt
        var retryAt: Timestamp?
        // Attempts before the latest suspension or checkpoint count for nothing (retryBase).
        let failedAttempts = attempt - retryBase
        if let retry, retry.allowsRetry(afterAttempt: failedAttempts, errorType: error.type, details: error.details) {
            let honoured = retry.honoured(retryAfter: retryAfter, stepTimeout: timeout)
            retryAt = at.adding(retry.delay(afterAttempt: failedAttempts, seed: "\(idempotencyKey)#\(attempt)", retryAfter: honoured))
        }
        return .stepFailed(step: step, visit: visit, attempt: attempt, error: error, retryAt: retryAt)
    }
}
