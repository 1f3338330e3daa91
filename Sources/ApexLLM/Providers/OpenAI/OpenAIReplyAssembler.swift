import Foundation
import ApexDSL

/// Builds a reply from a Chat Completions answer, streamed or whole (docs/language.md,
/// "LLM providers").
///
/// The text is every content fragment of choice 0 in order. A refusal (`refusal` instead of
/// `content`) is not an error: its text becomes the reply's text and the finish reason is
/// `refusal`, so that a workflow can see it and branch on it. Usage comes from the
/// `include_usage` chunk, and is 0 when a server does not send it. An unknown finish reason is
/// recorded as it is.
///
/// Tool calls come whole in a whole answer, and in a stream as `delta.tool_calls` fragments
/// joined by their `index`: the first fragment of a call brings its id and name, the
/// `arguments` text arrives in pieces, which are joined and never parsed. Calls are in index
/// order; a call whose server sent no id gets `call_<index>`.
struct OpenAIReplyAssembler: ReplyAssembler {
    static let endMarker = "data: [DONE]"

    private var text = ""
    /// The calls by their `index`, as their fragments arrive.
    private var calls: [Int: LLMToolCall] = [:]
    private var refused = false
    private var finishReason: String?
    private var model: String
    private var inputTokens = 0
    private var outputTokens = 0
    private(set) var isComplete = false

    /// `model` is the requested model, kept when the answer names none.
    init(model: String) {
        self.model = model
    }

    var reply: LLMReply {
        let toolCalls = calls.sorted { $0.key < $1.key }.map { index, call in
            call.id.isEmpty ? LLMToolCall(id: "call_\(index)", name: call.name, arguments: call.arguments) : call
        }
        return LLMReply(text: text, model: model, finishReason: refused ? "refusal" : finishReason ?? "unknown",
                        inputTokens: inputTokens, outputTokens: outputTokens, toolCalls: toolCalls)
    }

    mutating func take(_ event: SSEEvent) throws(LLMError) -> String {
        if Self.isDone(event.data) {
            isComplete = true
            return ""
        }
        let chunk = try Self.object(event.data)
        readCommonFields(chunk)
        var piece = ""
        for choice in chunk["choices"]?.arrayValue ?? [] where choice["index"]?.numberValue ?? 0 == 0 {
            if let content = choice["delta"]?["content"]?.stringValue { piece += content }
            if let refusal = choice["delta"]?["refusal"]?.stringValue, !refusal.isEmpty {
                refused = true
                piece += refusal
            }
            for (position, fragment) in (choice["delta"]?["tool_calls"]?.arrayValue ?? []).enumerated() {
                addToolCall(fragment, at: fragment["index"]?.numberValue.map { Int($0) } ?? position)
            }
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        }
        text += piece
        return piece
    }

    mutating func take(whole json: JSONValue) throws(LLMError) {
        guard case .object = json, let choices = json["choices"]?.arrayValue else {
            if let error = ProviderErrorBody(json: json) { throw LLMError(type: error.streamErrorType, message: "the provider reported an error: \(error.summary)") }
            throw LLMError(type: "llm.server_error", message: "the provider answered with JSON that is not a chat completion")
        }
        readCommonFields(json)
        let choice = choices.first { $0["index"]?.numberValue ?? 0 == 0 }
        if let content = choice?["message"]?["content"]?.stringValue { text = content }
        if let refusal = choice?["message"]?["refusal"]?.stringValue, !refusal.isEmpty, text.isEmpty {
            refused = true
            text = refusal
        }
        for (index, call) in (choice?["message"]?["tool_calls"]?.arrayValue ?? []).enumerated() { addToolCall(call, at: index) }
        finishReason = choice?["finish_reason"]?.stringValue
        isComplete = true
    }

    /// Adds a call, or a fragment of one, to the call at `index`. The first id and name given
    /// are kept (some compatible servers repeat them in every fragment). Arguments are text; a
    /// server that sends them as an object gets its compact JSON.
    private mutating func addToolCall(_ fragment: JSONValue, at index: Int) {
        var call = calls[index] ?? LLMToolCall(id: "", name: "", arguments: "")
        if call.id.isEmpty, let id = fragment["id"]?.stringValue { call.id = id }
        if call.name.isEmpty, let name = fragment["function"]?["name"]?.stringValue { call.name = name }
        switch fragment["function"]?["arguments"] {
        case .string(let piece)?: call.arguments += piece
        case let value? where !value.isNull: call.arguments += value.compactJSON
        default: break
        }
        calls[index] = call
    }

    /// Model, usage and a reported error: the fields any chunk (or whole answer) may carry.
    private mutating func readCommonFields(_ json: JSONValue) {
        if let name = json["model"]?.stringValue, !name.isEmpty { model = name }
        if let usage = json["usage"], case .object = usage {
            inputTokens = Int(usage["prompt_tokens"]?.numberValue ?? 0)
            outputTokens = Int(usage["completion_tokens"]?.numberValue ?? 0)
        }
    }

    /// Whether the data is the `[DONE]` marker, spaces around it allowed. Checked on every
    /// chunk, so on bytes: Foundation's trimming goes through UTF-16 and costs more than the
    /// rest of a chunk's handling.
    private static func isDone(_ data: String) -> Bool {
        let bytes = data.utf8.drop { $0 == 0x20 || $0 == 0x09 }
        guard bytes.count <= 32 else { return false }
        return bytes.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed().elementsEqual("[DONE]".utf8)
    }

    /// Parses one chunk; a chunk carrying `error` (a failure after the 200) throws it.
    private static func object(_ data: String) throws(LLMError) -> JSONValue {
        guard let json = try? JSONValue(parsing: data), case .object = json else {
            throw LLMError(type: "llm.server_error", message: "the provider streamed something that is not JSON: \(ProviderContext.quoted(String(data.prefix(200))))")
        }
        if json["error"] != nil, json["error"] != .null, let error = ProviderErrorBody(json: json) {
            throw LLMError(type: error.streamErrorType, message: "the stream reported an error: \(error.summary)")
        }
        return json
    }
}
