/// `misplaced-option`: `retry` only on activity steps (`llm`, `http`, `workflow`, `agent`); `timeout` on
/// those and on `wait` (how long to wait), and not given twice for a `wait`; no `catch` on a
/// `fail` step (its error is for an enclosing step or the run to handle).
enum MisplacedOptionRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for entry in context.index.entries {
            let step = entry.step
            let kind = step.action.key
            if case .invalid = step.action { continue }
            if step.retry != nil, !step.action.isActivity, let range = step.keyRanges["retry"] {
                diagnostics.error(.misplacedOption, "`retry` is only for llm, http, workflow and agent steps; \"\(step.id.value)\" is a `\(kind)` step", at: range)
            }
            if case .fail = step.action, let range = step.keyRanges["catch"] {
                diagnostics.error(.misplacedOption, "a `fail` step cannot catch its own error; put the `catch` on an enclosing `parallel` or `foreach` step, or use `next` instead of failing", at: range)
            }
            guard let timeout = step.keyRanges["timeout"] else { continue }
            if case .wait(let wait) = step.action {
                if let inner = wait.timeout {
                    diagnostics.error(.misplacedOption, "the wait of \"\(step.id.value)\" has two timeouts; keep either the step's `timeout` or `wait.timeout`", at: inner.range)
                }
            } else if !step.action.isActivity {
                diagnostics.error(.misplacedOption, "`timeout` is only for llm, http, workflow, agent and wait steps (the whole run's timeout goes at the top level); \"\(step.id.value)\" is a `\(kind)` step", at: timeout)
            }
        }
    }
}
