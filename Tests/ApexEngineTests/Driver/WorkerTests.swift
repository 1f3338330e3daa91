import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// `Engine.runWorker` on a manual clock.
@Suite struct WorkerTests {
    /// An executor of a process without the key the run needs: it must never be asked to call.
    final class Keyless: ActivityExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var checked = 0
        private var called = 0
        var checks: Int { lock.withLock { checked } }
        var calls: Int { lock.withLock { called } }

        func missingRequirements(plan: Plan, pins: RunPins) -> [String] {
            lock.withLock { checked += 1 }
            return ["step draft uses the openai provider, but OPENAI_API_KEY is not set"]
        }

        func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
            lock.withLock { called += 1 }
            return .failed(RunError(type: "llm.auth", message: "no key"), retryAfter: nil)
        }
    }

    @Test func aRunThisProcessLacksAKeyForIsLeftAloneAndLookedAtTwiceAMinuteAtMost() async throws {
        let store = InMemoryRunStore()
        let clock = ManualClock()
        let executor = Keyless()
        let engine = Engine(store: store, executor: executor, clock: clock, configuration: EngineConfiguration(workerID: "w"))
        let source = "apex: 1\nname: keyed\nsteps:\n  - id: draft\n    llm: {provider: openai, model: gpt-test, prompt: hi}\n"
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "keyed.yaml"))
        let runID = try await engine.start(plan: plan, source: source, path: "keyed.yaml", input: [:]).runID
        let before = try #require(try await store.run(id: runID)).lastSeq

        let stop = AtomicFlag()
        let worker = Task { await engine.runWorker(Engine.WorkerOptions(maxRuns: 4), isStopped: { stop.isSet }) }
        // One minute of polls every 100 ms.
        for _ in 0..<600 {
            clock.advance(by: Duration(milliseconds: 100))
            for _ in 0..<40 { await Task.yield() }
        }
        stop.set()
        clock.advance(by: .seconds(1))
        await worker.value

        #expect((2...3).contains(executor.checks), "looked at \(executor.checks) times in a minute")
        #expect(executor.calls == 0)
        #expect(try await store.run(id: runID)?.lastSeq == before)
        #expect(try await store.run(id: runID)?.status == .running)
    }
}
