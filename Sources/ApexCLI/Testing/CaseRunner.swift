import ApexCompiler
import ApexDSL
import ApexEngine
import ApexLLM
import ApexWorkflowFiles
import Foundation
import OrderedCollections

/// Runs one test case: the real engine on an in-memory store and a virtual clock, llm and agent
/// steps on the mock provider with the case's scripted replies, HTTP answered by its stubs.
///
/// Time is skipped, as in Temporal's time-skipping test server: whenever every run of the case
/// (the run and its child runs) only waits, for a timer or a signal, the clock jumps to the
/// next thing due: a timer, or a signal the case sends at a moment of workflow time. A
/// signal the case sends when a wait is reached goes as soon as the run waits for it. So a
/// `sleep: 3d` takes no real time, and no activity ever races the clock.
struct CaseRunner {
    /// Where every case's clock starts: a fixed instant, so that runs are reproducible.
    static let epoch = Timestamp(milliseconds: 1_767_225_600_000) // 2026-01-01T00:00:00Z
    /// How long a case may take in real time before it is abandoned.
    var realTimeLimit: Double = Double(ProcessInfo.processInfo.environment["APEX_TEST_CASE_LIMIT"] ?? "") ?? 60

    /// What the case's run did.
    struct Outcome {
        var record: RunRecord?
        var steps: [StepRecord] = []
        var calls: [String: Int] = [:]
        /// Why the run could not go on (it waits for a signal the case never sends, …), or why it
        /// did not start; the case fails with it.
        var problems: [String] = []
        /// Replies made by the providers, when recording (`apex test --record`).
        var recorded: JSONValue?
    }

    func run(_ testCase: WorkflowTestCase, settings: Settings, record: Bool = false) async -> Outcome {
        var outcome = Outcome()
        let stubs = StubbedHTTP(testCase.stubs)
        let clock = ManualClock(at: Self.epoch)
        let store = InMemoryRunStore()
        let routing: LLMRouting = record ? .providers : .mock(fixtures: testCase.llm)
        let recorder = record ? ReplyRecorder() : nil
        let executor = EngineFactory.executor(fallback: routing, settings: settings, http: stubs.transport, recorder: recorder)
        // One engine, so leases never expire and nothing polls: a day's lease, renewed as time jumps.
        let secrets = Secrets(values: Secrets.values(inEnvironment: settings.environment).merging(testCase.secrets) { _, given in given })
        let engine = Engine(store: store, executor: executor, clock: clock, secrets: secrets,
                            configuration: EngineConfiguration(workerID: "apex-test", leaseDuration: .seconds(86_400), pollInterval: .seconds(86_400)))
        let runID: String
        do {
            let bundle = try WorkflowFiles.bundle(at: testCase.workflow)
            runID = try await engine.start(bundle.root, children: bundle.children, input: testCase.input, llmRouting: routing.json).runID
        } catch let invalid as WorkflowFiles.Invalid {
            outcome.problems = ["the workflow is invalid: " + invalid.result.diagnostics.map { "\($0.range.start.line):\($0.range.start.column): \($0.message)" }.joined(separator: "; ")]
            return outcome
        } catch {
            outcome.problems = ["the run did not start: \(error)"]
            return outcome
        }
        let driving = Task { try await engine.drive(runID: runID, untilFinished: true, waitForLease: false) }
        outcome.problems = await skipTime(runID: runID, engine: engine, clock: clock, signals: testCase.signals, driving: driving)
        driving.cancel()
        _ = await driving.result
        outcome.record = try? await store.run(id: runID)
        if let record = outcome.record, let plan = try? await engine.plan(forRun: record),
           let events = try? await store.events(runID: runID, after: 0), let machine = try? Replayer.replay(plan: plan, runID: runID, events: events) {
            outcome.steps = machine.stepRecords
        }
        outcome.calls = stubs.calls
        var unmatched: OrderedDictionary<String, Int> = [:]
        for request in stubs.unmatchedRequests { unmatched[request, default: 0] += 1 }
        outcome.problems += unmatched.map { request, count in "no stub matches the request \(request)\(count > 1 ? " (made \(count) times)" : "")" }
        outcome.recorded = recorder?.fixtures
        return outcome
    }

    /// Moves the clock on and sends the case's signals whenever the runs only wait, until the
    /// run ends; the problems that stopped it otherwise.
    private func skipTime(runID: String, engine: Engine, clock: ManualClock, signals: [ScriptedSignal],
                          driving: Task<RunDriver.Outcome, any Error>) async -> [String] {
        var unsent = signals
        let began = Date()
        var lastSeen: [String: Int] = [:]
        while true {
            try? await Task.sleep(nanoseconds: 500_000)
            guard let state = try? await RunsState.read(engine: engine) else { continue }
            if Date().timeIntervalSince(began) > realTimeLimit {
                return ["the run did not finish within \(Int(realTimeLimit)) s of real time; its runs were at: \(state.summary)"]
            }
            if state.root(runID)?.record.status.isFinished ?? true {
                if case .failure(let error) = await driving.result { return ["the run's driver stopped: \(error)"] }
                // A signal due after the run ended may be the point of the case; one for a wait
                // that never came is a mistake.
                return unsent.filter { if case .waiting = $0.trigger { true } else { false } }.map { signal in
                    "the signal \(signal.name) was never sent: the run ended before \(signal.triggerDescription)"
                }
            }
            // Only once nothing changed since the last look and every run only waits.
            defer { lastSeen = state.lastSeqs }
            guard state.isConsistent, state.lastSeqs == lastSeen, state.isIdle else { continue }
            if let index = unsent.firstIndex(where: { state.waits(for: $0) }), let target = state.runWaiting(for: unsent[index]) {
                let signal = unsent.remove(at: index)
                if let refusal = await send(signal, to: target, engine: engine) { return [refusal] }
                continue
            }
            let timer = state.nextTimer
            let timed = unsent.enumerated().compactMap { index, signal -> (Int, Timestamp)? in
                guard case .after(let delay) = signal.trigger else { return nil }
                return (index, Self.epoch.adding(delay))
            }.min { $0.1 < $1.1 }
            if let (index, at) = timed, timer.map({ at <= $0 }) ?? true {
                // The signal is recorded at its instant before a timer due then fires.
                clock.advance(to: at, waking: false)
                let signal = unsent.remove(at: index)
                if let refusal = await send(signal, to: runID, engine: engine) { return [refusal] }
                clock.advance(to: at)
                continue
            }
            if let timer {
                clock.advance(to: timer)
                continue
            }
            let waiting = state.waitingSignals.map { "\($0.signal) (at step \($0.step))" }
            return waiting.isEmpty ? ["the run stopped making progress"]
                : ["the run waits for \(waiting.joined(separator: ", ")), which the case does not send"]
        }
    }
}

extension CaseRunner {
    /// Sends a scripted signal; why the engine refused it, if it did.
    private func send(_ signal: ScriptedSignal, to runID: String, engine: Engine) async -> String? {
        do {
            _ = try await engine.signal(runID: runID, name: signal.name, payload: signal.payload)
            return nil
        } catch {
            return "the signal \(signal.name) (sent when \(signal.triggerDescription)) was refused: \(error)"
        }
    }
}

extension ScriptedSignal {
    var triggerDescription: String {
        switch trigger {
        case .after(let delay): "\(delay) of workflow time had passed"
        case .waiting(let step?): "step \(step) waited for it"
        case .waiting(nil): "a wait for it came"
        }
    }
}

/// Every unfinished run of a case's store, replayed: whether they all only wait, and for what.
private struct RunsState {
    struct Run {
        var record: RunRecord
        var machine: RunMachine
    }

    var runs: [Run]
    var lastSeqs: [String: Int]

    static func read(engine: Engine) async throws -> RunsState {
        var runs: [Run] = []
        for record in try await engine.store.runs(RunFilter(limit: 10_000)) {
            let events = try await engine.store.events(runID: record.id, after: 0)
            let machine = try Replayer.replay(plan: try await engine.plan(forRun: record), runID: record.id, events: events)
            runs.append(Run(record: record, machine: machine))
        }
        return RunsState(runs: runs, lastSeqs: Dictionary(uniqueKeysWithValues: runs.map { ($0.record.id, $0.machine.lastSeq) }))
    }

    /// Whether each run's row and history were read at the same point: a commit between the
    /// two reads (the row still running, the history already ended) is no state to act on.
    var isConsistent: Bool {
        runs.allSatisfy { $0.record.lastSeq == $0.machine.lastSeq }
    }

    func root(_ runID: String) -> Run? { runs.first { $0.record.id == runID } }

    /// Where each unfinished run is, for a case that did not end.
    var summary: String {
        unfinished.map { run in
            let calls = run.machine.pendingActivities.map { "\($0.step) attempt \($0.attempt) (\($0.kind.rawValue))" }
            let decision = run.machine.nextDecision().map { "deciding \($0.summary)" }
            let timers = run.machine.pendingTimers.map { "timer \($0.id) at \($0.fireAt)" }
            let parts = calls + [decision].compactMap { $0 } + timers + run.machine.waitingSignals.map { "waiting for \($0)" }
            return "\(run.record.id) (event \(run.machine.lastSeq) of \(run.record.lastSeq)): " + (parts.isEmpty ? "nothing pending" : parts.joined(separator: ", "))
        }.joined(separator: "; ")
    }

    private var unfinished: [Run] { runs.filter { !$0.record.status.isFinished } }

    /// Every unfinished run has made all its decisions and calls nothing but child runs, each
    /// of which is unfinished (and so, checked here too): only a timer or a signal moves them.
    var isIdle: Bool {
        let open = unfinished
        return open.allSatisfy { run in
            guard run.machine.nextDecision() == nil else { return false }
            let children = open.filter { $0.record.parentRunID == run.record.id }.count
            let calls = run.machine.pendingActivities
            return calls.allSatisfy { $0.kind == .workflow } && children >= calls.count
        }
    }

    var nextTimer: Timestamp? {
        unfinished.compactMap { $0.machine.pendingTimers.first?.fireAt }.min()
    }

    /// The waits of every unfinished run: the signal and the key of the step waiting.
    var waitingSignals: [(run: String, signal: String, step: String)] {
        unfinished.flatMap { run in
            let steps = run.machine.stepRecords.filter { $0.status == .waiting }.map(\.key)
            return run.machine.waitingSignals.map { signal in (run.record.id, signal, steps.first ?? "?") }
        }
    }

    func waits(for signal: ScriptedSignal) -> Bool { runWaiting(for: signal) != nil }

    /// The run a signal sent on reaching a wait goes to: one that waits for it (at its step).
    func runWaiting(for signal: ScriptedSignal) -> String? {
        guard case .waiting(let step) = signal.trigger else { return nil }
        return unfinished.first { run in
            run.machine.waitingSignals.contains(signal.name)
                && (step.map { key in run.machine.stepRecords.contains { $0.key == key && $0.status == .waiting } } ?? true)
        }?.record.id
    }
}
