import ApexDSL

/// A tool the model may call (docs/language.md, "LLM providers", tool calls): OpenAI gets it
/// as a `function`, Anthropic as a tool with an `input_schema`.
public struct LLMTool: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// A JSON Schema object describing the call's arguments.
    public var inputSchema: JSONValue

    public init(name: String, description: String?, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// A call the model asked for.
public struct LLMToolCall: Sendable, Hashable {
    /// The vendor's id of the call, which the result names (`tool_call_id`, `tool_use_id`).
    public var id: String
    public var name: String
    /// The arguments as JSON text, exactly as the model sent it: it may be malformed or name
    /// fields the tool does not have, so the caller checks it. Never parsed here, so that what
    /// a run records is what the model said.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
