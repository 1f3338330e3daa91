import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import Foundation
import Synchronization
import Testing

@testable import ApexEngine

/// A signal appended between a driver's decisions and its commit makes the commit conflict:
/// the driver rebuilds its machine from the stored history, decides again with the signal in
/// it, and the run goes on as if the signal had come first.
@Suite struct CommitConflictTests {
    static let source = """
        apex: 1
        name: gated
        llm: {provider: mock}
        steps:
          - id: draft
            llm: {prompt: write}
          - id: approval
            wait: {signal: go}
          - id: done
            set: {approved: "${{ steps.approval.output.ok }}"}
        output: ${{ steps.done.output.approved }}
        """

    /// An in-memory store where signal `go` is appended just before the first append that
    /// records a step's completion, as another process would.
    static func signalRacingStore() -> CountingRunStore {
        let inner = InMemoryRunStore()
        let raced = Mutex(false)
        return CountingRunStore(inner) { runID, events in
            let completes = events.contains { if case .stepCompleted = $0.kind { true } else { false } }
            guard completes, raced.withLock({ raced in defer { raced = true }; return !raced }) else { return }
            _ = try await inner.appendExternal(runID: runID, kind: .signalReceived(name: "go", payload: ["ok": true], signalID: "s1"), at: Timestamp(Date()))
        }
    }

    @Test func aSignalThatRacesACommitIsDecidedOnAndTheHistoryReplays() async throws {
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.source.utf8), path: "gated.yaml"))
        let store = Self.signalRacingStore()
        let engine = Engine(store: store, executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider()])),
                            configuration: EngineConfiguration(workerID: "test"))
        let started = try await engine.start(plan: plan, source: Self.source, path: "gated.yaml", input: [:])
        guard case .finished(let record) = try await engine.drive(runID: started.runID) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed)
        #expect(record.output == true)
        let history = try await store.events(runID: started.runID, after: 0)
        let types = history.map(\.kind.type)
        #expect(types == ["RunStarted", "StepScheduled", "StepStarted", "SignalReceived", "StepCompleted", "StepScheduled", "SignalConsumed",
                          "StepCompleted", "StepScheduled", "StepCompleted", "RunCompleted"])
        #expect(history.map(\.seq) == Array(1...history.count))
        _ = try Replayer.replay(plan: plan, runID: started.runID, events: history)
    }
}
