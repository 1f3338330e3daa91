import ApexDSL

/// An `agent` step, lowered: its model options with the top-level `llm` merged in, its tools
/// with their retry policies applied, and its limits with their defaults.
public struct PlanAgent: Sendable {
    public var llm: LLMOptions
    public var tools: [AgentTool]
    /// Model requests at most (`agent.max_turns`).
    public var maxTurns: Int
    /// Input plus output tokens over all turns (`agent.budget`); nil: no limit.
    public var maxTokens: Int?
    /// Tool calls over all turns; nil: no limit.
    public var maxToolCalls: Int?

    public init(llm: LLMOptions, tools: [AgentTool], maxTurns: Int, maxTokens: Int?, maxToolCalls: Int?) {
        self.llm = llm
        self.tools = tools
        self.maxTurns = maxTurns
        self.maxTokens = maxTokens
        self.maxToolCalls = maxToolCalls
    }

    /// The signals its tools wait for, with the payload schema each takes (an approval's, a
    /// `wait` tool's own): what `apex signal` checks a payload against.
    public var signals: [(name: String, schema: JSONSchema?)] {
        tools.flatMap { tool -> [(name: String, schema: JSONSchema?)] in
            var found: [(name: String, schema: JSONSchema?)] = []
            if let approval = tool.approval { found.append((approval.signal.value, ToolApproval.schema)) }
            if case .wait(let wait) = tool.kind, let signal = wait.signal { found.append((signal.value, wait.schema)) }
            return found
        }
    }
}
