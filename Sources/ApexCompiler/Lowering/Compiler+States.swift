import ApexDSL

extension Compiler {
    /// The state of entry `id` of the step index, with its transitions resolved.
    func state(_ id: StateID) throws(CompileError) -> PlanState {
        let entry = index.entries[id]
        let step = entry.step
        guard let kind = PlanState.Kind(step.action) else {
            throw .malformed("step \"\(step.id.value)\" has no readable action", step.actionRange)
        }
        let next = try following(id)
        var cases: [PlanCase] = []
        var defaultTarget: PlanTarget?
        var branches: [PlanBranch] = []
        var loop: PlanLoop?
        switch step.action {
        case .switch(let action):
            cases = try self.cases(action, in: entry.list)
            if let name = action.defaultTarget {
                defaultTarget = try resolve(name, in: entry.list)
            } else {
                defaultTarget = next
            }
        case .parallel(let action):
            branches = zip(action.branches, ownedLists[id]).map { PlanBranch(name: $0.name.value, list: $1) }
        case .foreach(let action):
            guard let items = action.items, let body = ownedLists[id].first else {
                throw .malformed("foreach step \"\(step.id.value)\" has no `in` list", step.actionRange)
            }
            let concurrency = action.concurrency ?? .literal(.int(1), step.actionRange)
            loop = PlanLoop(body: body, items: items, element: action.element, concurrency: concurrency)
        default:
            break
        }
        return PlanState(
            id: id, kind: kind, list: entry.list, step: step, onCompleted: next,
            cases: cases, defaultTarget: defaultTarget, catches: try catches(id),
            branches: branches, loop: loop,
            retry: retry(step, kind: kind), timeout: timeout(step, kind: kind), llm: llm(step),
            maxVisits: workflow.defaults.maxVisits
        )
    }
}
