/// The fields of an llm step (docs/language.md, "`llm`"); the top-level `llm:` mapping has the same
/// fields and gives the defaults.
public struct LLMOptions: Sendable {
    public var provider: Located<String>?
    public var model: TemplateValue?
    public var system: TemplateValue?
    public var prompt: TemplateValue?
    public var messages: [LLMMessage]?
    public var temperature: TemplateValue?
    public var maxTokens: TemplateValue?
    public var schema: JSONSchema?
    public var stop: TemplateValue?

    public init() {}

    /// These options with every missing field taken from `defaults`.
    public func falling(backTo defaults: LLMOptions) -> LLMOptions {
        var merged = self
        merged.provider = provider ?? defaults.provider
        merged.model = model ?? defaults.model
        merged.system = system ?? defaults.system
        if prompt == nil, messages == nil {
            merged.prompt = defaults.prompt
            merged.messages = defaults.messages
        }
        merged.temperature = temperature ?? defaults.temperature
        merged.maxTokens = maxTokens ?? defaults.maxTokens
        merged.schema = schema ?? defaults.schema
        merged.stop = stop ?? defaults.stop
        return merged
    }

    /// The providers built into Apex.
    public static let providers = ["openai", "anthropic", "mock"]
}

public struct LLMMessage: Sendable {
    public var role: Located<String>
    public var content: TemplateValue
}

/// An llm step: its own options (defaults are applied when the plan is compiled).
public typealias LLMCall = LLMOptions
