import ApexDSL
import Testing

@testable import ApexEngine

/// `wait` steps and signals: the inbox, FIFO consumption, time limits.
@Suite struct MachineSignalTests {
    static let approvals = """
        apex: 1
        name: approvals
        llm: { provider: mock }
        steps:
          - id: draft
            llm: { prompt: Draft. }
          - id: first
            wait: { signal: approve, schema: { type: object } }
          - id: second
            wait: { signal: approve }
          - id: sign_off
            wait: { signal: sign, timeout: 2h }
            catch:
              - errors: [timeout]
                next: escalate
          - id: done
            set: { result: "${{ [steps.first.output, steps.second.output, steps.sign_off.output] }}" }
            next: end
          - id: escalate
            set: { result: "${{ steps.sign_off.error.message }}" }
        output: ${{ vars.result }}
        """

    @Test func signalsSentBeforeTheWaitAreConsumedOldestFirstOnePerWait() throws {
        let run = try ScriptedRun(Self.approvals, World(signals: [
            .init(name: "approve", payload: ["n": 1]), .init(name: "approve", payload: ["n": 2]),
            .init(name: "sign", payload: "ok", whenWaiting: true),
        ]))
        #expect(run.machine.output == [["n": 1], ["n": 2], "ok"])
        #expect(run.summaries(of: "first") == ["StepScheduled first (visit 1)", "SignalConsumed first (visit 1, signal sig-1)", "StepCompleted first (visit 1)"])
        #expect(run.summaries(of: "second") == ["StepScheduled second (visit 1)", "SignalConsumed second (visit 1, signal sig-2)", "StepCompleted second (visit 1)"])
        #expect(run.summaries(of: "sign_off") == [
            "StepScheduled sign_off (visit 1)", "TimerStarted wait:sign_off#1 (fires at 2027-01-15T10:00:05.000Z)",
            "SignalConsumed sign_off (visit 1, signal sig-3)", "StepCompleted sign_off (visit 1)",
        ])
        #expect(run.machine.pendingTimers.isEmpty, "a wait that got its signal drops its timer")
    }

    @Test func aWaitPastItsTimeoutFailsWithTimeoutIntoItsCatch() throws {
        let run = try ScriptedRun(Self.approvals, World(signals: [.init(name: "approve", payload: 1), .init(name: "approve", payload: 2)]))
        #expect(run.machine.output == "no signal \"sign\" arrived within 2h")
        #expect(run.record("sign_off")?.status == .failed)
        #expect(run.summaries(of: "sign_off").suffix(2) == ["TimerFired wait:sign_off#1", "StepFailed sign_off (visit 1): timeout"])
    }

    @Test func aWaitingRunSaysWhichSignalsItWaitsFor() throws {
        let run = try ScriptedRun(Self.approvals, World(signals: [.init(name: "approve", payload: 1)]))
        #expect(run.machine.status == .running)
        #expect(run.machine.waitingSignals == ["approve"])
        #expect(run.machine.currentStep == "second")
        #expect(run.record("second")?.status == .waiting)
        #expect(run.machine.nextDecision() == nil)
    }

    @Test func signalSchemasListEveryWaitOfEachSignalName() throws {
        let schemas = RunMachine.signalSchemas(in: try MachinePlans.plan(Self.approvals))
        #expect(schemas.keys.sorted() == ["approve", "sign"])
        #expect(schemas["approve"]?.count == 2)
        #expect(schemas["approve"]?.first??.accepts(["any": 1]) == true)
        #expect(schemas["approve"]?.first??.accepts(3) == false)
        #expect(schemas["approve"]?.last ?? nil == nil)
        #expect(schemas["sign"]?.count == 1)
    }

    @Test func cancellingARunWithAPendingActivityCancelsItsSteps() throws {
        let run = try ScriptedRun(Self.approvals, World(silent: ["draft"], cancelWhen: { !$0.pendingActivities.isEmpty }))
        #expect(run.summaries == ["RunStarted approvals", "StepScheduled draft (visit 1)", "CancelRequested", "RunCancelled"])
        #expect(run.machine.status == .cancelled)
        #expect(run.machine.error == RunError(type: "cancelled", message: "the run was cancelled: scripted"))
        #expect(run.record("draft")?.status == .cancelled)
        #expect(run.machine.pendingActivities.isEmpty)
        #expect(run.machine.currentStep == nil)
    }
}
