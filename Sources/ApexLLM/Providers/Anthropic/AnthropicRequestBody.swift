import ApexDSL
import OrderedCollections

/// The Messages API request body of a call, always streamed (docs/language.md, "LLM providers").
///
/// System messages join (blank line between) into the top-level `system`; consecutive user or
/// assistant messages merge the same way, since turns must alternate. `max_tokens` is required
/// by the API: a step that gives none gets ``defaultMaxTokens``. With a schema, the model is
/// made to call the one tool `output`, whose input is the structured reply.
enum AnthropicRequestBody {
    /// The cap on the reply's tokens when the step sets none.
    static let defaultMaxTokens = 4096
    /// The name of the tool that carries a structured reply.
    static let outputTool = "output"

    static func make(_ request: LLMRequest, model: String) -> JSONValue {
        var body: OrderedDictionary<String, JSONValue> = ["model": .string(model), "max_tokens": .int(request.maxTokens ?? defaultMaxTokens)]
        let system = request.messages.filter { $0.role == "system" }.map(\.content)
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        var turns: [LLMRequest.Message] = []
        for message in request.messages where message.role != "system" {
            if let last = turns.last, last.role == message.role {
                turns[turns.count - 1].content += "\n\n" + message.content
            } else {
                turns.append(message)
            }
        }
        body["messages"] = .array(turns.map { ["role": .string($0.role), "content": .string($0.content)] })
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map(JSONValue.string)) }
        if let schema = request.schema {
            body["tools"] = [["name": .string(outputTool), "input_schema": schema.jsonValue]]
            body["tool_choice"] = ["type": "tool", "name": .string(outputTool)]
        }
        body["stream"] = true
        return .object(body)
    }
}
