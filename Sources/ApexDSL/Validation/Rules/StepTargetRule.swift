/// `unknown-step` and `step-out-of-scope`: every `next`, `switch` and `catch` target names a
/// step of the same list, or `end`.
enum StepTargetRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for list in context.index.lists {
            let ids = list.entries.map { context.index.entries[$0].step.id.value }
            let idsInList = Set(ids)
            // `end`, then the ids in document order: of equally close suggestions the first is made.
            let candidates = ["end"] + ids
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
                    check(target, key: key, idsInList: idsInList, candidates: candidates, context: context, into: &diagnostics)
                }
            }
        }
    }

    private static func check(
        _ target: Located<String>, key: String, idsInList: Set<String>, candidates: [String],
        context: ValidationContext, into diagnostics: inout DiagnosticBag
    ) {
        let name = target.value
        guard name != "end", !idsInList.contains(name) else { return }
        if context.index.byID[name] != nil {
            diagnostics.error(.stepOutOfScope, "step \"\(name)\" in \(key) is in another list; `\(key)` can only go to a step of the same list (or `end`)", at: target.range)
            return
        }
        diagnostics.error(.unknownStep, "unknown step \"\(name)\" in \(key)\(Suggestion.didYouMean(name, in: candidates))", at: target.range)
    }
}
