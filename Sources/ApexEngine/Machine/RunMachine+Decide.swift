import ApexCompiler
import ApexDSL
import OrderedCollections

extension RunMachine {
    /// The next decision, or nil when the run must wait for something from outside (an activity
    /// result, a timer firing, a signal, a cancellation) or has ended.
    ///
    /// Deterministic: a function of the events applied. The driver appends each decision as the
    /// next event, applies it, and asks again until this gives nil.
    public func nextDecision() -> EventKind? {
        decide()?.kind
    }

    /// The next decision with its effect, the history limit applied.
    func decide() -> Decision? {
        guard status == .running, let start else { return nil }
        guard let decision = decideWithinRun(start) else { return nil }
        if !decision.kind.isTerminal, lastSeq + 1 >= historyLimit {
            let error = RunError(type: "history.limit", message: "the run's history reached the limit of \(historyLimit) events",
                                 details: ["limit": .int(historyLimit)])
            return Decision(kind: .runFailed(error: error), effect: .endRun)
        }
        return decision
    }

    private func decideWithinRun(_ start: RunStart) -> Decision? {
        if cancellation != nil { return Decision(kind: .runCancelled, effect: .endRun) }
        if timedOut { return Decision(kind: .runTimedOut, effect: .endRun) }
        if let runFailure { return Decision(kind: .runFailed(error: runFailure), effect: .endRun) }
        if let timeout = plan.timeout, !runTimerStarted {
            let kind = EventKind.timerStarted(timer: TimerName.runTimeout, fireAt: start.startedAt.adding(timeout))
            return Decision(kind: kind, effect: .startRunTimer)
        }
        for frame in liveFrames {
            if let decision = decide(inFrame: frame) { return decision }
        }
        return nil
    }

    private func decide(inFrame index: Int) -> Decision? {
        let frame = frames[index]
        switch frame.position {
        case .entering(let state): return enter(state, in: index)
        case .inStep(let visit): return decide(forVisit: visit)
        case .ended: return frame.owner == nil ? completeRun(frame) : nil
        case .failed, .cancelled: return nil
        }
    }

    /// The end of the top-level list: the run completes with its `output`.
    private func completeRun(_ frame: Frame) -> Decision {
        guard let template = plan.output else { return Decision(kind: .runCompleted(output: .null), effect: .endRun) }
        do throws(ExpressionError) {
            let output = try template.evaluate(in: context(for: frame.scope))
            return Decision(kind: .runCompleted(output: output), effect: .endRun)
        } catch {
            let failure = RunError(type: "expression", message: "output: \(error.message)")
            return Decision(kind: .runFailed(error: failure), effect: .endRun)
        }
    }

    /// What a visit decides in its phase, if anything.
    private func decide(forVisit index: Int) -> Decision? {
        let visit = visits[index]
        let record = visit.record
        let state = plan[visit.state]
        switch visit.phase {
        case .completing(let output, let assignments, let target):
            return completion(index, output: output, assignments: assignments, target: target)
        case .failing(let error):
            return failure(index, error)
        case .startingSleep:
            return startSleep(index)
        case .startingWaitTimer(let signal):
            let timer = TimerName.wait(record.key, visit: record.visit)
            let fireAt = now.adding(state.timeout ?? Duration(milliseconds: 0))
            return Decision(kind: .timerStarted(timer: timer, fireAt: fireAt),
                            effect: .startTimer(visit: index, timer: timer, fireAt: fireAt, next: .waiting(signal: signal)))
        case .waiting(let signal):
            guard let slot = inbox.oldest(named: signal) else { return nil }
            let kind = EventKind.signalConsumed(step: record.key, visit: record.visit, signalID: inbox.signals[slot].id)
            return Decision(kind: kind, effect: .consume(visit: index, signal: slot))
        case .suspended(let attempt, let signal, let until?, false):
            let timer = TimerName.suspension(record.key, visit: record.visit, attempt: attempt)
            return Decision(kind: .timerStarted(timer: timer, fireAt: until),
                            effect: .startTimer(visit: index, timer: timer, fireAt: until,
                                                next: .suspended(attempt: attempt, signal: signal, until: until, timerStarted: true)))
        case .suspended(let attempt, let signal, _, _):
            guard let slot = inbox.oldest(named: signal) else { return nil }
            let kind = EventKind.signalConsumed(step: record.key, visit: record.visit, signalID: inbox.signals[slot].id)
            return Decision(kind: kind, effect: .resume(visit: index, signal: slot, attempt: attempt + 1))
        case .backoff(let failed, let retryAt, false):
            let timer = TimerName.retry(record.key, visit: record.visit, attempt: failed)
            return Decision(kind: .timerStarted(timer: timer, fireAt: retryAt),
                            effect: .startTimer(visit: index, timer: timer, fireAt: retryAt,
                                                next: .backoff(failedAttempt: failed, retryAt: retryAt, timerStarted: true)))
        case .retrying(let attempt):
            let kind = EventKind.stepScheduled(step: record.key, visit: record.visit, attempt: attempt, kind: state.kind.rawValue)
            let context = context(for: frames[visit.frame].scope)
            return Decision(kind: kind, effect: .reschedule(visit: index, attempt: attempt, context: context))
        case .joining:
            guard let join = joins[index] else { return nil }
            if let error = join.failure { return failure(index, error) }
            guard join.isComplete else { return nil }
            return completion(index, output: join.output, assignments: nil, target: state.onCompleted)
        case .sleeping, .activity, .backoff, .done:
            return nil
        }
    }

    func completion(_ index: Int, output: JSONValue, assignments: OrderedDictionary<String, JSONValue>?, target: PlanTarget) -> Decision {
        let record = visits[index].record
        let kind = EventKind.stepCompleted(step: record.key, visit: record.visit, attempt: record.attempts, output: output, usage: nil)
        return Decision(kind: kind, effect: .complete(visit: index, output: output, assignments: assignments, target: target))
    }

    func failure(_ index: Int, _ error: RunError) -> Decision {
        let record = visits[index].record
        let kind = EventKind.stepFailed(step: record.key, visit: record.visit, attempt: record.attempts, error: error, retryAt: nil)
        return Decision(kind: kind, effect: .fail(visit: index, error: error))
    }
}
