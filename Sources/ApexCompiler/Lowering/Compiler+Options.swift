import ApexDSL

/// The defaults a state takes from the workflow: each is applied once here, so the engine never
/// merges options at run time. (An llm step's options fall back to the top-level `llm` when its
/// action is lowered.)
extension Compiler {
    /// An activity's retry policy: the step's, else `defaults.retry`, else the defaults of
    /// docs/language.md, "Retry policy". Nil for steps that are not activities (they are never retried).
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
}

extension Compiler {
    /// An agent with the top-level `llm` merged in and every default applied: each tool's retry
    /// policy (its own, else `defaults.retry`) and the limits.
    func lowered(_ agent: AgentAction) -> PlanAgent {
        let tools = agent.tools.map { tool in
            var tool = tool
            tool.retry = tool.retry ?? workflow.defaults.retry ?? RetryPolicy()
            return tool
        }
        return PlanAgent(llm: agent.llm.falling(backTo: workflow.llm), tools: tools,
                         maxTurns: agent.maxTurns?.value ?? AgentAction.defaultMaxTurns,
                         maxTokens: agent.budget.tokens?.value, maxToolCalls: agent.budget.toolCalls?.value)
    }
}
