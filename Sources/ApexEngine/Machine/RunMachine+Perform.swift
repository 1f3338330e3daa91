import ApexCompiler
import ApexDSL

/// Applying a decision: what each effect does to the machine.
extension RunMachine {
    /// Performs `decision`, whose event is committed at `at`.
    mutating func perform(_ decision: Decision, at: Timestamp) {
        switch decision.effect {
        case .startRunTimer:
            runTimerStarted = true
            if case .timerStarted(let id, let fireAt) = decision.kind { timers[id] = TimerEntry(fireAt: fireAt, owner: nil) }
        case .endRun:
            endRun(decision.kind, at: at)
        case .skip(let frame, let state, let visit):
            let index = startVisit(frame: frame, state: state, visit: visit, phase: .done, at: at)
            finishVisit(index, at: at) { $0.status = .skipped }
            follow(frame, to: plan[state].onSkipped, at: at)
        case .schedule(let frame, let state, let visit, let phase, let join):
            var phase = phase
            if case .activity(let attempt, _, let context, _) = phase {
                phase = .activity(attempt: attempt, call: countCall(of: state), context: context, scheduledAt: at)
            }
            let index = startVisit(frame: frame, state: state, visit: visit, phase: phase, at: at)
            frames[frame].position = .inStep(index)
            if let join {
                joins[index] = join
                startFrames(of: index, at: at)
            }
        case .reschedule(let index, let attempt, let context):
            let call = countCall(of: visits[index].state)
            setPhase(index, .activity(attempt: attempt, call: call, context: context, scheduledAt: at), attempts: attempt)
        case .complete(let index, let output, let assignments, let target):
            for (name, value) in assignments ?? [:] { vars[name] = value }
            complete(index, output: output, target: target, at: at)
        case .fail(let index, let error):
            fail(index, error: error, at: at)
        case .startTimer(let index, let timer, let fireAt, let next):
            timers[timer] = TimerEntry(fireAt: fireAt, owner: index)
            visits[index].timers.append(timer)
            setPhase(index, next)
        case .consume(let index, let signal):
            inbox.consume(signal)
            dropTimers(of: index)
            let target = plan[visits[index].state].onCompleted
            setPhase(index, .completing(output: inbox.signals[signal].payload, assignments: nil, target: target))
        case .resume(let index, let slot, let attempt):
            inbox.consume(slot)
            dropTimers(of: index)
            let signal = inbox.signals[slot]
            visits[index].answer = ["signal": .string(signal.name), "payload": signal.payload, "signal_id": .string(signal.id)]
            setPhase(index, .retrying(attempt: attempt))
        }
    }

    /// The number of a new activity attempt of `state` among all of its attempts so far.
    private mutating func countCall(of state: StateID) -> Int {
        callCounts[state, default: 0] += 1
        return callCounts[state]!
    }

    /// Records a new visit of `state` in `frame` and returns its index.
    private mutating func startVisit(frame: Int, state: StateID, visit: Int, phase: StepPhase, at: Timestamp) -> Int {
        let scope = frames[frame].scope
        let stepID = plan[state].stepID
        let key = scope.key(stepID)
        let index = visits.count
        let record = StepRecord(key: key, stateID: state, visit: visit, status: phase.status, attempts: 1, startedAt: at)
        visits.append(StepVisit(record: record, stepID: stepID, frame: frame, phase: phase))
        visitIndex[VisitKey(step: key, visit: visit)] = index
        visitCounts[key] = visit
        unfinished.insert(index)
        publishContextValue(of: index)
        return index
    }

    /// Moves a visit to `phase`, with the status that phase shows (and a new attempt count or
    /// error when given).
    mutating func setPhase(_ index: Int, _ phase: StepPhase, attempts: Int? = nil, error: RunError? = nil) {
        visits[index].phase = phase
        // Most phase changes keep the status: then the record, and `steps.<id>`, stay as they are.
        guard phase.status != visits[index].record.status || attempts != nil || error != nil else { return }
        changeRecord(index) { record in
            record.status = phase.status
            if let attempts { record.attempts = attempts }
            if let error { record.error = error }
        }
    }

    /// Ends the run with a terminal event: every live frame is cancelled and every timer dropped.
    private mutating func endRun(_ kind: EventKind, at: Timestamp) {
        switch kind {
        case .runCompleted(let output):
            status = .completed
            self.output = output
        case .runFailed(let error):
            status = .failed
            self.error = error
        case .runCancelled:
            status = .cancelled
            let reason = (cancellation ?? nil).map { ": \($0)" } ?? ""
            error = RunError(type: "cancelled", message: "the run was cancelled\(reason)")
        case .runTimedOut:
            status = .timedOut
            let limit = plan.timeout.map { " of \($0)" } ?? ""
            error = RunError(type: "timeout", message: "the run did not finish within its timeout\(limit)")
        default:
            break
        }
        for frame in liveFrames.elements { cancelFrame(frame, at: at) }
        for id in timers.keys { timers[id]?.isPending = false }
    }
}
