import ApexDSL
import Testing

@testable import ApexEngine

/// `parallel`: branches as threads of their own, the join, and the first failing branch
/// cancelling the others.
@Suite struct MachineParallelTests {
    static let fanOut = """
        apex: 1
        name: fan_out
        llm: { provider: mock }
        steps:
          - id: both
            parallel:
              english:
                - id: translate_en
                  llm: { prompt: Translate to English. }
                - id: polish_en
                  set: { en: "${{ steps.translate_en.output }}" }
              french:
                - id: translate_fr
                  llm: { prompt: Translate to French. }
                  retry: { max_attempts: 1 }
            catch:
              - errors: [Untranslatable]
                next: apologise
          - id: report
            set: { result: "${{ steps.both.output }}" }
            next: end
          - id: apologise
            set: { result: "${{ steps.both.error.message }}" }
          - id: cool_down
            sleep: 1s
        output: ${{ vars.result }}
        """

    @Test func everyBranchRunsAndTheStepOutputsEachBranchsLastStep() throws {
        let run = try ScriptedRun(Self.fanOut, World(outcomes: ["translate_en": [.output("hello")], "translate_fr": [.output("bonjour")]]))
        #expect(run.machine.status == .completed)
        #expect(run.machine.output == ["english": ["en": "hello"], "french": "bonjour"])
        #expect(Array(run.summaries.prefix(4)) == [
            "RunStarted fan_out", "StepScheduled both (visit 1)", "StepScheduled translate_en (visit 1)", "StepScheduled translate_fr (visit 1)",
        ])
        #expect(run.maxPending == 2)
        #expect(run.record("both")?.status == .completed)
    }

    @Test func theFirstFailingBranchFailsTheStepAndCancelsItsSiblings() throws {
        let run = try ScriptedRun(Self.fanOut, World(
            outcomes: ["translate_fr": [.failure("Untranslatable")], "translate_en": [.output("late hello")]],
            held: ["translate_en"]))
        #expect(run.machine.status == .completed)
        #expect(run.machine.output == "Untranslatable on attempt 1")
        #expect(run.record("both")?.status == .failed)
        #expect(run.record("both")?.error?.type == "Untranslatable")
        #expect(run.record("translate_en")?.status == .cancelled)
        #expect(run.record("translate_fr")?.status == .failed)
        #expect(run.record("polish_en") == nil)
        #expect(run.summaries.contains("StepFailed both (visit 1): Untranslatable"))
        // The cancelled branch's answer came after the run moved on, and was ignored.
        let late = try #require(run.history.firstIndex { $0.kind.summary == "StepCompleted translate_en (visit 1)" })
        let failed = try #require(run.history.firstIndex { $0.kind.summary == "StepFailed both (visit 1): Untranslatable" })
        #expect(late > failed)
        #expect(run.history[late].at < run.history.last!.at, "the late answer came while the run was still running")
        #expect(run.machine.pendingActivities.isEmpty)
    }

    @Test func aCancelledBranchIsNoLongerPending() throws {
        var run = try ScriptedRun(Self.fanOut, World(outcomes: ["translate_fr": [.failure("Untranslatable")]], silent: ["translate_en"]))
        #expect(run.machine.status == .completed)
        #expect(run.machine.pendingActivities.isEmpty)
        _ = run
        run = try ScriptedRun(Self.fanOut, World(silent: ["translate_en", "translate_fr"]))
        #expect(run.machine.pendingActivities.map(\.step) == ["translate_en", "translate_fr"])
        #expect(run.machine.currentStep == "translate_fr")
        #expect(run.record("both")?.status == .running)
    }

    @Test func aFailStepInABranchIsCaughtOnTheEnclosingParallel() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: guarded
            steps:
              - id: checks
                parallel:
                  name:
                    - id: wait_a_bit
                      sleep: 5s
                  size:
                    - id: measure
                      set: { size: "${{ input.size }}" }
                    - id: too_big
                      if: ${{ vars.size > 10 }}
                      fail: { error: TooBig, message: "size ${{ vars.size }} is over 10" }
                catch:
                  - errors: [TooBig]
                    next: shrink
              - id: accept
                set: { verdict: accepted }
                next: end
              - id: shrink
                set: { verdict: "${{ steps.checks.error.message }}" }
            output: ${{ vars.verdict }}
            """, World(input: ["size": 12]))
        #expect(run.machine.output == "size 12 is over 10")
        #expect(run.record("wait_a_bit")?.status == .cancelled)
        #expect(run.summaries.contains("TimerStarted sleep:wait_a_bit#1 (fires at 2027-01-15T08:00:06.000Z)"))
        #expect(!run.summaries.contains("TimerFired sleep:wait_a_bit#1"), "a cancelled branch's timer is dropped")
        #expect(run.machine.pendingTimers.isEmpty)
        #expect(run.machine.error == nil)
    }

    @Test func anUncaughtBranchFailureFailsTheRun() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: doomed
            steps:
              - id: split
                parallel:
                  one:
                    - id: boom
                      fail: { error: Boom, message: no }
                  two:
                    - id: fine
                      set: { ok: true }
            """)
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "Boom")
        #expect(run.machine.error?.step == "boom")
        #expect(run.summaries == [
            "RunStarted doomed", "StepScheduled split (visit 1)", "StepScheduled boom (visit 1)",
            "StepFailed boom (visit 1): Boom", "StepFailed split (visit 1): Boom", "RunFailed (Boom)",
        ])
        #expect(run.machine.stepRecords.map(\.key) == ["split", "boom"], "the sibling never started")
    }
}
