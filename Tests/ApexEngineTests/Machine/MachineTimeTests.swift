import ApexDSL
import Testing

@testable import ApexEngine

/// Durable time: `sleep` timers, the run's own timeout, and the only clock deciding sees being
/// the `at` of the last event.
@Suite struct MachineTimeTests {
    @Test func sleepStartsATimerFromTheTimeOfItsScheduling() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: napping
            steps:
              - id: nap
                sleep: 1h30m
              - id: after
                set: { woke: "${{ steps.nap.finished_at }}" }
            output: ${{ vars.woke }}
            """)
        #expect(run.summaries == [
            "RunStarted napping", "StepScheduled nap (visit 1)",
            "TimerStarted sleep:nap#1 (fires at 2027-01-15T09:30:01.000Z)", "TimerFired sleep:nap#1",
            "StepCompleted nap (visit 1)", "StepScheduled after (visit 1)", "StepCompleted after (visit 1)", "RunCompleted",
        ])
        #expect(run.machine.output == "2027-01-15T09:30:01.000Z")
        #expect(run.record("nap")?.output == .null)
    }

    @Test func aSleepingStepWaitsOnItsTimer() throws {
        let plan = try MachinePlans.plan("""
            apex: 1
            name: napping
            steps:
              - id: nap
                sleep: ${{ input.seconds }}
            """)
        var machine = RunMachine(plan: plan, runID: "r")
        let at = ScriptedRun.startedAt
        var history = [Event(seq: 1, at: at, kind: .runStarted(workflow: "napping", definitionHash: "h", input: ["seconds": 2.5], startedAt: at))]
        try machine.apply(history[0])
        while let decision = machine.nextDecision() {
            history.append(Event(seq: machine.lastSeq + 1, at: at.adding(.seconds(3)), kind: decision))
            try machine.apply(history.last!)
        }
        // The timer is computed from the `at` of the StepScheduled before it.
        #expect(machine.pendingTimers == [PendingTimer(id: "sleep:nap#1", fireAt: at.adding(Duration(milliseconds: 5500)))])
        #expect(machine.stepRecords.first?.status == .waiting)
        #expect(machine.currentStep == "nap")
        try ScriptedRun.expectReplay(of: machine, history: history)
    }

    @Test(arguments: [
        (JSONValue.string("2027-03-01T12:00:00Z"), "TimerStarted sleep:nap#1 (fires at 2027-03-01T12:00:00.000Z)"),
        ("2020-01-01T00:00:00+02:00", "TimerStarted sleep:nap#1 (fires at 2019-12-31T22:00:00.000Z)"),
    ])
    func sleepUntilStartsATimerAtThatTimeEvenIfPast(until: JSONValue, started: String) throws {
        let run = try ScriptedRun("""
            apex: 1
            name: napping
            steps:
              - id: nap
                sleep: { until: "${{ input.until }}" }
            """, World(input: ["until": until]))
        #expect(run.summaries.contains(started))
        #expect(run.machine.status == .completed)
    }

    @Test(arguments: [JSONValue.string("tomorrow"), .int(5), .null])
    func sleepUntilSomethingNotATimeIsAnExpressionError(until: JSONValue) throws {
        let run = try ScriptedRun("""
            apex: 1
            name: napping
            steps:
              - id: nap
                sleep: { until: "${{ input.until }}" }
            """, World(input: ["until": until]))
        #expect(run.summaries == ["RunStarted napping", "StepScheduled nap (visit 1)", "StepFailed nap (visit 1): expression", "RunFailed (expression)"])
    }

    static let slow = """
        apex: 1
        name: slow
        timeout: 1h
        llm: { provider: mock }
        steps:
          - id: think
            llm: { prompt: Think hard. }
        """

    @Test func theRunTimesOutWhenItsTimerFires() throws {
        let run = try ScriptedRun(Self.slow, World(silent: ["think"]))
        #expect(run.summaries == [
            "RunStarted slow", "TimerStarted run-timeout (fires at 2027-01-15T09:00:00.000Z)", "StepScheduled think (visit 1)",
            "TimerFired run-timeout", "RunTimedOut",
        ])
        #expect(run.machine.status == .timedOut)
        #expect(run.machine.error?.type == "timeout")
        #expect(run.record("think")?.status == .cancelled)
        #expect(run.machine.pendingActivities.isEmpty)
    }

    @Test func aRunThatEndsInTimeDropsItsTimeoutTimer() throws {
        let run = try ScriptedRun(Self.slow)
        #expect(run.machine.status == .completed)
        #expect(run.machine.pendingTimers.isEmpty)
        #expect(!run.summaries.contains("TimerFired run-timeout"))
    }
}
