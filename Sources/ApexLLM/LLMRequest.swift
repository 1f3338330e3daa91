import ApexDSL
import ApexEngine

/// One call to a model, with every field of the step evaluated (docs/language.md, "`llm`").
public struct LLMRequest: Sendable {
    /// One message of the conversation. Roles are `system`, `user`, `assistant` and `tool`.
    public struct Message: Sendable, Hashable {
        public var role: String
        /// The text; for a `tool` message, the tool's result. An assistant message that asked
        /// for calls may have none.
        public var content: String
        /// The calls an `assistant` message asked for, sent back as they came.
        public var toolCalls: [LLMToolCall] = []
        /// For a `tool` message: the id of the call it answers.
        public var toolCallID: String? = nil
        /// For a `tool` message: the tool failed (Anthropic's `is_error`; OpenAI has no such
        /// flag and gets the content alone).
        public var isError: Bool = false

        public init(role: String, content: String, toolCalls: [LLMToolCall] = [], toolCallID: String? = nil, isError: Bool = false) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.toolCallID = toolCallID
            self.isError = isError
        }
    }

    /// The step id (for scripted replies), its key in the run (`each[2]/summarize`), visit and attempt.
    public var stepID: String
    public var stepKey: String
    public var visit: Int
    public var attempt: Int
    /// The call's number among every call of the step in the run (``ActivityRequest/call``).
    public var call: Int
    public var model: String?
    /// `system` first (when given), then `prompt` as a user message, or the `messages`.
    public var messages: [Message]
    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String]
    public var schema: JSONSchema?
    /// The tools the model may call; none for an `llm` step.
    public var tools: [LLMTool] = []

    public init(stepID: String, stepKey: String, visit: Int, attempt: Int, call: Int? = nil, model: String?, messages: [Message],
                temperature: Double?, maxTokens: Int?, stop: [String], schema: JSONSchema?, tools: [LLMTool] = []) {
        self.stepID = stepID
        self.stepKey = stepKey
        self.visit = visit
        self.attempt = attempt
        self.call = call ?? attempt
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.schema = schema
        self.tools = tools
    }

    /// The text of every message, for providers that need a single prompt.
    public var transcript: String { messages.map(\.content).joined(separator: "\n") }
}

/// A model's answer.
public struct LLMReply: Sendable, Hashable {
    /// The text; may be empty when the model only asked for tool calls.
    public var text: String
    public var model: String
    /// The provider's own value (`stop`, `tool_calls`, `end_turn`, `tool_use`, …).
    public var finishReason: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// The calls the model asked for, in the order it gave them.
    public var toolCalls: [LLMToolCall] = []

    public init(text: String, model: String, finishReason: String, inputTokens: Int, outputTokens: Int, toolCalls: [LLMToolCall] = []) {
        self.text = text
        self.model = model
        self.finishReason = finishReason
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.toolCalls = toolCalls
    }
}

/// A provider's failure, typed as docs/language.md, "LLM providers", names them
/// (`llm.rate_limited`, …).
public struct LLMError: Error, Sendable, Hashable {
    public var type: String
    public var message: String
    public var retryAfter: Duration?
    /// `false` when the provider said not to retry (`x-should-retry: false`, a spent quota),
    /// whatever the type; nil leaves it to the type and the step's retry policy.
    public var retryable: Bool?

    public init(type: String, message: String, retryAfter: Duration? = nil, retryable: Bool? = nil) {
        self.type = type
        self.message = message
        self.retryAfter = retryAfter
        self.retryable = retryable
    }

    /// The `details` of the run error it becomes: `{"retryable": false}` when not retryable.
    public var details: JSONValue { retryable == false ? ["retryable": false] : .null }
}

/// A model provider: OpenAI, Anthropic, or the offline mock.
public protocol LLMProvider: Sendable {
    /// Makes one call. A provider that streams reports each piece of the reply's text through
    /// `progress` as it arrives; only the returned reply is recorded.
    func complete(_ request: LLMRequest, progress: ActivityProgress) async throws(LLMError) -> LLMReply
}
