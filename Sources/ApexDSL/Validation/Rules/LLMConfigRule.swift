/// `llm-config`: after falling back to the top-level `llm:` mapping, every llm and agent step
/// has a known provider and a model (except for `mock`), and every llm step a prompt or messages.
enum LLMConfigRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        let defaults = context.workflow.llm
        if let provider = defaults.provider { checkProvider(provider, into: &diagnostics) }
        for entry in context.index.entries {
            let own: LLMOptions
            switch entry.step.action {
            case .llm(let options): own = options
            case .agent(let agent): own = agent.llm
            default: continue
            }
            let options = own.falling(backTo: defaults)
            let step = "\(entry.step.action.key) step \"\(entry.step.id.value)\""
            guard let provider = options.provider else {
                diagnostics.error(.llmConfig, "\(step) has no provider; set `provider:` in the step or in the top-level `llm:` (one of \(LLMOptions.providers.joined(separator: ", ")))", at: entry.step.actionRange)
                continue
            }
            if own.provider != nil { checkProvider(provider, into: &diagnostics) }
            if options.model == nil, provider.value != "mock" {
                diagnostics.error(.llmConfig, "\(step) has no model; set `model:` in the step or in the top-level `llm:`", at: entry.step.actionRange)
            }
            // An agent without its own prompt is reported when it is parsed.
            if case .llm = entry.step.action, options.prompt == nil, options.messages == nil {
                diagnostics.error(.llmConfig, "\(step) has nothing to send; give it a `prompt` or `messages`", at: entry.step.actionRange)
            }
        }
    }

    private static func checkProvider(_ provider: Located<String>, into diagnostics: inout DiagnosticBag) {
        guard !LLMOptions.providers.contains(provider.value) else { return }
        let suggestion = Suggestion.didYouMean(provider.value, in: LLMOptions.providers)
        diagnostics.error(.llmConfig, "unknown provider \"\(provider.value)\"\(suggestion) (providers: \(LLMOptions.providers.joined(separator: ", ")); OpenAI-compatible servers use `openai` with OPENAI_BASE_URL)", at: provider.range)
    }
}
