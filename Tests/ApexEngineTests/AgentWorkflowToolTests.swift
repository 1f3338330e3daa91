import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import ApexWorkflowFiles
import Foundation
import Testing

@testable import ApexEngine

/// An agent's `workflow` tool started as `apex run` starts a run: its child file is pinned with
/// the run, like a `workflow` step's, so editing or deleting the file afterwards changes nothing.
@Suite(.timeLimit(.minutes(2)))
struct AgentWorkflowToolTests {
    static let child = """
        apex: 1
        name: shout
        input: {type: object, required: [text], properties: {text: {type: string}}}
        steps:
          - id: loud
            set: {text: "${{ upper(input.text) }}!"}
        output: {text: "${{ steps.loud.output.text }}"}
        """

    static let parent = """
        apex: 1
        name: asks-a-child
        steps:
          - id: work
            agent:
              provider: mock
              prompt: Shout hello.
              tools:
                - name: shout
                  input: {type: object, required: [text], properties: {text: {type: string}}}
                  workflow: {file: shout.yaml, input: {text: "${{ args.text }}"}}
        output: ${{ steps.work.output }}
        """

    let folder: URL
    let store = InMemoryRunStore()
    let engine: Engine

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-agent-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fixtures = try MockFixtures(json: ["work": [["tool_calls": [["name": "shout", "arguments": ["text": "hello"], "id": "call_shout"]]], "Shouted."]])
        engine = Engine(store: store, executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider(fixtures: fixtures)])),
                        workflows: WorkflowFiles(), configuration: EngineConfiguration(workerID: "test"))
    }

    @Test func theChildFileOfAWorkflowToolIsPinnedWhenTheRunStarts() async throws {
        let childPath = folder.appendingPathComponent("shout.yaml").path
        let parentPath = folder.appendingPathComponent("parent.yaml").path
        try Self.child.write(toFile: childPath, atomically: true, encoding: .utf8)
        try Self.parent.write(toFile: parentPath, atomically: true, encoding: .utf8)

        let bundle = try WorkflowFiles.bundle(at: parentPath)
        #expect(bundle.children.map(\.path) == [childPath])
        let runID = try await engine.start(bundle.root, children: bundle.children, input: [:]).runID
        // The file goes away before the agent calls the tool: the run does not notice.
        try FileManager.default.removeItem(atPath: childPath)
        guard case .finished(let record) = try await engine.drive(runID: runID) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed, "\(String(describing: record.error))")
        let call = try await store.events(runID: runID, after: 0).compactMap { event -> JSONValue? in
            if case .stepCheckpointed(_, _, _, let data) = event.kind, data["record"]?["type"] == "tool_call" { data["record"] } else { nil }
        }.first
        #expect(call?["is_error"] == false)
        #expect(call?["result"] == "{\"text\":\"HELLO!\"}")
        let child = try await store.runs(RunFilter(workflow: "shout")).first
        #expect(child?.parentRunID == runID)
        #expect(child?.input == ["text": "hello"])
    }

    /// With one permit for calls (`apex worker --concurrency 1`), an agent waiting on its child
    /// run must not hold the permit the child's llm step needs.
    @Test func anAgentDoesNotHoldACallPermitItsChildRunNeeds() async throws {
        let childPath = folder.appendingPathComponent("shout.yaml").path
        let parentPath = folder.appendingPathComponent("parent.yaml").path
        try Self.child.replacingOccurrences(of: "set: {text: \"${{ upper(input.text) }}!\"}", with: "llm: {provider: mock, prompt: \"${{ input.text }}\"}")
            .write(toFile: childPath, atomically: true, encoding: .utf8)
        try Self.parent.write(toFile: parentPath, atomically: true, encoding: .utf8)
        let fixtures = try MockFixtures(json: ["work": [["tool_calls": [["name": "shout", "arguments": ["text": "hello"]]]], "Shouted."], "loud": "HELLO"])
        let limited = Engine(store: store, executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider(fixtures: fixtures)])),
                             workflows: WorkflowFiles(), configuration: EngineConfiguration(workerID: "limited", maxActivities: 1))
        let bundle = try WorkflowFiles.bundle(at: parentPath)
        let runID = try await limited.start(bundle.root, children: bundle.children, input: [:]).runID
        let outcome = try await withTimeLimit(seconds: 30, "the agent and its child") { try await limited.drive(runID: runID) }
        guard case .finished(let record) = outcome else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed, "\(String(describing: record.error))")
        #expect(record.output?["text"] == "Shouted.")
    }

    @Test func validationReportsAWorkflowToolsMissingChildFile() throws {
        let parentPath = folder.appendingPathComponent("parent.yaml").path
        let result = WorkflowValidator.validate(data: Data(Self.parent.utf8), path: parentPath)
        let problems = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(problems.contains { $0.contains("child workflow \"shout.yaml\" does not exist") }, "\(problems)")
    }
}
