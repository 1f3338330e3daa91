import ApexDSL
import OrderedCollections

/// The Messages API request body of a call, always streamed (docs/language.md, "LLM providers").
///
/// System messages join (blank line between) into the top-level `system`; consecutive user or
/// assistant messages merge into one turn, since turns must alternate (``AnthropicTurn``, which
/// also puts tool calls and results in content blocks). `max_tokens` is required by the API: a
/// step that gives none gets ``defaultMaxTokens``. With a schema, the model is made to call the
/// one tool `output`, whose input is the structured reply. Tools are offered with
/// `tool_choice: auto`; with a schema as well, `output` is offered beside them and the model
/// must call one of them (`any`), so that it ends by calling `output`.
enum AnthropicRequestBody {
    /// The cap on the reply's tokens when the step sets none.
    static let defaultMaxTokens = 4096
    /// The name of the tool that carries a structured reply.
    static let outputTool = AgentAction.anthropicAnswerTool

    static func make(_ request: LLMRequest, model: String) -> JSONValue {
        var body: OrderedDictionary<String, JSONValue> = ["model": .string(model), "max_tokens": .int(request.maxTokens ?? defaultMaxTokens)]
        let system = request.messages.filter { $0.role == "system" }.map(\.content)
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        body["messages"] = .array(AnthropicTurn.turns(request.messages).map(\.json))
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map(JSONValue.string)) }
        let output: JSONValue? = request.schema.map { ["name": .string(outputTool), "input_schema": $0.jsonValue] }
        if request.tools.isEmpty, let output {
            body["tools"] = [output]
            body["tool_choice"] = ["type": "tool", "name": .string(outputTool)]
        } else if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map(tool) + (output.map { [$0] } ?? []))
            body["tool_choice"] = output == nil ? ["type": "auto"] : ["type": "any"]
        }
        body["stream"] = true
        return .object(body)
    }

    private static func tool(_ tool: LLMTool) -> JSONValue {
        var fields: OrderedDictionary<String, JSONValue> = ["name": .string(tool.name)]
        if let description = tool.description { fields["description"] = .string(description) }
        fields["input_schema"] = tool.inputSchema
        return .object(fields)
    }
}
