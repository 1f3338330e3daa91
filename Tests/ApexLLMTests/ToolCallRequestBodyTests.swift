import ApexDSL
@testable import ApexLLM
import Testing

/// Tools, the calls a model asked for and their results, as each vendor's request body carries them.
@Suite struct ToolCallRequestBodyTests {
    static let weatherSchema: JSONValue = ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
    static let tools = [
        LLMTool(name: "get_weather", description: "The weather in a city", inputSchema: weatherSchema),
        LLMTool(name: "get_time", description: nil, inputSchema: ["type": "object"]),
    ]
    static let calls = [
        LLMToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Paris"}"#),
        LLMToolCall(id: "c2", name: "get_time", arguments: #"{"tz": "#),
    ]

    /// A second turn: the question, the assistant's two calls, and both results (the second a failure).
    private static func secondTurn(assistantText: String = "", after: [LLMRequest.Message] = [], schema: JSONSchema? = nil) -> LLMRequest {
        let messages: [LLMRequest.Message] = [
            .init(role: "system", content: "Use the tools."),
            .init(role: "user", content: "Weather in Paris?"),
            .init(role: "assistant", content: assistantText, toolCalls: calls),
            .init(role: "tool", content: "18°C", toolCallID: "c1"),
            .init(role: "tool", content: "no clock here", toolCallID: "c2", isError: true),
        ] + after
        return LLMRequest(stepID: "s", stepKey: "s", visit: 1, attempt: 1, call: 2, model: "m", messages: messages,
                          temperature: nil, maxTokens: 100, stop: [], schema: schema, tools: tools)
    }

    @Test func openAISendsFunctionsCallsAndToolMessages() {
        let body = OpenAIRequestBody.make(Self.secondTurn(), model: "gpt-x", maxTokensField: .maxCompletionTokens)
        #expect(body == [
            "model": "gpt-x",
            "messages": [
                ["role": "system", "content": "Use the tools."],
                ["role": "user", "content": "Weather in Paris?"],
                ["role": "assistant", "content": nil, "tool_calls": [
                    ["id": "c1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"city":"Paris"}"#]],
                    ["id": "c2", "type": "function", "function": ["name": "get_time", "arguments": #"{"tz": "#]],
                ]],
                ["role": "tool", "tool_call_id": "c1", "content": "18°C"],
                ["role": "tool", "tool_call_id": "c2", "content": "Error: no clock here"],
            ],
            "max_completion_tokens": 100,
            "tools": [
                ["type": "function", "function": ["name": "get_weather", "description": "The weather in a city", "parameters": Self.weatherSchema]],
                ["type": "function", "function": ["name": "get_time", "parameters": ["type": "object"]]],
            ],
            "tool_choice": "auto",
            "stream": true, "stream_options": ["include_usage": true],
        ])
    }

    @Test func openAIKeepsTheTextOfAnAssistantMessageWithCallsAndASchemaBesideTools() {
        let body = OpenAIRequestBody.make(Self.secondTurn(assistantText: "Checking.", schema: ProviderRequestBodyTests.schema), model: "m",
                                          maxTokensField: .maxCompletionTokens)
        #expect(body["messages"]?.arrayValue?[2]["content"] == "Checking.")
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["tool_choice"] == "auto")
    }

    @Test func anthropicSendsToolUseBlocksAndMergesConsecutiveResultsIntoOneUserTurn() {
        let request = Self.secondTurn(assistantText: "Let me check.", after: [.init(role: "user", content: "Be brief.")])
        #expect(AnthropicRequestBody.make(request, model: "claude-x") == [
            "model": "claude-x", "max_tokens": 100, "system": "Use the tools.",
            "messages": [
                ["role": "user", "content": "Weather in Paris?"],
                ["role": "assistant", "content": [
                    ["type": "text", "text": "Let me check."],
                    ["type": "tool_use", "id": "c1", "name": "get_weather", "input": ["city": "Paris"]],
                    // Malformed arguments cannot go back as they came: the input must be an object.
                    ["type": "tool_use", "id": "c2", "name": "get_time", "input": [:]],
                ]],
                ["role": "user", "content": [
                    ["type": "tool_result", "tool_use_id": "c1", "content": "18°C"],
                    ["type": "tool_result", "tool_use_id": "c2", "content": "no clock here", "is_error": true],
                    ["type": "text", "text": "Be brief."],
                ]],
            ],
            "tools": [
                ["name": "get_weather", "description": "The weather in a city", "input_schema": Self.weatherSchema],
                ["name": "get_time", "input_schema": ["type": "object"]],
            ],
            "tool_choice": ["type": "auto"],
            "stream": true,
        ])
    }

    @Test func anthropicLeavesOutAnEmptyTextAndPutsResultsBeforeTextInTheirTurn() {
        var request = Self.secondTurn()
        // A user text that came before the results in the same turn: the API wants the results first.
        request.messages.insert(.init(role: "user", content: "(the tools ran)"), at: 3)
        let messages = AnthropicRequestBody.make(request, model: "m")["messages"]?.arrayValue ?? []
        #expect(messages.count == 3)
        #expect(messages[1]["content"]?.arrayValue?.map { $0["type"] } == ["tool_use", "tool_use"])
        #expect(messages[2]["content"]?.arrayValue?.map { $0["type"] } == ["tool_result", "tool_result", "text"])
        #expect(messages[2]["content"]?.arrayValue?.last?["text"] == "(the tools ran)")
    }

    @Test func anthropicOffersTheOutputToolBesideToolsAndMakesTheModelCallOne() {
        let body = AnthropicRequestBody.make(Self.secondTurn(schema: ProviderRequestBodyTests.schema), model: "m")
        #expect(body["tools"]?.arrayValue?.map { $0["name"] } == ["get_weather", "get_time", "output"])
        #expect(body["tools"]?.arrayValue?.last?["input_schema"] == ProviderRequestBodyTests.schema.jsonValue)
        #expect(body["tool_choice"] == ["type": "any"])
    }

    @Test func aRequestWithoutToolsSendsNone() {
        let request = LLMRequest(stepID: "s", stepKey: "s", visit: 1, attempt: 1, model: "m", messages: [.init(role: "user", content: "hi")],
                                 temperature: nil, maxTokens: nil, stop: [], schema: nil)
        #expect(OpenAIRequestBody.make(request, model: "m", maxTokensField: .maxTokens)["tools"] == nil)
        #expect(OpenAIRequestBody.make(request, model: "m", maxTokensField: .maxTokens)["tool_choice"] == nil)
        #expect(AnthropicRequestBody.make(request, model: "m")["tools"] == nil)
        #expect(AnthropicRequestBody.make(request, model: "m")["messages"] == [["role": "user", "content": "hi"]])
    }
}
