import ApexDSL
import Testing

@testable import ApexEngine

/// Straight-line runs: `set` and activity steps one after another, `if`, `vars`, `output`, and
/// expression errors. Every scenario also replays from its history (``ScriptedRun``).
@Suite struct MachineLinearTests {
    static let linear = """
        apex: 1
        name: linear
        llm: { provider: mock }
        vars: { greeting: "hello ${{ input.name }}", count: 1 }
        steps:
          - id: remember
            set: { count: "${{ vars.count + 1 }}", seen: "${{ vars.count }}" }
          - id: summarize
            llm: { prompt: "Summarize for ${{ vars.greeting }}" }
          - id: finish
            set: { summary: "${{ steps.summarize.output.text }}" }
        output:
          summary: ${{ vars.summary }}
          count: ${{ vars.count }}
          run: ${{ run.id }}
        """

    @Test func linearSetAndLLMStepsCompleteTheRunWithItsOutput() throws {
        let run = try ScriptedRun(Self.linear, World(outcomes: ["summarize": [.output(["text": "short"], usage: Usage(inputTokens: 5, outputTokens: 2))]],
                                                     input: ["name": "Ada"]))
        #expect(run.summaries == [
            "RunStarted linear",
            "StepScheduled remember (visit 1)", "StepCompleted remember (visit 1)",
            "StepScheduled summarize (visit 1)",
            "StepStarted summarize (visit 1)", "StepCompleted summarize (visit 1)",
            "StepScheduled finish (visit 1)", "StepCompleted finish (visit 1)",
            "RunCompleted",
        ])
        #expect(run.machine.status == .completed)
        #expect(run.machine.output == ["summary": "short", "count": 2, "run": "run-1"])
        #expect(run.record("remember")?.output == ["count": 2, "seen": 1], "a set sees the old vars")
        #expect(run.record("summarize")?.usage == Usage(inputTokens: 5, outputTokens: 2))
        #expect(run.machine.stepRecords.map(\.status) == [.completed, .completed, .completed])
        #expect(run.machine.currentStep == nil)
        #expect(run.machine.pendingTimers.isEmpty)
    }

    @Test func anActivityIsPendingWithItsContextAndIdempotencyKey() throws {
        var machine = RunMachine(plan: try MachinePlans.plan(Self.linear), runID: "r9")
        var history: [Event] = []
        let at = ScriptedRun.startedAt
        func apply(_ kind: EventKind) throws {
            history.append(Event(seq: machine.lastSeq + 1, at: at, kind: kind))
            try machine.apply(history.last!)
        }
        try apply(.runStarted(workflow: "linear", definitionHash: "h", input: ["name": "Bo"], startedAt: at))
        while let decision = machine.nextDecision() { try apply(decision) }
        let request = try #require(machine.pendingActivities.first)
        #expect(machine.pendingActivities.count == 1)
        #expect(request.step == "summarize" && request.kind == .llm && request.visit == 1 && request.attempt == 1)
        #expect(request.idempotencyKey == "r9/summarize/1")
        #expect(request.scheduledAt == at)
        #expect(request.retry != nil)
        #expect(request.context.roots["vars"]?["greeting"] == "hello Bo")
        #expect(request.context.roots["steps"]?["remember"]?["status"] == "completed")
        #expect(request.context.roots["run"]?["id"] == "r9")
        #expect(request.context.roots["secrets"] == nil)
        #expect(machine.currentStep == "summarize")
        #expect(machine.stepRecords.last?.status == .scheduled)
        try apply(.stepStarted(step: "summarize", visit: 1, attempt: 1, worker: "w"))
        #expect(machine.stepRecords.last?.status == .running)
        #expect(machine.nextDecision() == nil)
        try ScriptedRun.expectReplay(of: machine, history: history)
    }

    @Test func aFalseIfSkipsTheStepAndFlowsToItsNext() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: skipping
            steps:
              - id: prepare
                set: { ready: false }
              - id: notify
                if: ${{ vars.ready }}
                set: { notified: true }
                next: done
              - id: never
                set: { wrong: true }
              - id: done
                set: { finished: true }
            output: ${{ steps.notify.status }}
            """)
        #expect(run.summaries.contains("StepSkipped notify (visit 1)"))
        #expect(!run.summaries.contains { $0.contains("never") })
        #expect(run.record("notify")?.status == .skipped)
        #expect(run.record("notify")?.finishedAt != nil)
        #expect(run.machine.output == "skipped")
    }

    @Test func anExpressionErrorFailsTheStepWithTypeExpression() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: broken
            steps:
              - id: compute
                set: { ratio: "${{ 1 / input.zero }}" }
            """, World(input: ["zero": 0]))
        #expect(run.summaries == ["RunStarted broken", "StepScheduled compute (visit 1)", "StepFailed compute (visit 1): expression", "RunFailed (expression)"])
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "expression")
        #expect(run.machine.error?.step == "compute")
        #expect(run.machine.error?.message.hasPrefix("set.ratio: ") == true)
    }

    @Test func anExpressionErrorIsCaughtLikeAnyError() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: caught
            steps:
              - id: check
                if: ${{ input.list[0].name.first }}
                set: { ok: true }
                catch:
                  - errors: [expression]
                    next: recover
              - id: skipped_over
                set: { no: true }
              - id: recover
                set: { recovered: "${{ steps.check.error.type }}" }
            output: ${{ vars }}
            """, World(input: ["list": [["name": 3]]]))
        #expect(run.machine.status == .completed)
        #expect(run.record("check")?.status == .failed)
        #expect(run.machine.output == ["recovered": "expression"])
    }

    /// `input.missing` is null only at run time, so `apex validate` cannot see that `*` fails.
    @Test func outputEvaluationErrorFailsTheRun() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: bad_output
            steps:
              - id: only
                set: { value: 1 }
            output: ${{ vars.value + input.missing * 2 }}
            """)
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "expression")
        #expect(run.machine.error?.message.hasPrefix("output: ") == true)
        #expect(run.summaries.last == "RunFailed (expression)")
    }

    /// The input has no schema: only the run knows that `unit` is a string.
    @Test func varsEvaluationErrorFailsTheRunAtOnce() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: bad_vars
            vars: { limit: "${{ input.n * input.unit }}" }
            steps:
              - id: only
                set: { value: 1 }
            """, World(input: ["n": 2, "unit": "x"]))
        #expect(run.summaries == ["RunStarted bad_vars", "RunFailed (expression)"])
        #expect(run.machine.error?.message.hasPrefix("vars.limit: ") == true)
    }

    @Test func aRunWithoutOutputCompletesWithNull() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: quiet
            steps:
              - id: only
                fail: { error: Never, message: unused }
                if: false
            """)
        #expect(run.machine.status == .completed)
        #expect(run.machine.output == .null)
        #expect(run.summaries.last == "RunCompleted")
    }
}
