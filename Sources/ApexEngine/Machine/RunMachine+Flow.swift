import ApexCompiler
import ApexDSL

/// How control moves between states and frames: following targets, ending and failing frames,
/// joining branches and iterations, and cancelling what a failure leaves behind.
extension RunMachine {
    /// Starts a frame for `list` in `scope` (registered with its owner's join) and enters the
    /// list's entry.
    @discardableResult
    mutating func startFrame(list: ListID, scope: StepScope, owner: Frame.Owner?, at: Timestamp) -> Int {
        let index = frames.count
        frames.append(Frame(list: list, scope: scope, owner: owner, position: .ended))
        liveFrames.append(index)
        if let owner {
            joins[owner.visit]?.frames.append(index)
            joins[owner.visit]?.running += 1
        }
        follow(index, to: plan.lists[list].entry, at: at)
        return index
    }

    /// Moves a frame to `target`: a state to enter, or the end of its list.
    mutating func follow(_ frame: Int, to target: PlanTarget, at: Timestamp) {
        switch target {
        case .state(let state): frames[frame].position = .entering(state)
        case .endOfList: endFrame(frame, at: at)
        }
    }

    /// Starts the frames of a `parallel` (every branch) or `foreach` (the first iterations) visit.
    mutating func startFrames(of index: Int, at: Timestamp) {
        let visit = visits[index]
        guard case .parallel(let branches) = plan[visit.state].action else { return startIterations(of: index, at: at) }
        let scope = frames[visit.frame].scope
        for (slot, branch) in branches.enumerated() {
            startFrame(list: branch.list, scope: scope, owner: Frame.Owner(visit: index, slot: slot), at: at)
        }
    }

    /// Starts `foreach` iterations in order while fewer than `concurrency` run and none failed.
    private mutating func startIterations(of index: Int, at: Timestamp) {
        guard case .foreach(let body, let items, let element, let concurrency)? = joins[index]?.kind else { return }
        let visit = visits[index]
        let scope = frames[visit.frame].scope
        while let join = joins[index], join.failure == nil, join.running < concurrency, join.frames.count < items.count {
            let slot = join.frames.count
            let iteration = scope.iteration(of: visit.record.key, index: slot, element: element, value: items[slot])
            startFrame(list: body, scope: iteration, owner: Frame.Owner(visit: index, slot: slot), at: at)
        }
    }

    /// A frame reached the end of its list: its output goes to its owner's join (which may start
    /// the next iteration); at the top level, deciding completes the run.
    private mutating func endFrame(_ index: Int, at: Timestamp) {
        frames[index].position = .ended
        guard let owner = frames[index].owner else { return }
        liveFrames.remove(index)
        joins[owner.visit]?.outputs[owner.slot] = frames[index].lastOutput
        joins[owner.visit]?.ended += 1
        joins[owner.visit]?.running -= 1
        startIterations(of: owner.visit, at: at)
    }

    /// A visit completed with `output` (and `usage`, summed over attempts): the frame goes to
    /// `target`.
    mutating func complete(_ index: Int, output: JSONValue, usage: Usage? = nil, target: PlanTarget, at: Timestamp) {
        finishVisit(index, at: at) { record in
            record.status = .completed
            record.output = output
            record.error = nil
            if let usage { record.usage = record.usage.map { $0 + usage } ?? usage }
        }
        let frame = visits[index].frame
        frames[frame].lastOutput = output
        follow(frame, to: target, at: at)
    }

    /// A visit failed for good with `error`: what it started is cancelled; the first matching
    /// `catch` moves its frame on, else the frame fails.
    mutating func fail(_ index: Int, error: RunError, at: Timestamp) {
        finishVisit(index, at: at) { record in
            record.status = .failed
            record.error = error
        }
        cancelChildren(of: index, at: at)
        let frame = visits[index].frame
        if let handler = plan[visits[index].state].handler(for: error.type) {
            follow(frame, to: handler.target, at: at)
        } else {
            failFrame(frame, with: error)
        }
    }

    /// A frame's list fails with `error`: the run fails at the top level; else the owner's join
    /// records its first failure (the owner step then fails with it).
    private mutating func failFrame(_ index: Int, with error: RunError) {
        frames[index].position = .failed
        liveFrames.remove(index)
        guard let owner = frames[index].owner else {
            runFailure = runFailure ?? error
            return
        }
        joins[owner.visit]?.running -= 1
        if joins[owner.visit]?.failure == nil { joins[owner.visit]?.failure = error }
    }

    /// Ends a visit at `at`, with `finish` setting its status and result (in one change of the
    /// record), and drops its timers.
    mutating func finishVisit(_ index: Int, at: Timestamp, _ finish: (inout StepRecord) -> Void) {
        visits[index].phase = .done
        changeRecord(index) { record in
            record.finishedAt = at
            finish(&record)
        }
        unfinished.remove(index)
        dropTimers(of: index)
    }

    /// Drops the pending timers of a visit: their firings will be ignored.
    mutating func dropTimers(of index: Int) {
        for id in visits[index].timers { timers[id]?.isPending = false }
        visits[index].timers = []
    }

    /// Cancels the live frames a `parallel` or `foreach` visit started.
    private mutating func cancelChildren(of index: Int, at: Timestamp) {
        guard let started = joins[index]?.frames else { return }
        for frame in started where liveFrames.contains(frame) { cancelFrame(frame, at: at) }
    }

    /// Cancels a frame: its unfinished visit (and what that started) becomes `cancelled`.
    mutating func cancelFrame(_ index: Int, at: Timestamp) {
        liveFrames.remove(index)
        if case .inStep(let visit) = frames[index].position, unfinished.contains(visit) {
            finishVisit(visit, at: at) { $0.status = .cancelled }
            cancelChildren(of: visit, at: at)
        }
        frames[index].position = .cancelled
    }
}
