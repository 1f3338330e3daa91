import ApexCompiler
import ApexDSL
import ApexEngine
import ApexLLM
import Foundation
import Testing

/// The executor that routes calls to the LLM and HTTP executors refuses what it does not run.
@Suite struct StepActivityExecutorTests {
    @Test func aWorkflowStepFailsWithoutRetriesInsteadOfStoppingTheProcess() async throws {
        let yaml = "apex: 1\nname: parent\nsteps:\n  - id: call\n    workflow: {name: child}\n"
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(yaml.utf8), path: "parent.yaml"))
        let state = try #require(plan.state(forStep: "call"))
        let request = ActivityRequest(runID: "run-1", step: "call", stateID: state.id, kind: .workflow, visit: 1, attempt: 1, scheduledAt: Timestamp(milliseconds: 0),
                                      context: EvaluationContext(roots: [:]), timeout: nil, retry: state.retry, idempotencyKey: "run-1/call/1")
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: [:]))
        let result = await executor.execute(request, state: state, secrets: Secrets(values: [:]), progress: ActivityProgress(runID: "run-1", step: "call", visit: 1, attempt: 1) { _ in })
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.type == "workflow.failed")
        #expect(error.details["retryable"] == false)
    }
}
