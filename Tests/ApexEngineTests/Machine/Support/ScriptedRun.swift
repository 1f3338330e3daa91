import ApexCompiler
import ApexDSL
import Foundation
import Testing

@testable import ApexEngine

/// A tiny driver: runs a plan on a ``RunMachine`` against a scripted ``World``, collecting the
/// full history, then replays that history and checks that replay gives the same run.
///
/// Decisions are committed at the time of the outside event that caused them; each outside
/// event moves the clock one second on, or to the timer's time for a firing due later.
struct ScriptedRun {
    static let runID = "run-1"
    static let startedAt = Timestamp(milliseconds: 1_800_000_000_000)

    let plan: Plan
    private(set) var machine: RunMachine
    private(set) var history: [Event] = []
    private(set) var clock = ScriptedRun.startedAt
    /// The most activities pending at once.
    private(set) var maxPending = 0
    private var world: World
    private var late: [ActivityRequest] = []
    private var signalsSent = 0

    /// Runs `yaml` until it ends or nothing more can happen, then checks its replay.
    init(_ yaml: String, _ world: World = World(), historyLimit: Int? = nil,
         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        plan = try MachinePlans.plan(yaml)
        machine = RunMachine(plan: plan, runID: Self.runID)
        if let historyLimit { machine.historyLimit = historyLimit }
        self.world = world
        try drive()
        try Self.expectReplay(of: machine, history: history, historyLimit: historyLimit, sourceLocation: sourceLocation)
    }

    /// The history as short summaries, for readable expectations.
    var summaries: [String] { history.map(\.kind.summary) }

    /// The decisions and events of one step key, as summaries.
    func summaries(of key: String) -> [String] {
        summaries.filter { $0.contains(" \(key) ") || $0.contains(":\(key)#") }
    }

    /// The record of the latest visit of `key`.
    func record(_ key: String) -> StepRecord? {
        machine.stepRecords.last { $0.key == key }
    }

    private mutating func drive() throws {
        try commit(.runStarted(workflow: plan.workflowName, definitionHash: plan.definitionHash, input: world.input, startedAt: clock))
        for signal in world.signals where !signal.whenWaiting { try send(signal) }
        world.signals.removeAll { !$0.whenWaiting }
        while machine.status == .running {
            if let cancelWhen = world.cancelWhen, cancelWhen(machine) {
                world.cancelWhen = nil
                try commit(.cancelRequested(reason: "scripted"))
            } else if let index = world.signals.firstIndex(where: { machine.waitingSignals.contains($0.name) }) {
                try send(world.signals.remove(at: index))
            } else if let request = nextActivity() {
                try answer(request)
            } else if !late.isEmpty {
                try answer(late.removeFirst())
            } else if let timer = machine.pendingTimers.first {
                try commit(.timerFired(timer: timer.id), at: max(clock.adding(.seconds(1)), timer.fireAt))
            } else {
                break
            }
        }
    }

    /// The activity to answer next, remembering held ones for a late answer.
    private mutating func nextActivity() -> ActivityRequest? {
        let pending = machine.pendingActivities
        for request in pending where world.held.contains(request.step) {
            world.held.remove(request.step)
            late.append(request)
        }
        let answerable = pending.filter { request in
            !world.silent.contains(request.step) && !late.contains { $0.step == request.step && $0.visit == request.visit }
        }
        return world.newestFirst ? answerable.last : answerable.first
    }

    private mutating func answer(_ request: ActivityRequest) throws {
        try commit(.stepStarted(step: request.step, visit: request.visit, attempt: request.attempt, worker: "worker-1"))
        guard machine.status == .running else { return }
        let outcome = world.outcomes[request.step]?.isEmpty == false
            ? world.outcomes[request.step]!.removeFirst()
            : .output(.string("\(request.step) done"))
        switch outcome {
        case .output(let output, let usage):
            try commit(.stepCompleted(step: request.step, visit: request.visit, attempt: request.attempt, output: output, usage: usage))
        case .failure(let type, let details, let retryAfter):
            let error = RunError(type: type, message: "\(type) on attempt \(request.attempt)", step: request.step,
                                 attempt: request.attempt, details: details)
            let at = clock.adding(.seconds(1))
            var retryAt: Timestamp?
            if let retry = request.retry, retry.allowsRetry(afterAttempt: request.attempt, errorType: type, details: details) {
                let seed = "\(request.idempotencyKey)#\(request.attempt)"
                retryAt = at.adding(retry.delay(afterAttempt: request.attempt, seed: seed, retryAfter: retryAfter))
            }
            try commit(.stepFailed(step: request.step, visit: request.visit, attempt: request.attempt, error: error, retryAt: retryAt), at: at)
        }
    }

    private mutating func send(_ signal: World.Signal) throws {
        signalsSent += 1
        try commit(.signalReceived(name: signal.name, payload: signal.payload, signalID: "sig-\(signalsSent)"))
    }

    /// Commits an outside event at `at` (by default a second after the last), then every
    /// decision that follows it, at the same time.
    private mutating func commit(_ kind: EventKind, at: Timestamp? = nil) throws {
        clock = at ?? clock.adding(.seconds(1))
        try append(kind)
        while let decision = machine.nextDecision() { try append(decision) }
        maxPending = max(maxPending, machine.pendingActivities.count)
    }

    private mutating func append(_ kind: EventKind) throws {
        let event = Event(seq: machine.lastSeq + 1, at: clock, kind: kind)
        history.append(event)
        try machine.apply(event)
    }

    /// Replays `history`, as stored (through its JSON form), and expects the same run as
    /// `machine`, which applied it live.
    static func expectReplay(of machine: RunMachine, history: [Event], historyLimit: Int? = nil,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let stored = try history.map { try Event(json: JSONValue(parsing: $0.json.compactJSON)) }
        #expect(stored == history, "the history does not survive its JSON form", sourceLocation: sourceLocation)
        let (plan, runID) = (machine.plan, machine.runID)
        let replayed = try historyLimit.map { try Replayer.replay(plan: plan, runID: runID, events: stored, historyLimit: $0) }
            ?? Replayer.replay(plan: plan, runID: runID, events: stored)
        #expect(replayed.status == machine.status, sourceLocation: sourceLocation)
        #expect(replayed.lastSeq == machine.lastSeq, sourceLocation: sourceLocation)
        #expect(replayed.now == machine.now, sourceLocation: sourceLocation)
        #expect(replayed.output == machine.output, sourceLocation: sourceLocation)
        #expect(replayed.error == machine.error, sourceLocation: sourceLocation)
        #expect(replayed.stepRecords == machine.stepRecords, sourceLocation: sourceLocation)
        #expect(replayed.currentStep == machine.currentStep, sourceLocation: sourceLocation)
        #expect(replayed.waitingSignals == machine.waitingSignals, sourceLocation: sourceLocation)
        #expect(replayed.pendingTimers == machine.pendingTimers, sourceLocation: sourceLocation)
        #expect(replayed.pendingActivities.map(\.idempotencyKey) == machine.pendingActivities.map(\.idempotencyKey),
                sourceLocation: sourceLocation)
        #expect(replayed.nextDecision() == machine.nextDecision(), sourceLocation: sourceLocation)
    }
}
