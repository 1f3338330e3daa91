/// `llm-config`: after falling back to the top-level `llm:` mapping, every llm step has a
/// known provider, a model (except for `mock`), and a prompt or messages.
enum LLMConfigRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        let defaults = context.workflow.llm
        if let provider = defaults.provider { checkProvider(provider, into: &diagnostics) }
        for entry in context.index.entries {
            guard case .llm(let own) = entry.step.action else { continue }
            let options = own.falling(backTo: defaults)
            let id = entry.step.id.value
            guard let provider = options.provider else {
                diagnostics.error(.llmConfig, "llm step \"\(id)\" has no provider; set `provider:` in the step or in the top-level `llm:` (one of \(LLMOptions.providers.joined(separator: ", ")))", at: entry.step.actionRange)
                continue
            }
            if own.provider != nil { checkProvider(provider, into: &diagnostics) }
            if options.model == nil, provider.value != "mock" {
                diagnostics.error(.llmConfig, "llm step \"\(id)\" has no model; set `model:` in the step or in the top-level `llm:`", at: entry.step.actionRange)
            }
            if options.prompt == nil, options.messages == nil {
                diagnostics.error(.llmConfig, "llm step \"\(id)\" has nothing to send; give it a `prompt` or `messages`", at: entry.step.actionRange)
            }
        }
    }

    private static func checkProvider(_ provider: Located<String>, into diagnostics: inout DiagnosticBag) {
        guard !LLMOptions.providers.contains(provider.value) else { return }
        let suggestion = Suggestion.didYouMean(provider.value, in: LLMOptions.providers)
        diagnostics.error(.llmConfig, "unknown provider \"\(provider.value)\"\(suggestion) (providers: \(LLMOptions.providers.joined(separator: ", ")); OpenAI-compatible servers use `openai` with OPENAI_BASE_URL)", at: provider.range)
    }
}
