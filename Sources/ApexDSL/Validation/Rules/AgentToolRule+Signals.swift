extension AgentToolRule {
    /// One wait for a signal: a `wait` step, a tool's `approval` or a `wait` tool.
    private struct SignalUse {
        var name: Located<String>
        /// What its payload must be; nil: anything.
        var schema: JSONSchema?
        var what: String
    }

    /// A signal goes to the oldest wait for its name, and a payload is checked against the
    /// schemas of those waits: a tool's approval or question that shares its signal with a wait
    /// of another payload may take a signal meant for the other, or have its own rejected.
    /// Reported (a warning) at the tool's signal.
    static func checkSignals(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        var steps: [SignalUse] = []
        var tools: [SignalUse] = []
        for entry in context.index.entries {
            let id = entry.step.id.value
            switch entry.step.action {
            case .wait(let wait):
                if let signal = wait.signal { steps.append(SignalUse(name: signal, schema: wait.schema, what: "wait step \"\(id)\"")) }
            case .agent(let agent):
                for tool in agent.tools {
                    let name = tool.name?.value ?? "mcp"
                    if let approval = tool.approval {
                        tools.append(SignalUse(name: approval.signal, schema: ToolApproval.schema, what: "the approval of tool \"\(name)\""))
                    }
                    if case .wait(let wait) = tool.kind, let signal = wait.signal {
                        tools.append(SignalUse(name: signal, schema: wait.schema, what: "`wait` tool \"\(name)\""))
                    }
                }
            default:
                continue
            }
        }
        var seen: [String: [SignalUse]] = [:]
        for use in steps { seen[use.name.value, default: []].append(use) }
        for use in tools {
            if let other = seen[use.name.value]?.first(where: { !sameSchema($0.schema, use.schema) }) {
                diagnostics.warning(.agentTool, "signal \"\(use.name.value)\" of \(use.what) is also the signal of \(other.what) (line \(other.name.range.start.line)), which takes a different payload: either may receive a signal meant for the other; give them different signal names", at: use.name.range)
            }
            seen[use.name.value, default: []].append(use)
        }
    }

    private static func sameSchema(_ a: JSONSchema?, _ b: JSONSchema?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): a.jsonValue.equalsDeeply(b.jsonValue)
        default: false
        }
    }
}
