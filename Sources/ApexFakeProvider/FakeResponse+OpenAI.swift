import ApexDSL
import Foundation

extension FakeResponse {
    /// A successful chat completion (streamed when the request has `"stream": true`), with `x-request-id`.
    /// `model` nil answers with the model the request named; `finishReason` may be any string, even an unknown one.
    public static func openAIChat(text: String, model: String? = nil, finishReason: String = "stop", promptTokens: Int = 12,
                                  completionTokens: Int = 7, headers: [(name: String, value: String)] = []) -> FakeResponse {
        let reply = OpenAIChatReply(text: text, model: model, finishReason: finishReason, promptTokens: promptTokens,
                                    completionTokens: completionTokens)
        return FakeResponse(status: 200, headers: headers, content: .openAIChat(reply))
    }

    /// A chat completion that asks for tool calls (after `text`, when given): whole in `message.tool_calls` (content
    /// null without text), or streamed as `delta.tool_calls` fragments by `index`, the first with the id and name,
    /// the next with pieces of the arguments (cut as the stream shape says). Arguments go exactly as scripted.
    public static func openAIChat(toolCalls: [FakeToolCall], text: String = "", model: String? = nil, finishReason: String = "tool_calls",
                                  promptTokens: Int = 12, completionTokens: Int = 7, headers: [(name: String, value: String)] = []) -> FakeResponse {
        let reply = OpenAIChatReply(text: text, toolCalls: toolCalls, model: model, finishReason: finishReason, promptTokens: promptTokens,
                                    completionTokens: completionTokens)
        return FakeResponse(status: 200, headers: headers, content: .openAIChat(reply))
    }

    /// An OpenAI error body `{"error":{"message","type","param","code"}}` (§1.5) with `x-request-id`.
    public static func openAIError(status: Int, type: String, code: String? = nil, message: String, param: String? = nil,
                                   headers: [(name: String, value: String)] = []) -> FakeResponse {
        let error = VendorError(requestIDHeader: "x-request-id") { _ in
            ["error": [
                "message": .string(message), "type": .string(type), "param": param.map(JSONValue.string) ?? .null,
                "code": code.map(JSONValue.string) ?? .null,
            ]]
        }
        return FakeResponse(status: status, headers: headers, content: .vendorError(error))
    }
}
