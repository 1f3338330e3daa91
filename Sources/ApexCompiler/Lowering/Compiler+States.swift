import ApexDSL

extension Compiler {
    /// The state of entry `id` of the step index, with its action lowered and its transitions
    /// resolved.
    func state(_ id: StateID) throws(CompileError) -> PlanState {
        let entry = index.entries[id]
        let step = entry.step
        let next = try following(id)
        let action = try self.action(id, next: next)
        return PlanState(
            id: id, stepID: step.id.value, action: action, list: entry.list, condition: step.condition,
            onCompleted: next, catches: try catches(id),
            retry: retry(step, kind: action.kind), timeout: timeout(step, kind: action.kind),
            maxVisits: workflow.defaults.maxVisits
        )
    }

    /// The lowered action of the step of state `id`, whose own next is `next`.
    func action(_ id: StateID, next: PlanTarget) throws(CompileError) -> PlanAction {
        let entry = index.entries[id]
        let step = entry.step
        switch step.action {
        case .llm(let call):
            return .llm(call.falling(backTo: workflow.llm))
        case .http(let call):
            return .http(call)
        case .sleep(let sleep):
            return .sleep(sleep)
        case .wait(let wait):
            guard let signal = wait.signal?.value else {
                throw .malformed("wait step \"\(step.id.value)\" has no signal", step.actionRange)
            }
            return .wait(PlanWait(signal: signal, schema: wait.schema))
        case .set(let assignments):
            return .set(assignments)
        case .switch(let action):
            let cases = try cases(action, in: entry.list)
            var defaultTarget = next
            if let name = action.defaultTarget { defaultTarget = try resolve(name, in: entry.list) }
            return .switch(PlanSwitch(cases: cases, defaultTarget: defaultTarget, hasDefault: action.defaultTarget != nil))
        case .parallel(let action):
            return .parallel(zip(action.branches, ownedLists[id]).map { PlanBranch(name: $0.name.value, list: $1) })
        case .foreach(let action):
            guard let items = action.items, let body = ownedLists[id].first else {
                throw .malformed("foreach step \"\(step.id.value)\" has no `in` list", step.actionRange)
            }
            let concurrency = action.concurrency ?? .literal(.int(1), step.actionRange)
            return .foreach(PlanLoop(body: body, items: items, element: action.element, concurrency: concurrency))
        case .workflow(let call):
            return .workflow(call)
        case .fail(let fail):
            return .fail(fail)
        case .agent(let agent):
            return .agent(lowered(agent))
        case .invalid:
            throw .malformed("step \"\(step.id.value)\" has no readable action", step.actionRange)
        }
    }
}
