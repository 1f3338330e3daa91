import ApexDSL
import Foundation

extension FakeResponse {
    /// A successful text message (streamed when the request has `"stream": true`), with `request-id`.
    /// `model` nil answers with the model the request named; `stopReason` may be any string, even an unknown one.
    public static func anthropicMessage(text: String, model: String? = nil, stopReason: String = "end_turn", inputTokens: Int = 12,
                                        outputTokens: Int = 7, headers: [(name: String, value: String)] = []) -> FakeResponse {
        let reply = AnthropicMessageReply(blocks: [.text(text)], model: model, stopReason: stopReason, inputTokens: inputTokens,
                                          outputTokens: outputTokens)
        return FakeResponse(status: 200, headers: headers, content: .anthropicMessage(reply))
    }

    /// A message whose content is a `tool_use` block (after a text block when `text` is given), as a forced tool
    /// for structured output answers; streamed as `input_json_delta` pieces. `id` nil makes one up.
    public static func anthropicToolUse(name: String, input: JSONValue, id: String? = nil, text: String? = nil, model: String? = nil,
                                        stopReason: String = "tool_use", inputTokens: Int = 12, outputTokens: Int = 7,
                                        headers: [(name: String, value: String)] = []) -> FakeResponse {
        anthropicMessage(toolCalls: [FakeToolCall(name: name, arguments: input, id: id)], text: text, model: model, stopReason: stopReason,
                         inputTokens: inputTokens, outputTokens: outputTokens, headers: headers)
    }

    /// A message that asks for tool calls: a `tool_use` block per call (after a text block when `text` is
    /// given), streamed as `content_block_start` and `input_json_delta` pieces of the arguments (an empty one
    /// first, as the API often sends). Arguments that are not JSON go as they are in the pieces, and as a
    /// string `input` in a whole message.
    public static func anthropicMessage(toolCalls: [FakeToolCall], text: String? = nil, model: String? = nil, stopReason: String = "tool_use",
                                        inputTokens: Int = 12, outputTokens: Int = 7, headers: [(name: String, value: String)] = []) -> FakeResponse {
        let blocks: [AnthropicMessageReply.Block] = (text.map { [.text($0)] } ?? []) + toolCalls.map { .toolUse($0) }
        let reply = AnthropicMessageReply(blocks: blocks, model: model, stopReason: stopReason, inputTokens: inputTokens,
                                          outputTokens: outputTokens)
        return FakeResponse(status: 200, headers: headers, content: .anthropicMessage(reply))
    }

    /// An Anthropic error body `{"type":"error","error":{"type","message"},"request_id"}` (§2.5) with `request-id`.
    public static func anthropicError(status: Int, type: String, message: String,
                                      headers: [(name: String, value: String)] = []) -> FakeResponse {
        let error = VendorError(requestIDHeader: "request-id") { requestID in
            ["type": "error", "error": ["type": .string(type), "message": .string(message)], "request_id": .string(requestID)]
        }
        return FakeResponse(status: status, headers: headers, content: .vendorError(error))
    }
}
