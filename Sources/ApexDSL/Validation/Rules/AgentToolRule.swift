/// `agent-tool`, what needs the whole agent or the whole workflow (the parser checks each tool
/// alone): tool names unique within a step, MCP `allow` names included; `allow` names that can
/// match a tool, each once; an MCP `command` and `cwd` that are fixed text; a `wait` tool's time
/// limit in `wait.timeout` and no `retry`; signals shared with a wait of another payload
/// (warning, ``checkSignals(_:into:)``); limits that are costly or end the agent at once (warnings).
enum AgentToolRule: ValidationRule {
    /// More turns than this is a warning: each turn sends the whole conversation again.
    static let costlyTurns = 100
    /// A token budget below this is a warning: a request with tools is hundreds of tokens.
    static let leastTokens = 100

    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        for entry in context.index.entries {
            guard case .agent(let agent) = entry.step.action else { continue }
            let id = entry.step.id.value
            checkNames(agent.tools, agent: id, into: &diagnostics)
            checkAnswerTool(agent, defaults: context.workflow.llm, into: &diagnostics)
            for tool in agent.tools {
                switch tool.kind {
                case .mcp(let server): checkServer(server, into: &diagnostics)
                case .wait: checkWaitOptions(tool, into: &diagnostics)
                case .http, .workflow: break
                }
            }
            checkLimits(agent, into: &diagnostics)
        }
        checkSignals(context, into: &diagnostics)
    }

    /// A model calls tools by name: two tools of one agent with the same name (an MCP entry's
    /// `allow` names included) are refused by the provider or clash when the server starts.
    private static func checkNames(_ tools: [AgentTool], agent: String, into diagnostics: inout DiagnosticBag) {
        var first: [String: SourceRange] = [:]
        func claim(_ name: Located<String>) {
            if let earlier = first[name.value] {
                diagnostics.error(.agentTool, "tool name \"\(name.value)\" is used twice in agent \"\(agent)\"; it is already used at line \(earlier.start.line)", at: name.range)
            } else {
                first[name.value] = name.range
            }
        }
        for tool in tools {
            if let name = tool.name { claim(name) }
            guard case .mcp(let server) = tool.kind, let allow = server.allow else { continue }
            var listed = Set<String>()
            for name in allow {
                guard Identifiers.isToolName(name.value) else {
                    diagnostics.error(.agentTool, "\"\(name.value)\" in \"allow\" can never name a tool: tool names match ^[A-Za-z0-9_-]{1,64}$", at: name.range)
                    continue
                }
                guard listed.insert(name.value).inserted else {
                    diagnostics.warning(.agentTool, "\"\(name.value)\" is listed twice in \"allow\"", at: name.range)
                    continue
                }
                claim(name)
            }
        }
    }

    /// With Anthropic and a `schema`, the final answer comes as a call of the tool `output`: a
    /// tool of that name (or an MCP tool `allow` names so) could never be told apart from it.
    private static func checkAnswerTool(_ agent: AgentAction, defaults: LLMOptions, into diagnostics: inout DiagnosticBag) {
        let options = agent.llm.falling(backTo: defaults)
        guard options.provider?.value == "anthropic", options.schema != nil else { return }
        let reserved = AgentAction.anthropicAnswerTool
        let names = agent.tools.flatMap { tool -> [Located<String>] in
            if case .mcp(let server) = tool.kind { return server.allow ?? [] }
            return tool.name.map { [$0] } ?? []
        }
        for name in names where name.value == reserved {
            diagnostics.error(.agentTool, "with the anthropic provider and a `schema`, the final answer is a call of a tool named \"\(reserved)\": rename this tool", at: name.range)
        }
    }

    /// `command` and `cwd` are fixed text: an expression in them would be passed on as written.
    private static func checkServer(_ server: MCPServerSpec, into diagnostics: inout DiagnosticBag) {
        for part in server.command where part.value.contains("${{") {
            diagnostics.error(.agentTool, "\"command\" is fixed text: `${{ }}` is not evaluated here; pass values to the server through \"env\"", at: part.range)
        }
        guard let cwd = server.cwd else { return }
        if cwd.value.contains("${{") {
            diagnostics.error(.agentTool, "\"cwd\" is fixed text: `${{ }}` is not evaluated here", at: cwd.range)
        } else if cwd.value.allSatisfy(\.isWhitespace) {
            diagnostics.error(.agentTool, "\"cwd\" is empty; leave it out to start the server in the workflow file's folder", at: cwd.range)
        }
    }

    /// A `wait` tool asks a person: how long the answer may take is `wait.timeout`, and there is
    /// no call to retry.
    private static func checkWaitOptions(_ tool: AgentTool, into diagnostics: inout DiagnosticBag) {
        let name = tool.name?.value ?? "wait"
        if let timeout = tool.timeout {
            diagnostics.error(.agentTool, "`wait` tool \"\(name)\" takes its time limit as `wait.timeout` (how long a person has to answer); \"timeout\" is for the calls of `http` and `workflow` tools", at: timeout.range)
        }
        if let retry = tool.retry {
            diagnostics.error(.agentTool, "`wait` tool \"\(name)\" asks a person and is not retried; remove \"retry\"", at: retry.range)
        }
    }

    private static func checkLimits(_ agent: AgentAction, into diagnostics: inout DiagnosticBag) {
        if let turns = agent.maxTurns, turns.value > costlyTurns {
            diagnostics.warning(.agentTool, "max_turns \(turns.value) is more than \(costlyTurns): each turn sends the whole conversation again, so a long loop is costly; lower it, or bound the cost with budget.tokens", at: turns.range)
        }
        if let tokens = agent.budget.tokens, tokens.value < leastTokens {
            diagnostics.warning(.agentTool, "a budget of \(tokens.value) tokens ends the agent on its first turn (the prompt and the tools' schemas alone are more); count input and output tokens over all turns", at: tokens.range)
        }
    }
}
