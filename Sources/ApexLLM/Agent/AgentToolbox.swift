import ApexDSL
import ApexEngine

/// The tools an agent offers the model: its declared tools, then its MCP servers' tools (as
/// the servers advertised them when the step first started: recorded in the checkpoint, so a
/// resumed attempt offers the same list whatever the server says now).
struct AgentToolbox: Sendable {
    /// A tool an MCP server advertised.
    struct MCPTool: Sendable, Hashable {
        /// The index of its `mcp` entry among the step's tools.
        var entry: Int
        var name: String
        var description: String?
        var inputSchema: JSONValue

        var json: JSONValue {
            var json: [(String, JSONValue)] = [("entry", .int(entry)), ("name", .string(name)), ("input_schema", inputSchema)]
            if let description { json.append(("description", .string(description))) }
            return .object(.init(uniqueKeysWithValues: json))
        }

        init(entry: Int, name: String, description: String?, inputSchema: JSONValue) {
            self.entry = entry
            self.name = name
            self.description = description
            self.inputSchema = inputSchema
        }

        init?(json: JSONValue) {
            guard let entry = json["entry"]?.intValue, let name = json["name"]?.stringValue else { return nil }
            self.init(entry: entry, name: name, description: json["description"]?.stringValue, inputSchema: json["input_schema"] ?? ["type": "object"])
        }
    }

    /// What a tool name stands for.
    struct Tool: Sendable {
        /// The step's entry that defines it (for an MCP tool, its server's entry).
        var entry: AgentTool
        /// The MCP tool, for an entry of kind `mcp`.
        var mcp: MCPTool?
        var spec: LLMTool
    }

    private(set) var tools: [Tool] = []
    private var byName: [String: Int] = [:]
    /// A name no tool may take.
    private let reserved: String?

    /// The declared tools and the recorded MCP tools. Throws `agent.tool_conflict` when a name is
    /// used twice, or is `reserved` (Anthropic's answer tool, with a schema).
    init(entries: [AgentTool], mcpTools: [MCPTool], reserved: String? = nil) throws(AgentFailure) {
        self.reserved = reserved
        for entry in entries {
            guard let name = entry.name?.value else { continue }
            try add(Tool(entry: entry, mcp: nil, spec: LLMTool(name: name, description: Self.description(of: entry), inputSchema: Self.inputSchema(of: entry))))
        }
        for tool in mcpTools where entries.indices.contains(tool.entry) {
            let entry = entries[tool.entry]
            let description = entry.approval == nil ? tool.description : (tool.description.map { $0 + " " } ?? "") + Self.approvalNote
            try add(Tool(entry: entry, mcp: tool, spec: LLMTool(name: tool.name, description: description, inputSchema: tool.inputSchema)))
        }
    }

    private mutating func add(_ tool: Tool) throws(AgentFailure) {
        let name = tool.spec.name
        if name == reserved {
            throw AgentFailure("agent.tool_conflict", "a tool is named \"\(name)\", the name of the tool that carries the final answer with the anthropic provider and a schema")
        }
        if byName[name] != nil {
            throw AgentFailure("agent.tool_conflict", "two tools are named \"\(name)\"\(tool.mcp == nil ? "" : " (one of them from an MCP server)"); tool names must be unique in a step")
        }
        byName[name] = tools.count
        tools.append(tool)
    }

    func tool(named name: String) -> Tool? {
        byName[name].map { tools[$0] }
    }

    var specs: [LLMTool] { tools.map(\.spec) }
    var names: [String] { tools.map(\.spec.name) }

    static let approvalNote = "A person approves each call before it runs; a refused call returns the reason."

    private static func description(of tool: AgentTool) -> String? {
        var parts = [tool.description].compactMap { $0 }
        if case .wait = tool.kind, tool.description == nil { parts.append("Asks a person and returns their answer.") }
        if tool.approval != nil { parts.append(approvalNote) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The schema sent for a tool: its `input`; for a `wait` tool without one, a question; else
    /// an object with any properties.
    static func inputSchema(of tool: AgentTool) -> JSONValue {
        if let input = tool.input { return input.jsonValue }
        if case .wait = tool.kind { return AgentTool.questionInput }
        return ["type": "object", "properties": [:]]
    }
}

/// A failure that ends an agent attempt, with its error type.
struct AgentFailure: Error, Sendable {
    var type: String
    var message: String
    var retryable: Bool

    init(_ type: String, _ message: String, retryable: Bool = false) {
        self.type = type
        self.message = message
        self.retryable = retryable
    }

    func runError(_ request: ActivityRequest) -> RunError {
        RunError(type: type, message: message, step: request.step, attempt: request.attempt, details: retryable ? .null : ["retryable": false])
    }
}
