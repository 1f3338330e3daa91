import ApexDSL
import OrderedCollections

/// A scripted OpenAI chat completion (§1.3 of the wire reference), rendered whole or as a §1.4 stream.
struct OpenAIChatReply: Sendable {
    var text: String
    /// Sent after the text: whole in `message.tool_calls`, or streamed as `delta.tool_calls` fragments.
    var toolCalls: [FakeToolCall] = []
    /// nil: the model the request named.
    var model: String?
    var finishReason: String
    var promptTokens: Int
    var completionTokens: Int

    static let created = 1_760_000_000

    func completionID(_ request: RecordedRequest) -> String { "chatcmpl-fake\(request.id)" }

    func resolvedModel(_ request: RecordedRequest) -> String { model ?? request.requestedModel ?? "gpt-4o-mini" }

    var usage: JSONValue {
        ["prompt_tokens": .int(promptTokens), "completion_tokens": .int(completionTokens),
         "total_tokens": .int(promptTokens + completionTokens)]
    }

    /// The non-streamed `chat.completion` object.
    func body(for request: RecordedRequest) -> JSONValue {
        [
            "id": .string(completionID(request)), "object": "chat.completion", "created": .int(Self.created),
            "model": .string(resolvedModel(request)), "system_fingerprint": "fp_fake", "service_tier": "default",
            "choices": [[
                "index": 0,
                "message": message(request),
                "logprobs": nil, "finish_reason": .string(finishReason),
            ]],
            "usage": usage,
        ]
    }

    /// The whole answer's message: content null when there is no text but tool calls, as the API sends it.
    private func message(_ request: RecordedRequest) -> JSONValue {
        let calls: [JSONValue] = toolCalls.indices.map { index in
            ["id": .string(callID(index, request)), "type": "function",
             "function": ["name": .string(toolCalls[index].name), "arguments": .string(toolCalls[index].arguments)]]
        }
        var message: OrderedDictionary<String, JSONValue> = ["role": "assistant", "content": content, "refusal": nil]
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        return .object(message)
    }

    private var content: JSONValue { text.isEmpty && !toolCalls.isEmpty ? .null : .string(text) }

    private func callID(_ index: Int, _ request: RecordedRequest) -> String {
        toolCalls[index].id ?? "call_fake\(request.id)_\(index)"
    }

    /// The chunks: role, content pieces, tool call fragments, finish, usage (only when the request
    /// asked for it), `[DONE]`. A call's first fragment has its index, id and name, the next ones
    /// pieces of its arguments, as the API streams them.
    func events(for request: RecordedRequest, shape: StreamShape) -> [SSEEvent] {
        let withUsage = request.wantsStreamUsage
        // With include_usage every chunk but the last carries "usage": null; without it, no chunk has the key.
        // (A plain `nil` here would be JSONValue's nil literal, .null, and put the key in.)
        let usageOfOtherChunks: JSONValue? = withUsage ? .some(.null) : .none
        func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> String {
            chunkObject(request, choices: [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]],
                        usage: usageOfOtherChunks).compactJSON
        }
        var events = [SSEEvent(data: chunk(["role": "assistant", "content": text.isEmpty ? content : "", "refusal": nil]))]
        for piece in text.utf8Pieces(maxBytes: shape.pieceBytes) {
            events.append(SSEEvent(data: chunk(["content": .string(piece)]), isDelta: true))
        }
        for (index, call) in toolCalls.enumerated() {
            let head: JSONValue = ["index": .int(index), "id": .string(callID(index, request)), "type": "function",
                                   "function": ["name": .string(call.name), "arguments": ""]]
            events.append(SSEEvent(data: chunk(["tool_calls": [head]])))
            for piece in call.arguments.utf8Pieces(maxBytes: shape.pieceBytes) {
                let fragment: JSONValue = ["index": .int(index), "function": ["arguments": .string(piece)]]
                events.append(SSEEvent(data: chunk(["tool_calls": [fragment]]), isDelta: true))
            }
        }
        events.append(SSEEvent(data: chunk([:], finish: .string(finishReason))))
        if withUsage {
            events.append(SSEEvent(data: chunkObject(request, choices: [], usage: usage).compactJSON))
        }
        events.append(SSEEvent(data: "[DONE]"))
        return events
    }

    /// The in-band error a stream can end with.
    static func errorEvent(type: String?, message: String) -> SSEEvent {
        let error: JSONValue = ["error": ["message": .string(message), "type": .string(type ?? "server_error"), "param": nil, "code": nil]]
        return SSEEvent(data: error.compactJSON)
    }

    /// A `chat.completion.chunk`; `usage` nil leaves the key out.
    private func chunkObject(_ request: RecordedRequest, choices: [JSONValue], usage: JSONValue?) -> JSONValue {
        var chunk: JSONValue = [
            "id": .string(completionID(request)), "object": "chat.completion.chunk", "created": .int(Self.created),
            "model": .string(resolvedModel(request)), "system_fingerprint": "fp_fake", "choices": .array(choices),
        ]
        if let usage, case .object(var members) = chunk {
            members["usage"] = usage
            chunk = .object(members)
        }
        return chunk
    }
}
