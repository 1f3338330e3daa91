import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// Loading a run by pages gives the same history and machine as replaying it whole, and stops
/// at the first divergent event like a whole replay does.
@Suite struct RunLoaderTests {
    /// A loop of `set` steps whose history is several pages long (two events a visit).
    static func loop(visits: Int) -> String {
        """
        apex: 1
        name: loop
        vars: {n: 0}
        defaults: {max_visits: \(visits)}
        steps:
          - id: again
            set: {n: "${{ vars.n + 1 }}"}
            next: again
        """
    }

    func compile(_ source: String) throws -> Plan {
        try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "loop.yaml"))
    }

    @Test func aHistoryOfSeveralPagesLoadsAsAWholeReplayDoes() async throws {
        let plan = try compile(Self.loop(visits: 2 * RunLoader.pageSize + 100))
        let store = InMemoryRunStore()
        let engine = Engine(store: store, executor: UnusedExecutor(), configuration: EngineConfiguration(workerID: "test"))
        let runID = try await engine.start(plan: plan, source: Self.loop(visits: 2 * RunLoader.pageSize + 100), path: "loop.yaml", input: [:]).runID
        let whole = try await store.events(runID: runID, after: 0)
        #expect(whole.count > 4 * RunLoader.pageSize)

        let loaded = try await RunLoader.load(runID: runID, plan: plan, store: store)
        #expect(loaded.events == whole)
        let replayed = try Replayer.replay(plan: plan, runID: runID, events: whole)
        #expect(loaded.machine.lastSeq == replayed.lastSeq)
        #expect(loaded.machine.status == replayed.status)
        #expect(loaded.machine.update(finishedAt: Timestamp(milliseconds: 0)) == replayed.update(finishedAt: Timestamp(milliseconds: 0)))
    }

    @Test func aDivergenceOnALaterPageIsReportedAtItsEvent() async throws {
        let store = InMemoryRunStore()
        let source = Self.loop(visits: 2 * RunLoader.pageSize)
        let engine = Engine(store: store, executor: UnusedExecutor(), configuration: EngineConfiguration(workerID: "test"))
        let runID = try await engine.start(plan: try compile(source), source: source, path: "loop.yaml", input: [:]).runID
        // Allowing fewer visits, the edited loop ends where the history goes on.
        let edited = try compile(Self.loop(visits: RunLoader.pageSize + 10))
        do {
            _ = try await RunLoader.load(runID: runID, plan: edited, store: store)
            Issue.record("the edited loop replayed without a divergence")
        } catch let fault as EngineFault {
            guard case .nondeterminism(let error) = fault else { throw fault }
            #expect(error.seq > RunLoader.pageSize)
        }
    }

    /// The loop has no activities: an executor that is called is a bug.
    struct UnusedExecutor: ActivityExecutor {
        func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
            Issue.record("an activity ran")
            return .failed(RunError(type: "unexpected", message: "no activity expected"), retryAfter: nil)
        }
    }
}
