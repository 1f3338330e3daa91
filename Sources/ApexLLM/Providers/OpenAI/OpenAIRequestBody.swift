import ApexDSL
import OrderedCollections

/// The Chat Completions request body of a call, always streamed with usage (docs/language.md,
/// "LLM providers").
enum OpenAIRequestBody {
    /// The name of the field that caps the reply's tokens.
    enum MaxTokensField: String, Sendable {
        /// The current field.
        case maxCompletionTokens = "max_completion_tokens"
        /// The deprecated one, the only one some compatible servers (Ollama) read.
        case maxTokens = "max_tokens"
    }

    static func make(_ request: LLMRequest, model: String, maxTokensField: MaxTokensField) -> JSONValue {
        var body: OrderedDictionary<String, JSONValue> = [
            "model": .string(model),
            "messages": .array(request.messages.map { ["role": .string($0.role), "content": .string($0.content)] }),
        ]
        // Sent whenever given: some servers (Ollama) otherwise override the model's default.
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body[maxTokensField.rawValue] = .int(maxTokens) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map(JSONValue.string)) }
        if let schema = request.schema {
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": "output", "schema": schema.jsonValue, "strict": false],
            ]
        }
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
        return .object(body)
    }
}
