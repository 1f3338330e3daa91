import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// The durable seam of multi-turn activities: an attempt checkpoints each turn, and after its
/// process dies the visit's next attempt resumes after the latest checkpoint, so no finished
/// turn runs again.
@Suite struct CheckpointTests {
    static let workflow = """
        apex: 1
        name: turns
        llm: {provider: mock}
        steps:
          - id: agent
            llm: {prompt: investigate}
            retry: {max_attempts: 3, initial_interval: 10ms}
        output: ${{ steps.agent.output.text }}
        """

    /// Three turns, each made durable; the first attempt never finishes its third turn.
    final class ThreeTurns: ActivityExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var ran: [String] = []
        var turns: [String] { lock.withLock { ran } }

        func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
            let done = request.checkpoint?["turn"]?.numberValue.map { Int($0) } ?? 0
            for turn in stride(from: done + 1, through: 3, by: 1) {
                lock.withLock { ran.append("attempt \(request.attempt) turn \(turn)") }
                if request.attempt == 1, turn == 3 {
                    // The process dies during this turn (its task is cancelled below).
                    try? await Task.sleep(nanoseconds: 3_600_000_000_000)
                    return .failed(RunError(type: "cancelled", message: "stopped"), retryAfter: nil)
                }
                do { try await progress.checkpoint(["turn": .int(turn)]) } catch {
                    return .failed(RunError(type: "cancelled", message: "not recorded"), retryAfter: nil)
                }
            }
            return .completed(output: ["text": .string("answered after \(done) durable turns")], usage: nil)
        }
    }

    @Test func aCrashedAttemptsSuccessorResumesAfterTheLatestCheckpoint() async throws {
        let store = InMemoryRunStore()
        let executor = ThreeTurns()
        let configuration = { (worker: String) in EngineConfiguration(workerID: worker, leaseDuration: Duration(milliseconds: 300)) }
        let first = Engine(store: store, executor: executor, configuration: configuration("first"))
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.workflow.utf8), path: "turns.yaml"))
        let runID = try await first.start(plan: plan, source: Self.workflow, path: "turns.yaml", input: [:]).runID

        let dying = Task { try await first.drive(runID: runID) }
        try await withTimeLimit(seconds: 60, "two checkpoints") {
            while try await store.events(runID: runID, after: 0).filter({ $0.kind.type == "StepCheckpointed" }).count < 2 {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
        }
        dying.cancel()
        _ = try? await dying.value

        let second = Engine(store: store, executor: executor, configuration: configuration("second"))
        guard case .finished(let record) = try await withTimeLimit(seconds: 60, "the second driver", { try await second.drive(runID: runID) }) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed)
        #expect(record.output == "answered after 2 durable turns")
        #expect(executor.turns == ["attempt 1 turn 1", "attempt 1 turn 2", "attempt 1 turn 3", "attempt 2 turn 3"])
        let history = try await store.events(runID: runID, after: 0).map(\.kind)
        let checkpoints = history.compactMap { kind -> String? in
            guard case .stepCheckpointed(_, _, let attempt, let data) = kind else { return nil }
            return "\(attempt):\(data["turn"]?.compactJSON ?? "")"
        }
        #expect(checkpoints == ["1:1", "1:2", "2:3"])
        #expect(history.contains { if case .stepFailed(_, _, 1, let error, _) = $0 { error.type == "worker.lost" } else { false } })
        // The history with its checkpoints replays.
        _ = try Replayer.replay(plan: plan, runID: runID, events: try await store.events(runID: runID, after: 0))
    }
}
