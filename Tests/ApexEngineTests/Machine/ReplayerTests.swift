import ApexDSL
import Testing

@testable import ApexEngine

/// Replaying histories: continuing where a history stops, nondeterminism against edited
/// workflows (`APEX-R001`), and corrupt histories (`APEX-R002`).
@Suite struct ReplayerTests {
    static let triage = """
        apex: 1
        name: triage
        llm: { provider: mock }
        steps:
          - id: classify
            llm: { prompt: Classify. }
          - id: route
            switch:
              - when: ${{ steps.classify.output == 'bug' }}
                next: draft
              - default: send
          - id: draft
            llm: { prompt: Draft. }
          - id: send
            http: { method: POST, url: "https://example.com/send" }
        output: ${{ steps.send.output }}
        """

    static func recorded() throws -> ScriptedRun {
        try ScriptedRun(triage, World(outcomes: ["classify": [.output("bug")]]))
    }

    /// The fault `body` throws, if it is an ``EngineFault``.
    static func fault(_ body: () throws -> Void) -> EngineFault? {
        do {
            try body()
            return nil
        } catch {
            return error as? EngineFault
        }
    }

    static func nondeterminism(_ body: () throws -> Void) -> NondeterminismError? {
        guard case .nondeterminism(let error)? = fault(body) else { return nil }
        return error
    }

    static func fatal(_ body: () throws -> Void) -> String? {
        guard case .fatal(let message)? = fault(body) else { return nil }
        return message
    }

    @Test func replayingAPrefixContinuesWithTheNextRecordedDecision() throws {
        let run = try Self.recorded()
        for cut in 1..<run.history.count {
            let machine = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: Array(run.history.prefix(cut)))
            let next = run.history[cut]
            if machine.isDecision(next.kind) {
                #expect(machine.nextDecision() == next.kind, "after event \(cut)")
            } else {
                #expect(machine.nextDecision() == nil, "after event \(cut)")
            }
        }
    }

    @Test func aRenamedStepIsNondeterministicAtItsFirstScheduling() throws {
        let run = try Self.recorded()
        let edited = try MachinePlans.plan(Self.triage.replacingOccurrences(of: "draft", with: "compose"))
        let error = try #require(Self.nondeterminism { _ = try Replayer.replay(plan: edited, runID: ScriptedRun.runID, events: run.history) })
        let seq = try #require(run.history.first { $0.kind.summary == "StepScheduled draft (visit 1)" }?.seq)
        #expect(error.code == "APEX-R001")
        #expect(error.seq == seq)
        #expect(error.recorded == "StepScheduled draft (visit 1)")
        #expect(error.expected == "StepScheduled compose (visit 1)")
        #expect(error.message == "event \(seq): history has StepScheduled draft (visit 1), but the workflow now decides StepScheduled compose (visit 1)")
        #expect(EngineFault.nondeterminism(error).description.hasPrefix("[APEX-R001] event \(seq): "))
    }

    @Test func aChangedSwitchIsNondeterministicWhereTheRouteDiffers() throws {
        let run = try Self.recorded()
        let edited = try MachinePlans.plan(Self.triage.replacingOccurrences(of: "== 'bug'", with: "== 'feature'"))
        let error = try #require(Self.nondeterminism { _ = try Replayer.replay(plan: edited, runID: ScriptedRun.runID, events: run.history) })
        #expect(error.seq == 7)
        #expect(run.summaries[5] == "StepCompleted route (visit 1)")
        #expect(error.message == "event 7: history has StepScheduled draft (visit 1), but the workflow now decides StepScheduled send (visit 1)")
    }

    @Test func aChangedOutputShowsBothValues() throws {
        let run = try Self.recorded()
        let edited = try MachinePlans.plan(Self.triage.replacingOccurrences(of: "output: ${{ steps.send.output }}", with: "output: ${{ steps.draft.output }}"))
        let error = try #require(Self.nondeterminism { _ = try Replayer.replay(plan: edited, runID: ScriptedRun.runID, events: run.history) })
        #expect(error.seq == run.history.count)
        #expect(error.recorded == #"RunCompleted {"output":"send done"}"#)
        #expect(error.expected == #"RunCompleted {"output":"draft done"}"#)
    }

    static let quick = """
        apex: 1
        name: quick
        steps:
          - id: first
            set: { a: 1 }
          - id: hold
            wait: { signal: go }
          - id: note
            wait: { signal: later }
        output: ${{ steps.note.output }}
        """

    @Test func outsideEventsInARowAreOneBatchDecidedAfterItsLastEvent() throws {
        // Two signals sent while nothing drove the run (issue 9's first bug), then a driver.
        let plan = try MachinePlans.plan(Self.quick)
        let at = ScriptedRun.startedAt
        var machine = RunMachine(plan: plan, runID: "r")
        var history = try machine.advance(applying: [.runStarted(workflow: "quick", definitionHash: "h", input: [:], startedAt: at)], at: at)
        for (seq, name) in [(history.count + 1, "go"), (history.count + 2, "later")] {
            history.append(Event(seq: seq, at: at, kind: .signalReceived(name: name, payload: .string(name), signalID: "s-\(name)")))
        }
        var loaded = try Replayer.replay(plan: plan, runID: "r", events: history)
        history += try loaded.advance(applying: [], at: at)
        #expect(loaded.status == .completed)
        #expect(loaded.output == "later")
        #expect(try Replayer.replay(plan: plan, runID: "r", events: history).output == "later")
    }

    @Test func anOutsideEventRightAfterADecisionWhileOneIsPendingIsNondeterministic() throws {
        let plan = try MachinePlans.plan(Self.quick)
        let at = ScriptedRun.startedAt
        let events = [
            Event(seq: 1, at: at, kind: .runStarted(workflow: "quick", definitionHash: "h", input: [:], startedAt: at)),
            Event(seq: 2, at: at, kind: .stepScheduled(step: "first", visit: 1, attempt: 1, kind: "set")),
            Event(seq: 3, at: at, kind: .signalReceived(name: "go", payload: 1, signalID: "s1")),
        ]
        let error = try #require(Self.nondeterminism { _ = try Replayer.replay(plan: plan, runID: "r", events: events) })
        #expect(error.message.hasPrefix("event 3: history has SignalReceived go (s1), but the workflow now decides StepCompleted first (visit 1)"))
        #expect(error.message.hasSuffix("before it"))
    }

    @Test func aDecisionWhereTheWorkflowWaitsIsNondeterministic() throws {
        let run = try Self.recorded()
        var events = Array(run.history.prefix(2))
        events.append(Event(seq: 3, at: events[1].at, kind: .stepScheduled(step: "send", visit: 1, attempt: 1, kind: "http")))
        let error = try #require(Self.nondeterminism { _ = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: events) })
        #expect(error.expected == nil)
        #expect(error.message.hasPrefix("event 3: history has StepScheduled send (visit 1), but the workflow now decides nothing there"))
    }

    @Test func aGapInSeqIsFatal() throws {
        let run = try Self.recorded()
        var events = run.history
        events.remove(at: 3)
        let message = try #require(Self.fatal { _ = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: events) })
        #expect(message == "event 5 follows event 3: the history has a gap")
        #expect(EngineFault.fatal(message).description == "[APEX-R002] corrupt history: event 5 follows event 3: the history has a gap")
    }

    @Test func eventsAfterTheEndAreFatal() throws {
        let run = try Self.recorded()
        let extra = Event(seq: run.history.count + 1, at: run.machine.now, kind: .signalReceived(name: "x", payload: nil, signalID: "s"))
        let message = try #require(Self.fatal { _ = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: run.history + [extra]) })
        #expect(message.contains("comes after the run ended (completed)"))
    }

    @Test func aHistoryMustOpenWithRunStarted() throws {
        let plan = try Self.recorded().plan
        let event = Event(seq: 1, at: ScriptedRun.startedAt, kind: .cancelRequested(reason: nil))
        #expect(Self.fatal { _ = try Replayer.replay(plan: plan, runID: "r", events: [event]) } == "event 1 is CancelRequested: a history opens with RunStarted")
        let decision = Event(seq: 1, at: ScriptedRun.startedAt, kind: .stepScheduled(step: "classify", visit: 1, attempt: 1, kind: "llm"))
        #expect(Self.fatal { _ = try Replayer.replay(plan: plan, runID: "r", events: [decision]) } == "event 1 is StepScheduled: a history opens with RunStarted")
    }

    @Test func unknownStepsAndTimersAreFatal() throws {
        let run = try Self.recorded()
        var machine = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: Array(run.history.prefix(2)))
        let at = machine.now
        let unknownStep = Self.fatal { try machine.apply(Event(seq: 3, at: at, kind: .stepStarted(step: "ghost", visit: 1, attempt: 1, worker: "w"))) }
        #expect(unknownStep == "event 3 names step ghost (visit 1), which the run never started")
        let unknownTimer = Self.fatal { try machine.apply(Event(seq: 3, at: at, kind: .timerFired(timer: "sleep:ghost#1"))) }
        #expect(unknownTimer == "event 3: TimerFired sleep:ghost#1, but no such timer was started")
    }

    @Test func applyingADecisionTheRunWouldNotMakeIsFatal() throws {
        let run = try Self.recorded()
        var machine = try Replayer.replay(plan: run.plan, runID: ScriptedRun.runID, events: Array(run.history.prefix(1)))
        let message = Self.fatal {
            try machine.apply(Event(seq: 2, at: machine.now, kind: .stepSkipped(step: "classify", visit: 1)))
        }
        #expect(message == "event 2: StepSkipped classify (visit 1) is not what the run decides now (StepScheduled classify (visit 1))")
        #expect(machine.lastSeq == 1, "a refused event changes nothing")
    }

    @Test func aHistoryAtItsLimitFailsTheRun() throws {
        let run = try ScriptedRun("""
            apex: 1
            name: chatty
            defaults: { max_visits: 1000 }
            steps:
              - id: spin
                set: { x: 1 }
                next: spin
            """, historyLimit: 10)
        #expect(run.machine.status == .failed)
        #expect(run.machine.error?.type == "history.limit")
        #expect(run.history.count == 10)
        #expect(run.summaries.last == "RunFailed (history.limit)")
    }
}
