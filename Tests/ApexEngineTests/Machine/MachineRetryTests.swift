import ApexDSL
import Testing

@testable import ApexEngine

/// Activity attempts: back-off timers between attempts, retries running out, and errors that
/// are never retried.
@Suite struct MachineRetryTests {
    static let draft = """
        apex: 1
        name: drafting
        llm: { provider: mock }
        steps:
          - id: draft
            llm: { prompt: Write. }
            retry: { max_attempts: 3, initial_interval: 2s, backoff: 2, jitter: 0, non_retryable: [llm.invalid_request] }
            catch:
              - errors: [llm.*]
                next: fallback
          - id: publish
            set: { text: "${{ steps.draft.output.text }}", attempts: "${{ steps.draft.attempts }}" }
            next: end
          - id: fallback
            set: { text: canned, cause: "${{ steps.draft.error.type }}" }
        output: ${{ vars }}
        """

    @Test func aFailedAttemptIsRetriedAfterItsBackOffTimer() throws {
        let run = try ScriptedRun(Self.draft, World(outcomes: ["draft": [
            .failure("llm.rate_limited"), .failure("llm.server_error"), .output(["text": "third time"]),
        ]]))
        #expect(run.summaries(of: "draft") == [
            "StepScheduled draft (visit 1)", "StepStarted draft (visit 1)",
            "StepFailed draft (visit 1): llm.rate_limited, retry at 2027-01-15T08:00:05.000Z",
            "TimerStarted retry:draft#1.1 (fires at 2027-01-15T08:00:05.000Z)", "TimerFired retry:draft#1.1",
            "StepScheduled draft (visit 1, attempt 2)", "StepStarted draft (visit 1, attempt 2)",
            "StepFailed draft (visit 1, attempt 2): llm.server_error, retry at 2027-01-15T08:00:11.000Z",
            "TimerStarted retry:draft#1.2 (fires at 2027-01-15T08:00:11.000Z)", "TimerFired retry:draft#1.2",
            "StepScheduled draft (visit 1, attempt 3)", "StepStarted draft (visit 1, attempt 3)",
            "StepCompleted draft (visit 1, attempt 3)",
        ])
        #expect(run.machine.output == ["text": "third time", "attempts": 3])
        #expect(run.record("draft")?.attempts == 3)
        #expect(run.record("draft")?.error == nil)
    }

    @Test func anAttemptWaitingForItsRetryIsNotPending() throws {
        let run = try ScriptedRun(Self.draft, World(outcomes: ["draft": [.failure("llm.timeout")]], silent: ["draft"]))
        // The first attempt has no answer: it stays pending.
        #expect(run.machine.pendingActivities.map(\.attempt) == [1])
        var machine = run.machine
        let at = run.machine.now.adding(.seconds(1))
        let failed = Event(seq: machine.lastSeq + 1, at: at, kind: .stepFailed(
            step: "draft", visit: 1, attempt: 1, error: RunError(type: "llm.timeout", message: "slow"), retryAt: at.adding(.seconds(2))))
        try machine.apply(failed)
        try ScriptedRun.expectReplay(of: machine, history: run.history + [failed])
        #expect(machine.pendingActivities.isEmpty)
        #expect(machine.nextDecision() == .timerStarted(timer: "retry:draft#1.1", fireAt: at.adding(.seconds(2))))
        #expect(machine.stepRecords.last?.status == .waiting)
        #expect(machine.stepRecords.last?.error?.type == "llm.timeout")
    }

    @Test func retriesRunningOutFailTheStepIntoItsCatch() throws {
        let run = try ScriptedRun(Self.draft, World(outcomes: ["draft": [
            .failure("llm.overloaded"), .failure("llm.overloaded"), .failure("llm.overloaded"),
        ]]))
        #expect(run.record("draft")?.status == .failed)
        #expect(run.record("draft")?.attempts == 3)
        #expect(run.summaries.filter { $0.hasPrefix("TimerStarted retry:") }.count == 2)
        #expect(run.summaries.contains("StepFailed draft (visit 1, attempt 3): llm.overloaded"))
        #expect(run.machine.output == ["text": "canned", "cause": "llm.overloaded"])
    }

    @Test func aNonRetryableErrorFailsAtOnce() throws {
        let run = try ScriptedRun(Self.draft, World(outcomes: ["draft": [.failure("llm.invalid_request")]]))
        #expect(run.record("draft")?.attempts == 1)
        #expect(!run.summaries.contains { $0.hasPrefix("TimerStarted") })
        #expect(run.machine.output == ["text": "canned", "cause": "llm.invalid_request"])
    }

    @Test func anUncaughtFinalErrorFailsTheRun() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: calling
            steps:
              - id: call
                http: { url: "https://example.com/api" }
                retry: { max_attempts: 2, initial_interval: 1s }
            """, World(outcomes: ["call": [.failure("http.status", details: ["status": 503]), .failure("http.status", details: ["status": 404])]]))
        #expect(run.record("call")?.attempts == 2)
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "http.status")
        #expect(run.machine.error?.attempt == 2)
        #expect(run.summaries.last == "RunFailed (http.status)")
    }
}
