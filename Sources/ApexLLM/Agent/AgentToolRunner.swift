import ApexDSL
import ApexEngine
import ApexMCP
import Foundation

/// Makes one attempt of one tool call: an HTTP request, a child run, or an MCP `tools/call`.
/// What comes back is the text the model reads, or a failure the call's retry policy judges.
struct AgentToolRunner: Sendable {
    /// An attempt's outcome: a result for the model (possibly an error the tool itself reported,
    /// which is not retried), or a failure to retry under the tool's policy.
    enum Outcome: Sendable {
        case result(String, isError: Bool)
        case failed(RunError, retryAfter: Duration?)
    }

    let http: HTTPStepExecutor
    let servers: AgentMCPServers
    let secrets: Secrets
    let children: ChildRuns

    /// - Parameters:
    ///   - request: The call as an attempt: the agent's request with `args` among its roots,
    ///     the call's idempotency key and the call's attempt number.
    func attempt(_ tool: AgentToolbox.Tool, arguments: JSONValue, request: ActivityRequest) async -> Outcome {
        switch tool.entry.kind {
        case .http(let call):
            return Self.outcome(await http.execute(call, request: request, secrets: secrets)) { output in
                // What the model needs of a response: its status and body.
                ["status": output["status"] ?? .null, "body": output["body"] ?? .null]
            }
        case .workflow(let call):
            return Self.outcome(await children.run(call, for: request)) { $0 }
        case .mcp:
            guard let mcp = tool.mcp else { return .failed(RunError(type: "agent.mcp", message: "no MCP tool"), retryAfter: nil) }
            do {
                let result = try await servers.call(entry: mcp.entry, tool: mcp.name, arguments: arguments, timeout: tool.entry.timeout?.value)
                return .result(Self.text(of: result), isError: result.isError)
            } catch {
                return .failed(RunError(type: "agent.mcp", message: error.message), retryAfter: nil)
            }
        case .wait:
            // Answered by a signal, never run.
            return .failed(RunError(type: "agent.failed", message: "a wait tool is answered by a signal", details: ["retryable": false]), retryAfter: nil)
        }
    }

    private static func outcome(_ result: ActivityResult, _ shown: (JSONValue) -> JSONValue) -> Outcome {
        switch result {
        case .completed(let output, _): .result(text(of: shown(output)), isError: false)
        case .failed(let error, let retryAfter): .failed(error, retryAfter: retryAfter)
        case .suspended: .failed(RunError(type: "agent.failed", message: "a tool cannot wait for a signal", details: ["retryable": false]), retryAfter: nil)
        }
    }

    /// An MCP tool's result as the model reads it: its text content, then its structured
    /// content as compact JSON when it has some that the text does not already hold.
    static func text(of result: MCPToolResult) -> String {
        guard let structured = result.structured, !structured.isNull else { return result.text }
        let json = structured.compactJSON
        if result.text.isEmpty { return json }
        return result.text.contains(json) ? result.text : result.text + "\n" + json
    }

    /// A value as the model reads it: a string as it is, anything else as compact JSON.
    static func text(of value: JSONValue) -> String {
        value.stringValue ?? value.compactJSON
    }
}
