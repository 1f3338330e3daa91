import ApexDSL
@testable import ApexLLM
import Testing

/// Tool calls read from each vendor's answer, streamed in fragments or whole.
@Suite struct ToolCallAssemblerTests {
    private static func feed<A: ReplyAssembler>(_ assembler: inout A, _ data: [String]) throws(LLMError) -> [String] {
        var pieces: [String] = []
        for text in data { pieces.append(try assembler.take(SSEEvent(data: text))) }
        return pieces.filter { !$0.isEmpty }
    }

    @Test func openAIJoinsStreamedFragmentsByIndex() throws {
        var assembler = OpenAIReplyAssembler(model: "m")
        // Two calls whose fragments interleave (the API sends them one after the other; the
        // index, not the order, says which call a piece belongs to).
        let pieces = try Self.feed(&assembler, [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null},"finish_reason":null}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{\"tz\""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":\"CET\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ])
        #expect(pieces.isEmpty)
        #expect(assembler.reply == LLMReply(text: "", model: "m", finishReason: "tool_calls", inputTokens: 0, outputTokens: 0, toolCalls: [
            LLMToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Paris"}"#),
            LLMToolCall(id: "call_b", name: "get_time", arguments: #"{"tz":"CET"}"#),
        ]))
    }

    @Test func openAIKeepsTheFirstIdAndNameAndNamesACallWithoutAnId() throws {
        var assembler = OpenAIReplyAssembler(model: "m")
        _ = try Self.feed(&assembler, [
            #"{"choices":[{"index":0,"delta":{"content":"Checking."}}]}"#,
            // A server that repeats the name in every fragment, and sends no id.
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"lookup","arguments":"{not"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"lookup","arguments":" json"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ])
        #expect(assembler.reply.text == "Checking.")
        #expect(assembler.reply.toolCalls == [LLMToolCall(id: "call_0", name: "lookup", arguments: "{not json")])
    }

    @Test func openAIReadsCallsFromAWholeAnswer() throws {
        var assembler = OpenAIReplyAssembler(model: "m")
        try assembler.take(whole: [
            "choices": [["index": 0, "finish_reason": "tool_calls", "message": ["role": "assistant", "content": nil, "tool_calls": [
                ["id": "c1", "type": "function", "function": ["name": "a", "arguments": #"{"x":1}"#]],
                // Some compatible servers send the arguments as an object.
                ["id": "c2", "type": "function", "function": ["name": "b", "arguments": ["y": [true]]]],
            ]]]],
        ])
        #expect(assembler.reply.text == "")
        #expect(assembler.reply.finishReason == "tool_calls")
        #expect(assembler.reply.toolCalls == [LLMToolCall(id: "c1", name: "a", arguments: #"{"x":1}"#), LLMToolCall(id: "c2", name: "b", arguments: #"{"y":[true]}"#)])
    }

    @Test func anthropicJoinsPartialJSONPerBlockAndKeepsTheText() throws {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: false)
        let pieces = try Self.feed(&assembler, [
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me look."}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}"#,
            #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}"#,
            #"{"type":"content_block_stop","index":1}"#,
            #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}}"#,
            #"{"type":"content_block_stop","index":2}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}}"#,
            #"{"type":"message_stop"}"#,
        ])
        #expect(pieces == ["Let me look."])
        #expect(assembler.isComplete)
        #expect(assembler.reply.text == "Let me look.")
        #expect(assembler.reply.finishReason == "tool_use")
        // The pieces as they came (spaces kept), and "{}" for a call that streamed none.
        #expect(assembler.reply.toolCalls == [
            LLMToolCall(id: "toolu_1", name: "get_weather", arguments: #"{"city": "Paris"}"#),
            LLMToolCall(id: "toolu_2", name: "get_time", arguments: "{}"),
        ])
    }

    @Test func anthropicReadsCallsFromAWholeMessage() throws {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: false)
        try assembler.take(whole: [
            "type": "message", "stop_reason": "tool_use", "usage": ["input_tokens": 4, "output_tokens": 2],
            "content": [
                ["type": "tool_use", "id": "t1", "name": "a", "input": ["city": "Paris", "days": 2]],
                ["type": "tool_use", "id": "t2", "name": "b", "input": [:]],
            ],
        ])
        #expect(assembler.reply.text == "")
        #expect(assembler.reply.toolCalls == [LLMToolCall(id: "t1", name: "a", arguments: #"{"city":"Paris","days":2}"#), LLMToolCall(id: "t2", name: "b", arguments: "{}")])
    }

    @Test func anthropicWithASchemaTakesTheOutputToolAsTheTextAndOtherToolsAsCalls() throws {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: true)
        try assembler.take(whole: [
            "type": "message", "stop_reason": "tool_use",
            "content": [
                ["type": "tool_use", "id": "t1", "name": "search", "input": ["q": "x"]],
                ["type": "tool_use", "id": "t2", "name": "output", "input": ["queue": "it"]],
            ],
        ])
        #expect(assembler.reply.text == #"{"queue":"it"}"#)
        #expect(assembler.reply.toolCalls == [LLMToolCall(id: "t1", name: "search", arguments: #"{"q":"x"}"#)])
    }
}
