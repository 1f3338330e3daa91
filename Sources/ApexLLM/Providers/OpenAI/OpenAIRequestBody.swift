import ApexDSL
import OrderedCollections

/// The Chat Completions request body of a call, always streamed with usage (docs/language.md,
/// "LLM providers").
///
/// Tools go as `function`s, the model choosing whether to call them (`tool_choice: auto`); an
/// assistant message that asked for calls carries them as `tool_calls` (its content null when
/// it had no text), and each result is a `tool` message naming its call.
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
            "messages": .array(request.messages.map(message)),
        ]
        // Sent whenever given: some servers (Ollama) otherwise override the model's default.
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body[maxTokensField.rawValue] = .int(maxTokens) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map(JSONValue.string)) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map(tool))
            body["tool_choice"] = "auto"
        }
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

    private static func message(_ message: LLMRequest.Message) -> JSONValue {
        if let callID = message.toolCallID, message.role == "tool" {
            // A tool message has no error flag here (Anthropic's `is_error`): the text says so.
            let content = message.isError && !message.content.hasPrefix("Error: ") ? "Error: " + message.content : message.content
            return ["role": "tool", "tool_call_id": .string(callID), "content": .string(content)]
        }
        guard !message.toolCalls.isEmpty else { return ["role": .string(message.role), "content": .string(message.content)] }
        let calls: [JSONValue] = message.toolCalls.map { call in
            ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
        }
        return ["role": .string(message.role), "content": message.content.isEmpty ? .null : .string(message.content), "tool_calls": .array(calls)]
    }

    private static func tool(_ tool: LLMTool) -> JSONValue {
        var function: OrderedDictionary<String, JSONValue> = ["name": .string(tool.name)]
        if let description = tool.description { function["description"] = .string(description) }
        function["parameters"] = tool.inputSchema
        return ["type": "function", "function": .object(function)]
    }
}
