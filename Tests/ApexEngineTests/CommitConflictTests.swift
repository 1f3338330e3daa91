import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import Foundation
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

    /// Forwards to an in-memory store, but appends signal `go` just before the first append
    /// that records a step's completion, as another process would.
    final class SignalRacingStore: RunStore, @unchecked Sendable {
        let inner = InMemoryRunStore()
        private let lock = NSLock()
        private var raced = false

        func append(runID: String, events: [Event], expectedLastSeq: Int, update: RunUpdate) async throws {
            let completes = events.contains { if case .stepCompleted = $0.kind { true } else { false } }
            if completes, lock.withLock({ () -> Bool in defer { raced = true }; return !raced }) {
                _ = try await inner.appendExternal(runID: runID, kind: .signalReceived(name: "go", payload: ["ok": true], signalID: "s1"), at: Timestamp(Date()))
            }
            try await inner.append(runID: runID, events: events, expectedLastSeq: expectedLastSeq, update: update)
        }

        func migrate() async throws { try await inner.migrate() }
        func saveDefinition(_ definition: StoredDefinition) async throws { try await inner.saveDefinition(definition) }
        func definition(hash: String) async throws -> StoredDefinition? { try await inner.definition(hash: hash) }
        func createRun(_ run: RunRecord, events: [Event], update: RunUpdate) async throws -> CreateRunResult {
            try await inner.createRun(run, events: events, update: update)
        }
        func run(id: String) async throws -> RunRecord? { try await inner.run(id: id) }
        func runs(_ filter: RunFilter) async throws -> [RunRecord] { try await inner.runs(filter) }
        func events(runID: String, after: Int, limit: Int?) async throws -> [Event] { try await inner.events(runID: runID, after: after, limit: limit) }
        func appendExternal(runID: String, kind: EventKind, at: Timestamp) async throws -> Event {
            try await inner.appendExternal(runID: runID, kind: kind, at: at)
        }
        func acquireLease(runID: String, owner: String, until: Timestamp, now: Timestamp) async throws -> Bool {
            try await inner.acquireLease(runID: runID, owner: owner, until: until, now: now)
        }
        func releaseLease(runID: String, owner: String) async throws { try await inner.releaseLease(runID: runID, owner: owner) }
        func claimableRuns(now: Timestamp, limit: Int) async throws -> [String] { try await inner.claimableRuns(now: now, limit: limit) }
        func runsWithNews(owner: String) async throws -> [RunNews] { try await inner.runsWithNews(owner: owner) }
    }

    @Test func aSignalThatRacesACommitIsDecidedOnAndTheHistoryReplays() async throws {
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.source.utf8), path: "gated.yaml"))
        let store = SignalRacingStore()
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
