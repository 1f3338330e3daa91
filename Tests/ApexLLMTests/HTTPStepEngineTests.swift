import ApexCompiler
import ApexDSL
import ApexEngine
import ApexFakeProvider
import ApexLLM
import ApexTesting
import Foundation
import Testing

/// `http` steps driven by the engine, against the fake server on 127.0.0.1.
@Suite struct HTTPStepEngineTests {
    /// The first call fails with 503 and is retried; a loop visits the step again.
    static let workflow = """
        apex: 1
        name: http-loop
        input: { type: object, properties: { url: { type: string } } }
        steps:
          - id: call
            http: { method: POST, url: "${{ input.url }}", json: { n: 1 } }
            retry: { max_attempts: 2, initial_interval: 10ms, jitter: 0 }
          - id: again
            switch:
              - when: ${{ steps.call.output.body.visit < 2 }}
                next: call
        output: ${{ steps.call.output.body.visit }}
        """

    @Test func attemptsOfAVisitShareTheIdempotencyKeyAndVisitsDoNot() async throws {
        let server = try await FakeProviderServer.start()
        defer { Task { try await server.shutdown() } }
        server.enqueue(.json(status: 503, ["error": "busy"]), path: "/loop")
        server.enqueue(.json(["visit": 1]), path: "/loop")
        server.enqueue(.json(["visit": 2]), path: "/loop")
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.workflow.utf8), path: "http-loop.yaml"))
        let engine = Engine(store: InMemoryRunStore(), executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: [:])),
                            configuration: EngineConfiguration(workerID: "test"))
        let started = try await engine.start(plan: plan, source: Self.workflow, path: "http-loop.yaml", input: ["url": .string("\(server.baseURL)/loop")])
        guard case .finished(let record) = try await engine.drive(runID: started.runID) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed, "\(record.error.map(String.init(describing:)) ?? "")")
        #expect(record.output == 2)
        let keys = server.requests.map { $0.header("Idempotency-Key") }
        #expect(keys == ["\(started.runID)/call/1", "\(started.runID)/call/1", "\(started.runID)/call/2"])
    }
}
