import ApexCompiler
import ApexDSL
import ApexEngine
import ApexLLM
import Foundation
import Testing

/// A call goes where its run recorded at its start; the process's flags (`fallback`) route only
/// runs that recorded nothing.
@Suite struct LLMRoutingTests {
    static let fixtures: JSONValue = ["draft": "from the flag's fixtures"]

    func text(routing: LLMRouting?) async throws -> String? {
        let yaml = "apex: 1\nname: routed\nsteps:\n  - id: draft\n    llm: {provider: mock, prompt: hello}\n"
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(yaml.utf8), path: "routed.yaml"))
        let state = try #require(plan.state(forStep: "draft"))
        let request = ActivityRequest(runID: "run-1", step: "draft", stateID: state.id, kind: .llm, visit: 1, attempt: 1, scheduledAt: Timestamp(milliseconds: 0),
                                      context: EvaluationContext(roots: [:]), timeout: nil, retry: state.retry, pins: RunPins(llmRouting: routing?.json))
        let executor = LLMActivityExecutor(providers: ["mock": MockLLMProvider()], fallback: .mock(fixtures: Self.fixtures))
        guard case .completed(let output, _) = await executor.execute(request, state: state, secrets: Secrets(values: [:]), progress: .ignored) else { return nil }
        return output["text"]?.stringValue
    }

    @Test func aRecordedRoutingWinsOverTheFlagsAndOnlyUnrecordedRunsFollowThem() async throws {
        #expect(try await text(routing: .mock(fixtures: nil)) == "Mock reply to: hello")
        #expect(try await text(routing: .mock(fixtures: ["draft": "recorded"])) == "recorded")
        #expect(try await text(routing: .providers) == "Mock reply to: hello")
        #expect(try await text(routing: nil) == "from the flag's fixtures")
    }
}
