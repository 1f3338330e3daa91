import ApexDSL

/// A scripted Anthropic message (§2.3 of the wire reference), rendered whole or as a §2.4 stream.
struct AnthropicMessageReply: Sendable {
    enum Block: Sendable {
        case text(String)
        /// Its arguments are the input's JSON text; its `id` nil: one made from the request id and the block index.
        case toolUse(FakeToolCall)
    }

    var blocks: [Block]
    /// nil: the model the request named.
    var model: String?
    var stopReason: String
    var inputTokens: Int
    var outputTokens: Int

    func messageID(_ request: RecordedRequest) -> String { "msg_fake\(request.id)" }

    func resolvedModel(_ request: RecordedRequest) -> String { model ?? request.requestedModel ?? "claude-sonnet-4-5" }

    /// The non-streamed `message` object.
    func body(for request: RecordedRequest) -> JSONValue {
        message(request, content: blocks.indices.map { complete(blocks[$0], index: $0, request) }, stopReason: .string(stopReason),
                usage: ["input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens),
                        "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0])
    }

    /// message_start, then per block content_block_start, deltas (with pings before them when asked),
    /// content_block_stop; then message_delta with the cumulative usage and message_stop.
    func events(for request: RecordedRequest, shape: StreamShape) -> [SSEEvent] {
        let start = message(request, content: [], stopReason: nil, usage: ["input_tokens": .int(inputTokens), "output_tokens": 1])
        var events = [event("message_start", ["type": "message_start", "message": start])]
        for (index, block) in blocks.enumerated() {
            let opening: JSONValue
            let deltas: [JSONValue]
            switch block {
            case .text(let text):
                opening = ["type": "text", "text": ""]
                deltas = text.utf8Pieces(maxBytes: shape.pieceBytes).map { ["type": "text_delta", "text": .string($0)] }
            case .toolUse(let call):
                opening = ["type": "tool_use", "id": .string(toolUseID(call, index: index, request)), "name": .string(call.name), "input": [:]]
                // The API's first input_json_delta is often empty; clients must cope.
                let pieces = [""] + call.arguments.utf8Pieces(maxBytes: shape.pieceBytes)
                deltas = pieces.map { ["type": "input_json_delta", "partial_json": .string($0)] }
            }
            events.append(event("content_block_start", ["type": "content_block_start", "index": .int(index), "content_block": opening]))
            for delta in deltas {
                if shape.pings { events.append(event("ping", ["type": "ping"])) }
                var deltaEvent = event("content_block_delta", ["type": "content_block_delta", "index": .int(index), "delta": delta])
                deltaEvent.isDelta = true
                events.append(deltaEvent)
            }
            events.append(event("content_block_stop", ["type": "content_block_stop", "index": .int(index)]))
        }
        events.append(event("message_delta", [
            "type": "message_delta", "delta": ["stop_reason": .string(stopReason), "stop_sequence": nil],
            "usage": ["output_tokens": .int(outputTokens)],
        ]))
        events.append(event("message_stop", ["type": "message_stop"]))
        return events
    }

    /// The in-band error a stream can end with.
    static func errorEvent(type: String?, message: String) -> SSEEvent {
        let payload: JSONValue = ["type": "error", "error": ["type": .string(type ?? "overloaded_error"), "message": .string(message)]]
        return SSEEvent(name: "error", data: payload.compactJSON)
    }

    private func event(_ name: String, _ payload: JSONValue) -> SSEEvent {
        SSEEvent(name: name, data: payload.compactJSON)
    }

    private func message(_ request: RecordedRequest, content: [JSONValue], stopReason: JSONValue, usage: JSONValue) -> JSONValue {
        [
            "id": .string(messageID(request)), "type": "message", "role": "assistant", "model": .string(resolvedModel(request)),
            "content": .array(content), "stop_reason": stopReason, "stop_sequence": nil, "usage": usage,
        ]
    }

    private func complete(_ block: Block, index: Int, _ request: RecordedRequest) -> JSONValue {
        switch block {
        case .text(let text):
            ["type": "text", "text": .string(text)]
        case .toolUse(let call):
            // Arguments that are not JSON cannot be an object: they go as a string, which the API never sends.
            ["type": "tool_use", "id": .string(toolUseID(call, index: index, request)), "name": .string(call.name),
             "input": (try? JSONValue(parsing: call.arguments)) ?? .string(call.arguments)]
        }
    }

    private func toolUseID(_ call: FakeToolCall, index: Int, _ request: RecordedRequest) -> String {
        call.id ?? "toolu_fake\(request.id)_\(index)"
    }
}
