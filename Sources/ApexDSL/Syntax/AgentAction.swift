/// `agent:` — a model that calls tools in a loop until it answers (docs/language.md, "`agent`").
///
/// Every model turn and every tool call is recorded, so a crash resumes after the last finished
/// one and nothing with a side effect runs twice.
public struct AgentAction: Sendable {
    /// The model options an llm step has (`provider`, `model`, `system`, `prompt` or `messages`,
    /// `temperature`, `max_tokens`, `schema`, `stop`), defaults from the top-level `llm`.
    public var llm = LLMOptions()
    public var tools: [AgentTool] = []
    /// Model requests at most; nil means ``defaultMaxTurns``.
    public var maxTurns: Located<Int>?
    public var budget = AgentBudget()

    public static let defaultMaxTurns = 10
    /// With Anthropic and a `schema`, the final answer is a call of the tool of this name
    /// (docs/language.md, "The final answer and `schema`"): no tool of the step may take it.
    public static let anthropicAnswerTool = "output"

    public init() {}
}

/// `budget:` of an agent: input plus output tokens over all turns, and tool calls.
public struct AgentBudget: Sendable, Hashable {
    public var tokens: Located<Int>?
    public var toolCalls: Located<Int>?

    public init() {}
}

/// One entry of an agent's `tools:`: a named tool, or an MCP server's tools.
public struct AgentTool: Sendable {
    /// What calling the tool does.
    public enum Kind: Sendable {
        /// An HTTP call; its fields may read `args`.
        case http(HTTPCall)
        /// A child run; its `input` may read `args`.
        case workflow(ChildWorkflowCall)
        /// Asks a person: the model's arguments are the question, the signal's payload the answer.
        case wait(AgentWaitTool)
        /// Every tool an MCP server advertises (or those `allow` names), under their own names.
        case mcp(MCPServerSpec)
    }

    /// The name the model calls it by; nil for an MCP entry (its tools keep their names).
    public var name: Located<String>?
    public var description: String?
    /// The JSON Schema of the model's arguments (`args`), checked before the tool runs.
    public var input: JSONSchema?
    public var kind: Kind
    public var retry: RetryPolicy?
    /// How long one attempt of a call may take.
    public var timeout: Located<Duration>?
    /// A person approves each call first.
    public var approval: ToolApproval?
    /// The whole entry.
    public var range: SourceRange

    public init(name: Located<String>?, kind: Kind, range: SourceRange) {
        self.name = name
        self.kind = kind
        self.range = range
    }

    /// The key that says what the tool does.
    public var kindKey: String {
        switch kind {
        case .http: "http"
        case .workflow: "workflow"
        case .wait: "wait"
        case .mcp: "mcp"
        }
    }

    /// The arguments a `wait` tool takes when it names no `input`: the question to ask.
    public static let questionInput: JSONValue = [
        "type": "object", "required": ["question"],
        "properties": ["question": ["type": "string", "description": "The question for the person."]],
    ]
}

/// `approval:` of a tool: each call waits for a signal `{approve: true}` or
/// `{approve: false, reason: "…"}`; a refusal goes back to the model, and the tool is not called.
public struct ToolApproval: Sendable {
    public var signal: Located<String>
    public var timeout: Located<Duration>?

    public init(signal: Located<String>, timeout: Located<Duration>?) {
        self.signal = signal
        self.timeout = timeout
    }

    /// What an approval signal's payload must be.
    public static let payloadSchema: JSONValue = [
        "type": "object", "required": ["approve"], "additionalProperties": false,
        "properties": ["approve": ["type": "boolean"], "reason": ["type": "string"]],
    ]

    /// ``payloadSchema`` as a schema.
    public static let schema: JSONSchema = try! JSONSchema.parse(json: payloadSchema)
}

/// `wait:` as a tool: a signal that answers the model's question.
public struct AgentWaitTool: Sendable {
    public var signal: Located<String>?
    public var timeout: Located<Duration>?
    public var schema: JSONSchema?

    public init() {}
}

/// `mcp:` — a Model Context Protocol server started over stdio for the step.
public struct MCPServerSpec: Sendable {
    /// The program and its arguments.
    public var command: [Located<String>] = []
    /// Variables added to the server's environment; values may read `secrets`.
    public var env: TemplateValue?
    /// The server's working folder, relative to the workflow's.
    public var cwd: Located<String>?
    /// Only these of its tools are offered; nil offers all.
    public var allow: [Located<String>]?

    public init() {}
}
