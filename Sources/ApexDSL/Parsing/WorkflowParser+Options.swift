extension WorkflowParser {
    static let llmKeys = ["provider", "model", "system", "prompt", "messages", "temperature", "max_tokens", "schema", "stop"]

    /// An llm step, or the top-level `llm:` defaults.
    mutating func llmOptions(_ node: YAMLNode, isStep: Bool) -> LLMOptions {
        guard let keys = mapping(node, what: isStep ? "`llm`" : "the top-level `llm`", allowed: Self.llmKeys) else { return LLMOptions() }
        return llmOptions(keys, what: "an llm step")
    }

    /// The llm options among `keys` (an llm step's, the top-level `llm`'s, an agent's).
    mutating func llmOptions(_ keys: [String: YAMLPair], what: String) -> LLMOptions {
        var options = LLMOptions()
        if let provider = keys["provider"].flatMap({ string($0.value, key: "provider") }) {
            options.provider = provider
        }
        options.model = keys["model"].flatMap { scalarTemplate($0.value, key: "model") }
        options.system = keys["system"].flatMap { scalarTemplate($0.value, key: "system") }
        options.prompt = keys["prompt"].flatMap { scalarTemplate($0.value, key: "prompt") }
        if let messages = keys["messages"] {
            options.messages = llmMessages(messages.value)
            if let prompt = keys["prompt"] {
                diagnostics.error(.invalidValue, "\(what) takes \"prompt\" or \"messages\", not both", at: prompt.key.range)
            }
        }
        if let temperature = keys["temperature"] {
            options.temperature = numberOrExpression(temperature.value, key: "temperature", in: 0...2)
        }
        if let maxTokens = keys["max_tokens"] {
            options.maxTokens = numberOrExpression(maxTokens.value, key: "max_tokens", in: 1...Double(Int32.max), integer: true)
        }
        options.schema = keys["schema"].flatMap { JSONSchema.parse($0.value, diagnostics: &diagnostics) }
        if let stop = keys["stop"] {
            let stops = stringList(stop.value, key: "stop")
            options.stop = .literal(.array(stops.map { .string($0.value) }), stop.value.range)
        }
        return options
    }

    private mutating func llmMessages(_ node: YAMLNode) -> [LLMMessage] {
        guard let items = node.items else {
            diagnostics.error(.typeMismatch, "\"messages\" must be a list of `{role, content}`, not \(node.kindDescription)", at: node.range)
            return []
        }
        return items.compactMap { item in
            guard let keys = mapping(item, what: "a message", allowed: ["role", "content"]) else { return nil }
            guard let rolePair = keys["role"], let contentPair = keys["content"] else {
                diagnostics.error(.missingKey, "a message needs \"role\" (system, user or assistant) and \"content\"", at: pairAnchor(item))
                return nil
            }
            guard let role = string(rolePair.value, key: "role") else { return nil }
            if !["system", "user", "assistant"].contains(role.value) {
                diagnostics.error(.invalidValue, "unknown role \"\(role.value)\"; use system, user or assistant\(Suggestion.didYouMean(role.value, in: ["system", "user", "assistant"]))", at: role.range)
            }
            guard let content = scalarTemplate(contentPair.value, key: "content") else { return nil }
            return LLMMessage(role: role, content: content)
        }
    }

    private mutating func numberOrExpression(_ node: YAMLNode, key: String, in bounds: ClosedRange<Double>, integer: Bool = false) -> TemplateValue? {
        if node.scalar?.value.contains("${{") == true { return template(node) }
        if integer {
            guard let value = self.integer(node, key: key, minimum: Int(bounds.lowerBound)) else { return nil }
            return .literal(.int(value.value), node.range)
        }
        guard let value = number(node, key: key, in: bounds) else { return nil }
        return .literal(node.scalar?.resolved ?? .double(value), node.range)
    }

    mutating func stepDefaults(_ node: YAMLNode) -> StepDefaults {
        var defaults = StepDefaults()
        guard let keys = mapping(node, what: "`defaults`", allowed: ["retry", "timeout", "max_visits"]) else { return defaults }
        defaults.retry = keys["retry"].flatMap { retryPolicy($0.value) }
        defaults.timeout = keys["timeout"].flatMap { duration($0.value, key: "timeout") }
        if let visits = keys["max_visits"].flatMap({ integer($0.value, key: "max_visits", minimum: 1) }) {
            defaults.maxVisits = visits.value
        }
        return defaults
    }

    static let retryKeys = ["max_attempts", "initial_interval", "backoff", "max_interval", "jitter", "non_retryable"]

    mutating func retryPolicy(_ node: YAMLNode) -> RetryPolicy? {
        guard let keys = mapping(node, what: "`retry`", allowed: Self.retryKeys) else { return nil }
        var policy = RetryPolicy()
        policy.range = node.range
        if let attempts = keys["max_attempts"].flatMap({ integer($0.value, key: "max_attempts", minimum: 0) }) {
            policy.maxAttempts = attempts.value
        }
        if let interval = keys["initial_interval"].flatMap({ duration($0.value, key: "initial_interval") }) {
            policy.initialInterval = interval.value
        }
        if let backoff = keys["backoff"].flatMap({ number($0.value, key: "backoff", in: 1...100) }) {
            policy.backoff = backoff
        }
        if let pair = keys["max_interval"], let maxInterval = duration(pair.value, key: "max_interval") {
            policy.maxInterval = maxInterval.value
            if maxInterval.value < policy.initialInterval {
                diagnostics.error(.retryPolicy, "\"max_interval\" (\(maxInterval.value)) is shorter than \"initial_interval\" (\(policy.initialInterval))", at: maxInterval.range)
            }
        }
        if let jitter = keys["jitter"].flatMap({ number($0.value, key: "jitter", in: 0...1) }) {
            policy.jitter = jitter
        }
        if let nonRetryable = keys["non_retryable"] {
            let patterns = stringList(nonRetryable.value, key: "non_retryable")
            for pattern in patterns where !ErrorPattern.isValid(pattern.value) {
                diagnostics.error(.retryPolicy, "\"\(pattern.value)\" is not an error type or pattern (e.g. `llm.invalid_request`, `llm.*`)", at: pattern.range)
            }
            policy.nonRetryable = patterns.map(\.value)
        }
        return policy
    }
}
