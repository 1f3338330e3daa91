extension WorkflowParser {
    static let agentKeys = llmKeys + ["tools", "max_turns", "budget"]
    static let toolKinds = ["http", "workflow", "wait", "mcp"]
    static let toolKeys = ["name", "description", "input", "retry", "timeout", "approval"] + toolKinds

    mutating func agent(_ node: YAMLNode) -> AgentAction? {
        guard let keys = mapping(node, what: "`agent`", allowed: Self.agentKeys) else { return nil }
        var agent = AgentAction()
        agent.llm = llmOptions(keys, what: "an agent")
        if keys["prompt"] == nil, keys["messages"] == nil {
            diagnostics.error(.missingKey, "`agent` needs a \"prompt\" (or \"messages\"): the task for the model", at: pairAnchor(node))
        }
        agent.maxTurns = keys["max_turns"].flatMap { integer($0.value, key: "max_turns", minimum: 1) }
        if let budget = keys["budget"], let limits = mapping(budget.value, what: "`budget`", allowed: ["tokens", "tool_calls"]) {
            agent.budget.tokens = limits["tokens"].flatMap { integer($0.value, key: "tokens", minimum: 1) }
            agent.budget.toolCalls = limits["tool_calls"].flatMap { integer($0.value, key: "tool_calls", minimum: 1) }
        }
        if let tools = keys["tools"] {
            if let items = tools.value.items {
                agent.tools = items.compactMap { agentTool($0) }
            } else {
                diagnostics.error(.typeMismatch, "\"tools\" must be a list of tools, not \(tools.value.kindDescription)", at: tools.value.range)
            }
        }
        return agent
    }

    private mutating func agentTool(_ node: YAMLNode) -> AgentTool? {
        guard let keys = mapping(node, what: "a tool", allowed: Self.toolKeys) else { return nil }
        let kinds = Self.toolKinds.compactMap { keys[$0] }
        guard let kindPair = kinds.first else {
            diagnostics.error(.agentTool, "a tool needs one of \(Self.toolKinds.joined(separator: ", ")): what calling it does", at: pairAnchor(node))
            return nil
        }
        if kinds.count > 1 {
            diagnostics.error(.agentTool, "a tool does one thing; this one has \(kinds.compactMap(\.name).joined(separator: " and ")): split it into two tools", at: kinds[1].key.range)
        }
        guard let kind = toolKind(kindPair) else { return nil }
        var tool = AgentTool(name: nil, kind: kind, range: node.range)
        if case .mcp = kind {
            for key in ["name", "description", "input"] {
                if let pair = keys[key] {
                    diagnostics.error(.agentTool, "an `mcp` entry's tools keep the names, descriptions and schemas their server gives; \"\(key)\" is not allowed here", at: pair.key.range)
                }
            }
        } else if let namePair = keys["name"] {
            tool.name = string(namePair.value, key: "name")
            if let name = tool.name, !Identifiers.isToolName(name.value) {
                diagnostics.error(.agentTool, "tool name \"\(name.value)\" must match ^[A-Za-z0-9_-]{1,64}$ (what both OpenAI and Anthropic accept)", at: name.range)
            }
        } else {
            diagnostics.error(.missingKey, "a tool needs a \"name\": what the model calls it", at: pairAnchor(node))
        }
        tool.description = keys["description"].flatMap { text($0.value, key: "description") }
        if let input = keys["input"] {
            tool.input = JSONSchema.parse(input.value, diagnostics: &diagnostics)
            if let schema = tool.input, schema.types != [.object] {
                diagnostics.error(.agentTool, "a tool's \"input\" must be an object schema (`type: object`): models send their arguments as one object", at: input.value.range)
            }
        }
        tool.retry = keys["retry"].flatMap { retryPolicy($0.value) }
        tool.timeout = keys["timeout"].flatMap { duration($0.value, key: "timeout") }
        if let approval = keys["approval"] { tool.approval = toolApproval(approval.value) }
        return tool
    }

    private mutating func toolKind(_ pair: YAMLPair) -> AgentTool.Kind? {
        switch pair.name {
        case "http": return http(pair.value).map(AgentTool.Kind.http)
        case "workflow": return childWorkflow(pair.value).map(AgentTool.Kind.workflow)
        case "wait":
            guard let keys = mapping(pair.value, what: "a `wait` tool", allowed: ["signal", "timeout", "schema"]) else { return nil }
            var wait = AgentWaitTool()
            wait.signal = signalName(keys["signal"], in: pair.value, what: "a `wait` tool")
            wait.timeout = keys["timeout"].flatMap { duration($0.value, key: "timeout") }
            wait.schema = keys["schema"].flatMap { JSONSchema.parse($0.value, diagnostics: &diagnostics) }
            return .wait(wait)
        case "mcp": return mcpServer(pair.value).map(AgentTool.Kind.mcp)
        default: return nil
        }
    }

    private mutating func mcpServer(_ node: YAMLNode) -> MCPServerSpec? {
        guard let keys = mapping(node, what: "`mcp`", allowed: ["command", "env", "cwd", "allow"]) else { return nil }
        var server = MCPServerSpec()
        if let command = keys["command"] {
            if command.value.items == nil {
                diagnostics.error(.agentTool, "\"command\" must be a list: the program and its arguments, e.g. [python3, tools/server.py]", at: command.value.range)
            } else {
                server.command = stringList(command.value, key: "command")
                if server.command.isEmpty { diagnostics.error(.agentTool, "\"command\" must name a program", at: command.value.range) }
                if let program = server.command.first, program.value.allSatisfy(\.isWhitespace) {
                    diagnostics.error(.agentTool, "the program of \"command\" is empty", at: program.range)
                }
            }
        } else {
            diagnostics.error(.missingKey, "`mcp` needs a \"command\": the program that serves the tools and its arguments", at: pairAnchor(node))
        }
        if let env = keys["env"] {
            if env.value.pairs == nil {
                diagnostics.error(.typeMismatch, "\"env\" must be a mapping of variable names to values, not \(env.value.kindDescription)", at: env.value.range)
            } else {
                server.env = template(env.value)
            }
        }
        server.cwd = keys["cwd"].flatMap { string($0.value, key: "cwd") }
        if let allow = keys["allow"] {
            server.allow = stringList(allow.value, key: "allow")
            if allow.value.items?.isEmpty == true {
                diagnostics.error(.agentTool, "\"allow\" is empty, so none of the server's tools would be offered; list the tools to offer, or leave \"allow\" out to offer them all", at: allow.value.range)
            }
        }
        return server
    }

    private mutating func toolApproval(_ node: YAMLNode) -> ToolApproval? {
        guard let keys = mapping(node, what: "`approval`", allowed: ["signal", "timeout"]) else { return nil }
        guard let signal = signalName(keys["signal"], in: node, what: "`approval`") else { return nil }
        return ToolApproval(signal: signal, timeout: keys["timeout"].flatMap { duration($0.value, key: "timeout") })
    }

    /// A `signal:` value, checked as a signal name; reports it missing.
    mutating func signalName(_ pair: YAMLPair?, in node: YAMLNode, what: String) -> Located<String>? {
        guard let pair else {
            diagnostics.error(.missingKey, "\(what) needs a \"signal\": the name of the signal to wait for", at: pairAnchor(node))
            return nil
        }
        guard let name = string(pair.value, key: "signal") else { return nil }
        if !Identifiers.isSignalName(name.value) {
            diagnostics.error(.invalidValue, "signal name \"\(name.value)\" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,127}$", at: name.range)
        }
        return name
    }
}
