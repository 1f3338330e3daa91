import ApexDSL
@testable import ApexLLM
import Testing

@Suite struct ReplyAssemblerTests {
    private static func feed<A: ReplyAssembler>(_ assembler: inout A, _ events: [SSEEvent]) throws(LLMError) -> [String] {
        var pieces: [String] = []
        for event in events { pieces.append(try assembler.take(event)) }
        return pieces.filter { !$0.isEmpty }
    }

    @Test func openAIJoinsContentAndReadsUsageAndFinishReason() throws {
        var assembler = OpenAIReplyAssembler(model: "asked")
        let pieces = try Self.feed(&assembler, [
            SSEEvent(data: #"{"model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}],"usage":null}"#),
            SSEEvent(data: #"{"model":"gpt-x","choices":[{"index":0,"delta":{"content":"Hé"},"finish_reason":null}]}"#),
            SSEEvent(data: #"{"model":"gpt-x","choices":[{"index":0,"delta":{"content":"llo"},"finish_reason":null}]}"#),
            SSEEvent(data: #"{"model":"gpt-x","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#),
            SSEEvent(data: #"{"model":"gpt-x","choices":[],"usage":{"prompt_tokens":44,"completion_tokens":9,"total_tokens":53}}"#),
        ])
        #expect(!assembler.isComplete)
        _ = try assembler.take(SSEEvent(data: "[DONE]"))
        #expect(assembler.isComplete)
        #expect(pieces == ["Hé", "llo"])
        #expect(assembler.reply == LLMReply(text: "Héllo", model: "gpt-x", finishReason: "length", inputTokens: 44, outputTokens: 9))
    }

    @Test func openAIWithoutUsageCountsZeroAndKeepsTheAskedModel() throws {
        var assembler = OpenAIReplyAssembler(model: "asked")
        _ = try Self.feed(&assembler, [SSEEvent(data: #"{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"weird_new_reason"}]}"#), SSEEvent(data: "[DONE]")])
        #expect(assembler.reply == LLMReply(text: "x", model: "asked", finishReason: "weird_new_reason", inputTokens: 0, outputTokens: 0))
    }

    @Test func openAIRefusalIsTheTextWithFinishReasonRefusal() throws {
        var assembler = OpenAIReplyAssembler(model: "m")
        let pieces = try Self.feed(&assembler, [
            SSEEvent(data: #"{"choices":[{"index":0,"delta":{"content":null,"refusal":"I can't"},"finish_reason":null}]}"#),
            SSEEvent(data: #"{"choices":[{"index":0,"delta":{"refusal":" help."},"finish_reason":"stop"}]}"#),
        ])
        #expect(pieces == ["I can't", " help."])
        #expect(assembler.reply.text == "I can't help.")
        #expect(assembler.reply.finishReason == "refusal")
    }

    @Test func openAIErrorChunkThrowsItsType() {
        var assembler = OpenAIReplyAssembler(model: "m")
        #expect(throws: LLMError(type: "llm.server_error", message: "the stream reported an error: boom (server_error)")) {
            try assembler.take(SSEEvent(data: #"{"error":{"message":"boom","type":"server_error","param":null,"code":null}}"#))
        }
        #expect(throws: LLMError.self) { try assembler.take(SSEEvent(data: "<html>")) }
    }

    @Test func openAIReadsAWholeAnswer() throws {
        var assembler = OpenAIReplyAssembler(model: "m")
        try assembler.take(whole: [
            "model": "gpt-y", "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": "hi", "refusal": nil]]],
            "usage": ["prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4],
        ])
        #expect(assembler.reply == LLMReply(text: "hi", model: "gpt-y", finishReason: "stop", inputTokens: 3, outputTokens: 1))
    }

    static let anthropicStream = [
        SSEEvent(event: "message_start", data: #"{"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":20,"cache_creation_input_tokens":5,"cache_read_input_tokens":7,"output_tokens":1}}}"#),
        SSEEvent(event: "content_block_start", data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        SSEEvent(event: "ping", data: #"{"type":"ping"}"#),
        SSEEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Queue: "}}"#),
        SSEEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}"#),
        SSEEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"facilities"}}"#),
        SSEEvent(event: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#),
        SSEEvent(event: "brand_new_event", data: #"{"type":"brand_new_event"}"#),
        SSEEvent(event: "message_delta", data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}"#),
        SSEEvent(event: "message_delta", data: #"{"type":"message_delta","delta":{},"usage":{"output_tokens":6}}"#),
        SSEEvent(event: "message_stop", data: #"{"type":"message_stop"}"#),
    ]

    @Test func anthropicJoinsTextAndCountsCacheTokensAsInput() throws {
        var assembler = AnthropicReplyAssembler(model: "asked", wantsTool: false)
        let pieces = try Self.feed(&assembler, Self.anthropicStream)
        #expect(assembler.isComplete)
        #expect(pieces == ["Queue: ", "facilities"])
        #expect(assembler.reply == LLMReply(text: "Queue: facilities", model: "claude-x", finishReason: "end_turn", inputTokens: 32, outputTokens: 6))
    }

    @Test func anthropicToolInputIsTheReplyText() throws {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: true)
        let pieces = try Self.feed(&assembler, [
            SSEEvent(data: #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t1","name":"output","input":{}}}"#),
            SSEEvent(data: #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}"#),
            SSEEvent(data: #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"queue\":"}}"#),
            SSEEvent(data: #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"it\"}"}}"#),
            SSEEvent(data: #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":6}}"#),
            SSEEvent(data: #"{"type":"message_stop"}"#),
        ])
        #expect(pieces == [#"{"queue":"#, #""it"}"#])
        #expect(assembler.reply.text == #"{"queue":"it"}"#)
        #expect(assembler.reply.finishReason == "tool_use")
    }

    @Test func anthropicWholeToolInputIsCompactJSON() throws {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: true)
        try assembler.take(whole: [
            "type": "message", "model": "claude-y", "stop_reason": "tool_use", "usage": ["input_tokens": 4, "output_tokens": 2],
            "content": [["type": "tool_use", "id": "t", "name": "output", "input": ["queue": "it", "n": 1]]],
        ])
        #expect(assembler.reply == LLMReply(text: #"{"queue":"it","n":1}"#, model: "claude-y", finishReason: "tool_use", inputTokens: 4, outputTokens: 2))
    }

    @Test func anthropicErrorEventThrowsItsType() {
        var assembler = AnthropicReplyAssembler(model: "m", wantsTool: false)
        #expect(throws: LLMError(type: "llm.overloaded", message: "the stream reported an error: Overloaded (overloaded_error)")) {
            try assembler.take(SSEEvent(event: "error", data: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
        }
    }
}
