import Foundation

/// The configuration of the real providers, from the environment (docs/language.md,
/// "LLM providers"): `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`,
/// `ANTHROPIC_BASE_URL`. An empty variable counts as unset. A missing key is reported when a step
/// calls the provider, not before, so that a workflow that uses only one provider needs only its
/// key.
public struct ProviderConfiguration: Sendable {
    public var openAIKey: String?
    public var openAIBaseURL: String
    /// Send `max_tokens` instead of `max_completion_tokens`: true for any server but the public
    /// API (servers such as Ollama ignore the newer field silently).
    public var openAISendsLegacyMaxTokens: Bool
    public var anthropicKey: String?
    public var anthropicBaseURL: String

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        openAIKey = value("OPENAI_API_KEY")
        openAIBaseURL = value("OPENAI_BASE_URL") ?? OpenAIProvider.defaultBaseURL
        // Compatible servers all read `max_tokens`, and some (Ollama) silently ignore the newer
        // `max_completion_tokens`; only the public API needs the newer field (reasoning models).
        openAISendsLegacyMaxTokens = !OpenAIProvider.isPublicAPI(baseURL: openAIBaseURL)
        anthropicKey = value("ANTHROPIC_API_KEY")
        anthropicBaseURL = value("ANTHROPIC_BASE_URL") ?? AnthropicProvider.defaultBaseURL
    }

    /// The variable a provider needs and lacks (`OPENAI_API_KEY`), nil when it can be called.
    /// The public OpenAI API needs a key; an OpenAI-compatible local server may not.
    public func missingKey(provider: String) -> String? {
        switch provider {
        case "openai": openAIKey == nil && OpenAIProvider.isPublicAPI(baseURL: openAIBaseURL) ? "OPENAI_API_KEY" : nil
        case "anthropic": anthropicKey == nil ? "ANTHROPIC_API_KEY" : nil
        default: nil
        }
    }

    /// The providers by the names steps use: `openai` and `anthropic`.
    public func providers(transport: HTTPTransport = .shared) -> [String: any LLMProvider] {
        [
            "openai": OpenAIProvider(apiKey: openAIKey, baseURL: openAIBaseURL, sendsLegacyMaxTokens: openAISendsLegacyMaxTokens, transport: transport),
            "anthropic": AnthropicProvider(apiKey: anthropicKey, baseURL: anthropicBaseURL, transport: transport),
        ]
    }
}
