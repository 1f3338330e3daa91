/// `unreachable-step` (warning): no path from the first step of its list reaches the step,
/// e.g. a step after a `fail` or after a `next` that jumps over it.
enum UnreachableStepRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for (listIndex, list) in context.index.lists.enumerated() {
            let reachable = context.graphs[listIndex].reachable()
            for (position, entry) in list.entries.enumerated() where !reachable[position] {
                let step = context.index.entries[entry].step
                let previous = position > 0 ? context.index.entries[list.entries[position - 1]].step : nil
                var why = "no step leads to it"
                if let previous {
                    if case .fail = previous.action {
                        why = "the step before it, \"\(previous.id.value)\", always fails"
                    } else if let next = previous.next {
                        why = "the step before it, \"\(previous.id.value)\", goes to \"\(next.value)\""
                    }
                }
                diagnostics.warning(.unreachableStep, "step \"\(step.id.value)\" can never run: \(why)", at: step.id.range)
            }
        }
    }
}
