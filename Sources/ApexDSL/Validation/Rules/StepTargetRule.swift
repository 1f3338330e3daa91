/// `unknown-step` and `step-out-of-scope`: every `next`, `switch` and `catch` target names a
/// step of the same list, or `end`.
enum StepTargetRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for list in context.index.lists {
            let idsInList = Set(list.entries.map { context.index.entries[$0].step.id.value })
            for entry in list.entries {
                let step = context.index.entries[entry].step
                var targets: [(String, Located<String>)] = []
                if let next = step.next { targets.append(("next", next)) }
                if case .switch(let action) = step.action {
                    targets += action.cases.map { ("switch", $0.next) }
                    if let target = action.defaultTarget { targets.append(("switch", target)) }
                }
                targets += step.catchHandlers.map { ("catch", $0.next) }
                for (key, target) in targets {
                    check(target, key: key, idsInList: idsInList, context: context, into: &diagnostics)
                }
            }
        }
    }

    private static func check(_ target: Located<String>, key: String, idsInList: Set<String>, context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        let name = target.value
        guard name != "end", !idsInList.contains(name) else { return }
        if context.index.byID[name] != nil {
            diagnostics.error(.stepOutOfScope, "step \"\(name)\" in \(key) is in another list; `\(key)` can only go to a step of the same list (or `end`)", at: target.range)
            return
        }
        let suggestion = Suggestion.didYouMean(name, in: idsInList.union(["end"]))
        diagnostics.error(.unknownStep, "unknown step \"\(name)\" in \(key)\(suggestion)", at: target.range)
    }
}
