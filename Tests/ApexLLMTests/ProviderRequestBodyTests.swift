import ApexDSL
@testable import ApexLLM
import Testing

@Suite struct ProviderRequestBodyTests {
    static let schema = JSONSchema(types: [.object], properties: ["queue": JSONSchema(.string)], required: ["queue"])

    private static func request(_ messages: [(String, String)], temperature: Double? = nil, maxTokens: Int? = nil,
                                stop: [String] = [], schema: JSONSchema? = nil) -> LLMRequest {
        LLMRequest(stepID: "s", stepKey: "s", visit: 1, attempt: 1, model: "m", messages: messages.map { .init(role: $0.0, content: $0.1) },
                   temperature: temperature, maxTokens: maxTokens, stop: stop, schema: schema)
    }

    @Test func openAIBodyCarriesEveryGivenField() {
        let request = Self.request([("system", "be brief"), ("user", "hi")], temperature: 0.2, maxTokens: 100, stop: ["END"], schema: Self.schema)
        let body = OpenAIRequestBody.make(request, model: "gpt-x", maxTokensField: .maxCompletionTokens)
        #expect(body == [
            "model": "gpt-x",
            "messages": [["role": "system", "content": "be brief"], ["role": "user", "content": "hi"]],
            "temperature": 0.2, "max_completion_tokens": 100, "stop": ["END"],
            "response_format": ["type": "json_schema", "json_schema": ["name": "output", "schema": Self.schema.jsonValue, "strict": false]],
            "stream": true, "stream_options": ["include_usage": true],
        ])
    }

    @Test func openAIBodyLeavesOutWhatTheStepDoesNotGive() {
        let body = OpenAIRequestBody.make(Self.request([("user", "hi")]), model: "m", maxTokensField: .maxCompletionTokens)
        #expect(body.objectValue.map { Array($0.keys) } == ["model", "messages", "stream", "stream_options"])
    }

    @Test func openAIBodyCanNameTheLegacyMaxTokensField() {
        let body = OpenAIRequestBody.make(Self.request([("user", "hi")], maxTokens: 50), model: "m", maxTokensField: .maxTokens)
        #expect(body["max_tokens"] == 50)
        #expect(body["max_completion_tokens"] == nil)
    }

    @Test func anthropicBodyMovesSystemMessagesUpAndMergesTurns() {
        let request = Self.request([("system", "a"), ("user", "u1"), ("user", "u2"), ("assistant", "x"), ("system", "b"), ("user", "u3")],
                                   temperature: 0.5, maxTokens: 300, stop: ["STOP"])
        #expect(AnthropicRequestBody.make(request, model: "claude-x") == [
            "model": "claude-x", "max_tokens": 300, "system": "a\n\nb",
            "messages": [["role": "user", "content": "u1\n\nu2"], ["role": "assistant", "content": "x"], ["role": "user", "content": "u3"]],
            "temperature": 0.5, "stop_sequences": ["STOP"], "stream": true,
        ])
    }

    @Test func anthropicBodyHasADefaultMaxTokens() {
        let body = AnthropicRequestBody.make(Self.request([("user", "hi")]), model: "m")
        #expect(body["max_tokens"] == .int(AnthropicRequestBody.defaultMaxTokens))
        #expect(body["system"] == nil)
    }

    @Test func anthropicBodyForcesTheOutputToolForASchema() {
        let body = AnthropicRequestBody.make(Self.request([("user", "hi")], schema: Self.schema), model: "m")
        #expect(body["tools"] == [["name": "output", "input_schema": Self.schema.jsonValue]])
        #expect(body["tool_choice"] == ["type": "tool", "name": "output"])
    }
}
