extension TransportError {
    /// The provider error for a request that got no (complete) answer: a timeout is
    /// `llm.timeout`; a failed or broken connection and a reply over the size limit are
    /// `llm.server_error` (retryable); a URL that cannot be requested is `llm.invalid_request`.
    func llmError(_ context: ProviderContext) -> LLMError {
        switch self {
        case .timeout: context.error("llm.timeout", description)
        case .connection: context.error("llm.server_error", "no complete answer: \(description)")
        case .invalidURL: context.error("llm.invalid_request", "the base URL cannot be requested: \(description)")
        case .tooLarge(let limit): context.error("llm.server_error", "the reply is larger than \(limit / (1024 * 1024)) MiB, the most a reply may be")
        case .cancelled: LLMError.cancelled
        }
    }
}

extension LLMError {
    /// The calling task was cancelled (the step's timeout, the run cancelled).
    static let cancelled = LLMError(type: "cancelled", message: "the call was cancelled")
}
