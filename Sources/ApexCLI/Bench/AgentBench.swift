import ApexDSL
import ApexEngine
import ApexFakeProvider
import ApexLLM
import Foundation

/// `apex bench engine`'s agent line: an agent step of `turns` model turns (the mock provider,
/// scripted), each asking for one `http` tool call answered by a local server, then a final
/// answer. A turn is two commits (the model's reply with its call, then the call's result).
struct AgentBench {
    let bench: EngineBench

    func perTurn(turns: Int, iterations: Int, floor: LatencySample?) async throws {
        let server = try await FakeProviderServer.start()
        do {
            server.enqueue(.json(["ok": true]), times: turns * (iterations + 1), path: "/tool")
            let script: [JSONValue] = (1..<turns).map { turn in
                ["tool_calls": [["name": "fetch", "arguments": ["turn": .int(turn)]]]]
            } + ["done"]
            let mock = MockLLMProvider(fixtures: try MockFixtures(json: ["agent": .array(script)]))
            let llm = LLMActivityExecutor(providers: ["mock": mock], fallback: .providers)
            let engine = Engine(store: bench.store, executor: StepActivityExecutor(llm: llm),
                                configuration: EngineConfiguration(workerID: "bench-agent-\(getpid())"))
            let workflow = try BenchWorkflow.agent(turns: turns, toolURL: server.baseURL + "/tool")
            let sample = try await EngineBench.timeRuns(workflow, on: engine, iterations: iterations, per: turns)
            bench.report("per agent turn (mock model, one local http tool call per turn, \(turns) turns, / \(turns)): \(sample.summary)")
            if let floor {
                bench.report(String(format: "  beyond its two commits (p50 minus twice the disk floor's p50): %.2f ms",
                                    sample.percentile(0.5) - 2 * floor.percentile(0.5)))
            }
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }
}

extension BenchWorkflow {
    /// One agent step of `turns` turns whose one tool GETs `toolURL`.
    static func agent(turns: Int, toolURL: String) throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-agent
            steps:
              - id: agent
                agent:
                  provider: mock
                  model: bench
                  prompt: Work through the list.
                  max_turns: \(turns + 1)
                  tools:
                    - name: fetch
                      input: {type: object}
                      http: {url: "\(toolURL)"}
            output: ${{ steps.agent.output.turns }}
            """, name: "bench-agent")
    }
}
