import ApexCompiler
import ApexDSL
import ApexTesting
import Foundation
import Testing

@testable import ApexEngine

/// An attempt that waits for a signal (an agent's approval or question) ends suspended: the run
/// waits without an attempt in flight, and the signal (or the time limit) schedules the next
/// attempt, which gets it as its answer and resumes from the latest checkpoint.
@Suite struct SuspensionTests {
    static let workflow = """
        apex: 1
        name: asks
        steps:
          - id: ask
            agent:
              provider: mock
              prompt: ask
              tools:
                - name: ask_person
                  wait: {signal: go}
            retry: {max_attempts: 2, initial_interval: 10ms}
        output: ${{ steps.ask.output }}
        """

    /// Checkpoints, then asks for signal `go` (with `timeout`); resumed, it answers with what it
    /// got. With `failing`, the first attempts after the resumption fail that many times.
    final class AsksOnce: ActivityExecutor, @unchecked Sendable {
        let timeout: Duration?
        let failing: Int
        private let lock = NSLock()
        private var seen: [String] = []
        var attempts: [String] { lock.withLock { seen } }

        init(timeout: Duration? = nil, failing: Int = 0) {
            self.timeout = timeout
            self.failing = failing
        }

        func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
            lock.withLock { seen.append("\(request.attempt) base \(request.retryBase) answer \(request.answer?.compactJSON ?? "-")") }
            if request.checkpoint == nil {
                do { try await progress.checkpoint(["asked": true]) } catch { return .failed(RunError(type: "cancelled", message: "not recorded"), retryAfter: nil) }
                return .suspended(signal: "go", timeout: timeout)
            }
            if request.attempt - request.retryBase <= failing {
                return .failed(RunError(type: "llm.server_error", message: "scripted"), retryAfter: nil)
            }
            return .completed(output: request.answer ?? request.checkpoint ?? .null, usage: nil)
        }
    }

    func start(_ executor: AsksOnce) async throws -> (Engine, InMemoryRunStore, Plan, String) {
        let store = InMemoryRunStore()
        let engine = Engine(store: store, executor: executor, configuration: EngineConfiguration(workerID: "one"))
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Self.workflow.utf8), path: "asks.yaml"))
        let runID = try await engine.start(plan: plan, source: Self.workflow, path: "asks.yaml", input: [:]).runID
        return (engine, store, plan, runID)
    }

    @Test func aSignalResumesTheSuspendedStepWithItsPayload() async throws {
        let executor = AsksOnce()
        let (engine, store, plan, runID) = try await start(executor)
        guard case .waiting(nil) = try await engine.drive(runID: runID, untilFinished: false) else {
            Issue.record("the run should wait for the signal with no timer")
            return
        }
        #expect(try await store.run(id: runID)?.status == .running)
        let waiting = try Replayer.replay(plan: plan, runID: runID, events: try await store.events(runID: runID, after: 0))
        #expect(waiting.waitingSignals == ["go"])
        #expect(waiting.pendingActivities.isEmpty)

        _ = try await engine.signal(runID: runID, name: "go", payload: ["approve": true])
        guard case .finished(let record) = try await engine.drive(runID: runID) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed)
        #expect(record.output?["payload"] == ["approve": true])
        #expect(record.output?["signal"] == "go")
        #expect(executor.attempts.count == 2)
        #expect(executor.attempts.first == "1 base 0 answer -")
        #expect(executor.attempts.last?.hasPrefix("2 base 1 answer {\"signal\":\"go\",\"payload\":{\"approve\":true}") == true)
        let types = try await store.events(runID: runID, after: 0).map(\.kind.type)
        #expect(types == ["RunStarted", "StepScheduled", "StepStarted", "StepCheckpointed", "StepSuspended", "SignalReceived", "SignalConsumed",
                          "StepScheduled", "StepStarted", "StepCompleted", "RunCompleted"])
        _ = try Replayer.replay(plan: plan, runID: runID, events: try await store.events(runID: runID, after: 0))
    }

    @Test func theTimeLimitResumesItWithTimedOut() async throws {
        let executor = AsksOnce(timeout: Duration(milliseconds: 50))
        let (engine, store, plan, runID) = try await start(executor)
        guard case .finished(let record) = try await withTimeLimit(seconds: 60, "the run", { try await engine.drive(runID: runID) }) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.output == ["signal": "go", "timed_out": true])
        let types = try await store.events(runID: runID, after: 0).map(\.kind.type)
        #expect(types.contains("TimerFired"))
        #expect(!types.contains("SignalConsumed"))
        _ = try Replayer.replay(plan: plan, runID: runID, events: try await store.events(runID: runID, after: 0))
    }

    /// `max_attempts: 2` counts from the resumption: the attempt that suspended and the one that
    /// checkpointed did not fail, so one failure after them is still retried.
    @Test func theRetryPolicyCountsFromTheLatestSuspension() async throws {
        let executor = AsksOnce(failing: 1)
        let (engine, store, _, runID) = try await start(executor)
        _ = try await engine.drive(runID: runID, untilFinished: false)
        _ = try await engine.signal(runID: runID, name: "go", payload: "yes")
        guard case .finished(let record) = try await withTimeLimit(seconds: 60, "the run", { try await engine.drive(runID: runID) }) else {
            Issue.record("the run did not finish")
            return
        }
        #expect(record.status == .completed)
        #expect(executor.attempts.count == 3)
        // The answer survives a failed attempt: the attempt after it has it too.
        #expect(executor.attempts.last?.contains("\"payload\":\"yes\"") == true)
        #expect(try await store.events(runID: runID, after: 0).filter { $0.kind.type == "StepFailed" }.count == 1)
    }

    /// `apex signal` checks payloads against what a suspended tool waits for: an approval's schema.
    @Test func approvalSignalsOfAgentToolsHaveTheApprovalSchema() throws {
        let source = """
            apex: 1
            name: approve
            steps:
              - id: act
                agent:
                  provider: mock
                  prompt: refund it
                  tools:
                    - name: refund
                      input: {type: object}
                      http: {method: POST, url: "http://127.0.0.1:1/refunds"}
                      approval: {signal: approve_refund, timeout: 4h}
            """
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: "approve.yaml"))
        let schemas = RunMachine.signalSchemas(in: plan)
        let schema = try #require(schemas["approve_refund"]?.first ?? nil)
        #expect(schema.validate(["approve": false, "reason": "too much"]).isEmpty)
        #expect(!schema.validate(["approve": "yes"]).isEmpty)
        #expect(!schema.validate(["reason": "no"]).isEmpty)
    }
}
