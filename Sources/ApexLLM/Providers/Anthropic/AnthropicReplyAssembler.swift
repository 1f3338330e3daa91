import ApexDSL

/// Builds a reply from a Messages API answer, streamed or whole (docs/language.md,
/// "LLM providers").
///
/// Without a schema the text is every text block in order. With one (a forced call of the
/// tool `output`), the text is the JSON of the tool's input: the `input_json_delta` pieces as
/// streamed (each reported as progress), or the compact JSON of a whole input; any text block
/// is then left out.
///
/// Every other `tool_use` block is a tool call: its arguments are the joined `partial_json`
/// pieces as streamed (never parsed: they may be malformed, e.g. cut off at `max_tokens`), or
/// the compact JSON of a whole block's `input` (a string `input`, which the API never sends, is
/// taken as the text itself); a streamed block that sent no piece has `{}`.
///
/// Input tokens count the cache's too (input + cache creation + cache read); `message_delta`
/// usage is cumulative. `ping` and unknown events and block types are ignored;
/// `event: error` throws its error; the stream is complete at `message_stop`.
struct AnthropicReplyAssembler: ReplyAssembler {
    static let endMarker = "message_stop"

    private let wantsTool: Bool
    private var text = ""
    /// The index of the `output` tool block, once it started.
    private var toolIndex: Int?
    private var toolJSON = ""
    private var toolInput: JSONValue = [:]
    /// The tool calls by block index: the block's id and name, its `input`, and the streamed pieces.
    private var calls: [Int: (call: LLMToolCall, input: JSONValue)] = [:]
    private var stopReason: String?
    private var model: String
    private var inputTokens = 0
    private var outputTokens = 0
    private(set) var isComplete = false

    /// `model` is the requested model, kept when the answer names none; `wantsTool` is true
    /// when the request forced the `output` tool.
    init(model: String, wantsTool: Bool) {
        self.model = model
        self.wantsTool = wantsTool
    }

    var reply: LLMReply {
        let replyText = wantsTool && toolIndex != nil ? (toolJSON.isEmpty ? toolInput.compactJSON : toolJSON) : text
        let toolCalls = calls.sorted { $0.key < $1.key }.map { _, entry in
            var call = entry.call
            if call.arguments.isEmpty { call.arguments = entry.input.stringValue ?? entry.input.compactJSON }
            return call
        }
        return LLMReply(text: replyText, model: model, finishReason: stopReason ?? "unknown", inputTokens: inputTokens, outputTokens: outputTokens,
                        toolCalls: toolCalls)
    }

    mutating func take(_ event: SSEEvent) throws(LLMError) -> String {
        guard let json = try? JSONValue(parsing: event.data), case .object = json else {
            throw LLMError(type: "llm.server_error", message: "the provider streamed something that is not JSON: \(ProviderContext.quoted(String(event.data.prefix(200))))")
        }
        let index = json["index"]?.numberValue.map { Int($0) }
        switch json["type"]?.stringValue ?? event.event ?? "" {
        case "message_start":
            if let name = json["message"]?["model"]?.stringValue, !name.isEmpty { model = name }
            readUsage(json["message"]?["usage"])
        case "content_block_start":
            return start(json["content_block"], index: index)
        case "content_block_delta":
            return delta(json["delta"], index: index)
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.stringValue { stopReason = reason }
            readUsage(json["usage"])
        case "message_stop":
            isComplete = true
        case "error":
            let error = ProviderErrorBody(json: json) ?? ProviderErrorBody(message: nil)
            throw LLMError(type: error.streamErrorType, message: "the stream reported an error: \(error.summary)")
        default:
            break
        }
        return ""
    }

    mutating func take(whole json: JSONValue) throws(LLMError) {
        guard json["type"]?.stringValue == "message", let blocks = json["content"]?.arrayValue else {
            if let error = ProviderErrorBody(json: json) { throw LLMError(type: error.streamErrorType, message: "the provider reported an error: \(error.summary)") }
            throw LLMError(type: "llm.server_error", message: "the provider answered with JSON that is not a message")
        }
        if let name = json["model"]?.stringValue, !name.isEmpty { model = name }
        for (index, block) in blocks.enumerated() { _ = start(block, index: index) }
        stopReason = json["stop_reason"]?.stringValue
        readUsage(json["usage"])
        isComplete = true
    }

    private mutating func start(_ block: JSONValue?, index: Int?) -> String {
        switch block?["type"]?.stringValue ?? "" {
        case "text":
            let piece = block?["text"]?.stringValue ?? ""
            text += piece
            return wantsTool ? "" : piece
        case "tool_use" where wantsTool && toolIndex == nil && block?["name"]?.stringValue == AnthropicRequestBody.outputTool:
            toolIndex = index ?? 0
            toolInput = block?["input"] ?? [:]
        case "tool_use":
            let call = LLMToolCall(id: block?["id"]?.stringValue ?? "", name: block?["name"]?.stringValue ?? "", arguments: "")
            calls[index ?? 0] = (call, block?["input"] ?? [:])
        default:
            break
        }
        return ""
    }

    private mutating func delta(_ delta: JSONValue?, index: Int?) -> String {
        switch delta?["type"]?.stringValue ?? "" {
        case "text_delta":
            let piece = delta?["text"]?.stringValue ?? ""
            text += piece
            return wantsTool ? "" : piece
        case "input_json_delta" where index != nil && index == toolIndex:
            let piece = delta?["partial_json"]?.stringValue ?? ""
            toolJSON += piece
            return piece
        case "input_json_delta" where calls[index ?? 0] != nil:
            calls[index ?? 0]?.call.arguments += delta?["partial_json"]?.stringValue ?? ""
            return ""
        default:
            return ""
        }
    }

    /// Reads a usage object; its counts are totals so far, so each replaces the last.
    private mutating func readUsage(_ usage: JSONValue?) {
        guard let usage, case .object = usage else { return }
        if usage["input_tokens"]?.numberValue != nil {
            inputTokens = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
                .reduce(0) { $0 + Int(usage[$1]?.numberValue ?? 0) }
        }
        if let output = usage["output_tokens"]?.numberValue { outputTokens = Int(output) }
    }
}
