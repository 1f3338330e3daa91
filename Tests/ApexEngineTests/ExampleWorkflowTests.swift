import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// Every example in `workflows/` that needs no HTTP call runs to completion on the mock
/// provider, on the in-memory store. (The examples with `http` steps would call hosts on the
/// internet; they are validated and compiled by the DSL tests.)
@Suite struct ExampleWorkflowTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("workflows")

    static let inputs: [(String, JSONValue)] = [
        ("research-fanout.yaml", ["question": "Why is the sky blue?"]),
        ("extract-structured.yaml", ["document_id": "d1", "document": "Invoice 42 from ACME, total 10 EUR"]),
        ("refine-until-good.yaml", ["topic": "cats"]),
        ("child-summarize.yaml", ["text": "A long text to summarize."]),
        ("agent-support.yaml", ["ticket": "Order A1 never shipped"]),
    ]

    @Test(arguments: inputs)
    func exampleCompletesOnTheMockProvider(_ name: String, _ input: JSONValue) async throws {
        let path = Self.folder.appendingPathComponent(name).path
        let data = try #require(FileManager.default.contents(atPath: path))
        let plan = try Compiler.compile(WorkflowValidator.validate(data: data, path: path))
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider()], fallback: .mock(fixtures: nil)))
        let engine = Engine(store: InMemoryRunStore(), executor: executor, configuration: EngineConfiguration(workerID: "test"))
        let started = try await engine.start(plan: plan, source: String(decoding: data, as: UTF8.self), path: path, input: input)
        let outcome = try await engine.drive(runID: started.runID)
        guard case .finished(let record) = outcome else {
            Issue.record("\(name) did not finish")
            return
        }
        #expect(record.status == .completed, "\(name): \(record.error.map(String.init(describing:)) ?? "")")
        #expect(record.output != nil)
    }
}
