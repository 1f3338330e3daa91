import ApexDSL

extension Compiler {
    /// Where the step of state `id` goes when it completes (or is skipped): its `next`, else the
    /// following step of its list, else the end of the list.
    func following(_ id: StateID) throws(CompileError) -> PlanTarget {
        let entry = index.entries[id]
        if let next = entry.step.next { return try resolve(next, in: entry.list) }
        let list = index.lists[entry.list].entries
        let position = entry.position + 1
        return position < list.count ? .state(list[position]) : .endOfList(entry.list)
    }

    /// The target named `name` (a step id of `list`, or `end`) as written in `list`.
    func resolve(_ name: Located<String>, in list: ListID) throws(CompileError) -> PlanTarget {
        if name.value == "end" { return .endOfList(list) }
        guard let state = statesByList[list][name.value] else {
            throw .malformed("no step \"\(name.value)\" in the same list", name.range)
        }
        return .state(state)
    }

    /// The `catch` handlers of the step of state `id`.
    func catches(_ id: StateID) throws(CompileError) -> [PlanCatch] {
        let entry = index.entries[id]
        var handlers: [PlanCatch] = []
        for handler in entry.step.catchHandlers {
            handlers.append(PlanCatch(patterns: handler.errors.map(\.value), target: try resolve(handler.next, in: entry.list)))
        }
        return handlers
    }

    /// The cases of a `switch` in list `list`.
    func cases(_ action: SwitchAction, in list: ListID) throws(CompileError) -> [PlanCase] {
        var cases: [PlanCase] = []
        for item in action.cases {
            let text = workflow.source.writtenText(of: item.condition)
            cases.append(PlanCase(condition: item.condition, text: text, target: try resolve(item.next, in: list)))
        }
        return cases
    }
}
