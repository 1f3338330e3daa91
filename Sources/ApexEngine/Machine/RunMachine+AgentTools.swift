import ApexCompiler
import ApexDSL

extension RunMachine {
    /// When `checkpoint`, recorded by the agent step `step` (visit `visit`), offered the model
    /// other declared tools than the plan's agent declares now: the recorded names and the
    /// names now (`apex replay --workflow` of an edited file). Nil when they are the same, or the
    /// checkpoint names none.
    ///
    /// An agent's checkpoint lists every tool it offered (`tools`) and those an MCP server
    /// advertised (`mcp_tools[].name`); the others are the declared ones.
    func agentToolChange(step: String, visit: Int, checkpoint: JSONValue) -> (recorded: [String], now: [String])? {
        guard let index = visitIndex[VisitKey(step: step, visit: visit)], case .agent(let agent) = plan[visits[index].state].action,
              let offered = checkpoint["tools"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        let fromServers = Set(checkpoint["mcp_tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
        let recorded = offered.filter { !fromServers.contains($0) }
        let now = agent.tools.compactMap { $0.name?.value }
        return recorded == now ? nil : (recorded, now)
    }
}
