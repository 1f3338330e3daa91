import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// Runs `agent` steps (docs/language.md, "`agent`"): a model that calls tools in a loop until it
/// answers, every model turn and every tool result made durable as a checkpoint, so that an
/// attempt after a crash resumes after the last finished one (``AgentSession``).
public struct AgentExecutor: Sendable {
    private let llm: LLMActivityExecutor
    private let http: HTTPStepExecutor

    public init(llm: LLMActivityExecutor, http: HTTPStepExecutor = HTTPStepExecutor()) {
        self.llm = llm
        self.http = http
    }

    public func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        guard case .agent(let agent) = state.action else {
            return .failed(RunError(type: "agent.failed", message: "step \(state.stepID) is not an agent step", details: ["retryable": false]), retryAfter: nil)
        }
        let provider: any LLMProvider
        switch llm.provider(for: request, options: agent.llm) {
        case .success(let found): provider = found
        case .failure(let error): return .failed(error, retryAfter: nil)
        }
        let base: LLMRequest
        do {
            base = try LLMRequestBuilder.build(agent.llm, request: request, stepID: state.stepID, secrets: secrets)
        } catch {
            return .failed(RunError(type: "expression", message: error.message, step: request.step, attempt: request.attempt), retryAfter: nil)
        }
        let directory = request.pins.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? FileManager.default.currentDirectoryPath
        let servers = AgentMCPServers(entries: agent.tools, workflowDirectory: directory) { spec in
            try Self.environment(of: spec, context: request.context, secrets: secrets)
        }
        let runner = AgentToolRunner(http: http, servers: servers, secrets: secrets, children: progress.children)
        var session = AgentSession(agent: agent, request: request, base: base, provider: provider, runner: runner, servers: servers, progress: progress)
        let result = await session.run()
        await servers.stopAll()
        return result
    }

    /// The variables an MCP server gets besides the few it inherits (`PATH`, `HOME`, the locale:
    /// `MCPToolServer.inheritedVariables`, so API keys stay here): the entry's `env`, which may
    /// read `secrets`.
    static func environment(of spec: MCPServerSpec, context: EvaluationContext, secrets: Secrets) throws -> [String: String] {
        var environment: [String: String] = [:]
        guard let env = spec.env else { return environment }
        var roots = context.roots
        roots["secrets"] = secrets.root
        guard case .object(let values) = try env.evaluate(in: EvaluationContext(roots: roots)) else {
            throw AgentFailure("agent.mcp", "`env` of the MCP server \(AgentMCPServers.describe(spec)) is not a mapping")
        }
        for (name, value) in values { environment[name] = AgentToolRunner.text(of: value) }
        return environment
    }
}
