import ApexCompiler
import ApexDSL

extension RunMachine {
    /// Applies one event: recorded (replay), arrived from outside (signal, cancellation, activity
    /// result, timer fired), or a decision just made.
    ///
    /// Events must come in seq order without gaps. A decision must be exactly what
    /// ``nextDecision()`` gives now. Results for steps of a cancelled scope (a sibling branch
    /// after a `parallel` failed) and firings of dropped timers are accepted and ignored.
    ///
    /// - Throws: ``EngineFault/fatal(_:)`` for a gap in seq, an event after the run ended, a
    ///   history that does not open with `RunStarted`, an unknown step visit or timer, or a
    ///   decision the run would not make.
    public mutating func apply(_ event: Event) throws(EngineFault) {
        try apply(event, decided: nil)
    }

    /// Applies `event`; `decided`, when not nil, is what ``decide()`` gives now (the caller has
    /// just asked, as replay does), so that a decision event is not decided a second time.
    mutating func apply(_ event: Event, decided: Decision?) throws(EngineFault) {
        guard event.seq == lastSeq + 1 else {
            throw .fatal(event.seq > lastSeq
                ? "event \(event.seq) follows event \(lastSeq): the history has a gap"
                : "event \(event.seq) follows event \(lastSeq): seq must grow by 1")
        }
        guard status == .running else {
            throw .fatal("event \(event.seq) (\(event.kind.summary)) comes after the run ended (\(status.rawValue))")
        }
        if start == nil, event.kind.type != "RunStarted" {
            throw .fatal("event \(event.seq) is \(event.kind.type): a history opens with RunStarted")
        }
        if isDecision(event.kind) {
            let decision = decided ?? decide()
            guard let decision, decision.kind == event.kind else {
                let expected = decision.map(\.kind.summary) ?? "nothing: it waits"
                throw .fatal("event \(event.seq): \(event.kind.summary) is not what the run decides now (\(expected))")
            }
            perform(decision, at: event.at)
            lastEventWasFromOutside = false
        } else {
            try applyFromOutside(event)
            lastEventWasFromOutside = true
        }
        lastSeq = event.seq
        now = event.at
    }

    /// Whether an event of this kind, applied now, is a decision (which ``nextDecision()`` must
    /// give) rather than something from outside: `RunStarted`, `StepStarted`, `TimerFired`,
    /// `SignalReceived`, `CancelRequested`, and the result of a pending activity attempt (or of
    /// an activity of a cancelled scope).
    public func isDecision(_ kind: EventKind) -> Bool {
        switch kind {
        case .runStarted, .stepStarted, .stepCheckpointed, .timerFired, .signalReceived, .cancelRequested:
            false
        case .stepCompleted(let step, let visit, let attempt, _, _), .stepFailed(let step, let visit, let attempt, _, _),
             .stepSuspended(let step, let visit, let attempt, _, _):
            !isActivityResult(step: step, visit: visit, attempt: attempt)
        default:
            true
        }
    }

    private func isActivityResult(step: String, visit: Int, attempt: Int) -> Bool {
        guard let index = visitIndex[VisitKey(step: step, visit: visit)], plan[visits[index].state].kind.isActivity else { return false }
        if visits[index].record.status == .cancelled { return true }
        if case .activity(let pending, _, _, _) = visits[index].phase { return pending == attempt }
        return false
    }

    private mutating func applyFromOutside(_ event: Event) throws(EngineFault) {
        switch event.kind {
        case .runStarted(let workflow, _, let input, let startedAt, let pins):
            guard start == nil else { throw .fatal("event \(event.seq): a second RunStarted") }
            begin(workflow: workflow, input: input, startedAt: startedAt, pins: pins, at: event.at)
        case .stepStarted(let step, let visit, let attempt, _):
            let index = try visitIndex(step, visit, seq: event.seq)
            if case .activity(attempt, _, _, _) = visits[index].phase { changeRecord(index) { $0.status = .running } }
        case .stepCheckpointed(let step, let visit, let attempt, let data):
            // Kept for the visit's later attempts too; a checkpoint of an attempt that is no
            // longer pending (late, or of a cancelled scope) is ignored like a late result.
            let index = try visitIndex(step, visit, seq: event.seq)
            if case .activity(attempt, _, _, _) = visits[index].phase {
                visits[index].checkpoint = data
                visits[index].answer = nil
                visits[index].retryBase = attempt - 1
            }
        case .stepSuspended(let step, let visit, let attempt, let signal, let until):
            let index = try visitIndex(step, visit, seq: event.seq)
            guard visits[index].record.status != .cancelled else { return }
            visits[index].retryBase = attempt
            setPhase(index, .suspended(attempt: attempt, signal: signal, until: until, timerStarted: until == nil))
        case .stepCompleted(let step, let visit, _, let output, let usage):
            let index = try visitIndex(step, visit, seq: event.seq)
            guard visits[index].record.status != .cancelled else { return }
            complete(index, output: output, usage: usage, target: plan[visits[index].state].onCompleted, at: event.at)
        case .stepFailed(let step, let visit, let attempt, let error, let retryAt):
            let index = try visitIndex(step, visit, seq: event.seq)
            guard visits[index].record.status != .cancelled else { return }
            if let retryAt {
                setPhase(index, .backoff(failedAttempt: attempt, retryAt: retryAt, timerStarted: false), error: error)
            } else {
                fail(index, error: error, at: event.at)
            }
        case .timerFired(let timer):
            try timerFired(timer, seq: event.seq)
        case .signalReceived(let name, let payload, let signalID):
            inbox.receive(SignalInbox.Signal(name: name, payload: payload, id: signalID))
        case .cancelRequested(let reason):
            if cancellation == nil { cancellation = .some(reason) }
        default:
            throw .fatal("event \(event.seq): \(event.kind.summary) does not come from outside the run")
        }
    }

    private func visitIndex(_ step: String, _ visit: Int, seq: Int) throws(EngineFault) -> Int {
        guard let index = visitIndex[VisitKey(step: step, visit: visit)] else {
            throw .fatal("event \(seq) names step \(step) (visit \(visit)), which the run never started")
        }
        return index
    }

    /// `RunStarted`: fixes the input and `run` (its name is the workflow name the run was started
    /// under), evaluates `vars` (over `input` and `run`) and enters the top-level list.
    private mutating func begin(workflow: String, input: JSONValue, startedAt: Timestamp, pins: RunPins, at: Timestamp) {
        let start = RunStart(runID: runID, workflow: workflow, input: input, startedAt: startedAt, pins: pins)
        self.start = start
        let context = EvaluationContext(roots: ["input": input, "run": start.run])
        for assignment in plan.vars {
            do throws(ExpressionError) {
                vars[assignment.name.value] = try assignment.value.evaluate(in: context)
            } catch {
                runFailure = RunError(type: "expression", message: "vars.\(assignment.name.value): \(error.message)")
                break
            }
        }
        startFrame(list: 0, scope: .top, owner: nil, at: at)
    }
}
