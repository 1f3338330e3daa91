import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// What an attempt reports while it runs reaches the engine's subscribers and the run's
/// observer, tagged with its run, step, visit and attempt, and never the history.
@Suite struct LiveProgressTests {
    static let source = """
        apex: 1
        name: live
        llm: {provider: mock, model: m}
        steps:
          - id: draft
            llm: {prompt: "tell me about cats"}
        """

    final class Observer: RunObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var received: [LiveProgress] = []
        var progress: [LiveProgress] { lock.withLock { received } }
        func committed(_ events: [Event], machine: RunMachine) {}
        func progressed(_ progress: LiveProgress) { lock.withLock { received.append(progress) } }
    }

    @Test func subscribersAndTheObserverSeeTheStreamedTextButTheHistoryDoesNot() async throws {
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.source.utf8), path: "live.yaml"))
        let executor = StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider()]))
        let store = InMemoryRunStore()
        let engine = Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: "test"))
        let feed = engine.liveProgress.subscribe()
        let observer = Observer()
        let started = try await engine.start(plan: plan, source: Self.source, path: "live.yaml", input: [:])
        _ = try await engine.drive(runID: started.runID, observer: observer)

        let expected = LiveProgress(runID: started.runID, step: "draft", visit: 1, attempt: 1, kind: .text("Mock reply to: tell me about cats"))
        #expect(observer.progress == [expected])
        var iterator = feed.makeAsyncIterator()
        #expect(await iterator.next() == expected)
        let history = try await store.events(runID: started.runID, after: 0)
        #expect(history.count(where: { if case .stepCompleted = $0.kind { true } else { false } }) == 1)
    }
}
