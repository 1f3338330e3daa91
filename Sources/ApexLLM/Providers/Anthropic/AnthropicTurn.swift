import ApexDSL

/// One message of a Messages API request: the API wants user and assistant turns to alternate,
/// so consecutive messages of one role become one turn, and tool results (role `tool` here) go
/// in the user turn that follows the assistant's calls.
struct AnthropicTurn {
    enum Part {
        case text(String)
        /// A `tool_use` or `tool_result` content block.
        case block(JSONValue)
    }

    var role: String
    var parts: [Part]

    /// The turns of the non-system messages, consecutive messages of one role merged.
    static func turns(_ messages: [LLMRequest.Message]) -> [AnthropicTurn] {
        var turns: [AnthropicTurn] = []
        for message in messages where message.role != "system" {
            let turn = AnthropicTurn(message)
            if let last = turns.last, last.role == turn.role {
                turns[turns.count - 1].parts += turn.parts
            } else {
                turns.append(turn)
            }
        }
        return turns
    }

    private init(_ message: LLMRequest.Message) {
        if message.role == "tool" {
            var result: JSONValue = ["type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""), "content": .string(message.content)]
            if message.isError, case .object(var fields) = result {
                fields["is_error"] = true
                result = .object(fields)
            }
            self.init(role: "user", parts: [.block(result)])
            return
        }
        let calls: [Part] = message.toolCalls.map { call in
            .block(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": AnthropicTurn.input(call.arguments)])
        }
        let text: [Part] = calls.isEmpty || !message.content.isEmpty ? [.text(message.content)] : []
        self.init(role: message.role, parts: text + calls)
    }

    private init(role: String, parts: [Part]) {
        self.role = role
        self.parts = parts
    }

    /// A call's arguments as the object `input` must be: `{}` when they are not a JSON object
    /// (the model's malformed arguments cannot be sent back as they were).
    static func input(_ arguments: String) -> JSONValue {
        guard let value = try? JSONValue(parsing: arguments), case .object = value else { return [:] }
        return value
    }

    /// Text alone is a string, the texts joined by a blank line; with blocks, the content is a
    /// list of blocks, empty texts left out (the API refuses them) and tool results first (the
    /// API wants them before any text of their turn).
    var json: JSONValue {
        var texts: [String] = []
        var blocks: [JSONValue] = []
        for part in parts {
            switch part {
            case .text(let text):
                texts.append(text)
                if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
            case .block(let block):
                blocks.append(block)
            }
        }
        guard texts.count < parts.count else { return ["role": .string(role), "content": .string(texts.joined(separator: "\n\n"))] }
        let results = blocks.filter { $0["type"] == "tool_result" }
        let others = blocks.filter { $0["type"] != "tool_result" }
        return ["role": .string(role), "content": .array(results + others)]
    }
}
