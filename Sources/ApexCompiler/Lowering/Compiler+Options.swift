import ApexDSL

/// The defaults a state takes from the workflow: each is applied once here, so the engine never
/// merges options at run time.
extension Compiler {
    /// An activity's retry policy: the step's, else `defaults.retry`, else the defaults of
    /// dsl-v1 §5. Nil for steps that are not activities (they are never retried).
    func retry(_ step: Step, kind: PlanState.Kind) -> RetryPolicy? {
        guard kind.isActivity else { return nil }
        return step.retry ?? workflow.defaults.retry ?? RetryPolicy()
    }

    /// An activity's per-attempt timeout (the step's, else `defaults.timeout`), or how long a
    /// `wait` waits (the step's `timeout`, else `wait.timeout`). Nil means no limit.
    func timeout(_ step: Step, kind: PlanState.Kind) -> Duration? {
        if kind.isActivity { return (step.timeout ?? workflow.defaults.timeout)?.value }
        if case .wait(let wait) = step.action { return (step.timeout ?? wait.timeout)?.value }
        return nil
    }

    /// An llm step's options with every omitted field taken from the top-level `llm` mapping.
    func llm(_ step: Step) -> LLMOptions? {
        guard case .llm(let options) = step.action else { return nil }
        return options.falling(backTo: workflow.llm)
    }
}
