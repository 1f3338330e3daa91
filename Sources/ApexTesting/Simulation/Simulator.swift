import ApexCompiler
import ApexDSL
import ApexEngine
import ApexWorkflowFiles
import Foundation

/// Deterministic simulation of the engine's promise (the FoundationDB and TigerBeetle
/// practice): from a seed, a scenario runs one workflow of ``SimulationLibrary`` on the real
/// engine, with two processes competing for it on one in-memory store, a manual clock and
/// scripted activities, and injects process crashes (at once, or armed at the n-th store call
/// from now, before or after it reaches the store), signals and cancellations at any moment
/// (also while nothing drives the run), activity failures and timeouts, lost leases, and edits
/// and deletions of the workflow files. Then it lets the run finish and checks the invariants
/// (``SimulationInvariants``) against a crash-free run of the same seed.
///
/// ## Usage
/// ```swift
/// let outcome = await Simulator.run(seed: 42)
/// #expect(outcome.violations.isEmpty, "\(outcome)")
/// ```
/// `swift run apex-simulate --seed 42` replays one seed with its trace; docs/simulation.md has
/// the nightly command.
public enum Simulator {
    /// Runs the scenario of `seed`; `workflow` plays another of the library's roots with the
    /// seed's faults (to keep a seed found before the library grew playing the workflow it
    /// played then: the root is the seed's first draw).
    public static func run(seed: UInt64, workflow: String? = nil) async -> SimulationOutcome {
        var random = SeededRandom(seed: seed)
        let drawn = SimulationLibrary.roots[random.below(SimulationLibrary.roots.count)]
        let root = workflow ?? drawn
        let script = seed % SimulationLibrary.scripts
        let reference = await references.outcome(root: root, script: script) {
            await Scenario(seed: seed, root: root, script: script, faults: false).play()
        }
        let faulty = await Scenario(seed: seed, root: root, script: script, faults: true).play()
        var outcome = faulty
        outcome.violations += SimulationInvariants.compare(faulty, with: reference)
        return outcome
    }
}

/// Crash-free outcomes by workflow and script: they depend on nothing else, so each is played
/// once per process.
private let references = ReferenceOutcomes()

private final class ReferenceOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [String: SimulationOutcome] = [:]

    func outcome(root: String, script: UInt64, play: () async -> SimulationOutcome) async -> SimulationOutcome {
        let key = "\(root)#\(script)"
        if let known = lock.withLock({ outcomes[key] }) { return known }
        let outcome = await play()
        lock.withLock { outcomes[key] = outcome }
        return outcome
    }
}

/// What one scenario did and what it broke.
public struct SimulationOutcome: Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var workflow: String
    /// The root run's final status and output (or error type).
    public var status: RunStatus?
    public var output: JSONValue?
    public var errorType: String?
    /// Which faults were injected: the comparison with a crash-free run depends on them.
    public var crashed = false
    public var cancelled = false
    /// Whether an attempt was recorded `worker.lost` (a process died during its call).
    public var lostAttempts = false
    /// The actions taken, in order (the seed replays them).
    public var trace: [String] = []
    public var violations: [String] = []

    public var description: String {
        "seed \(seed) (\(workflow)): \(status?.rawValue ?? "unfinished") \(output?.compactJSON ?? errorType ?? "")"
            + (violations.isEmpty ? "" : "\n  violations:\n    " + violations.joined(separator: "\n    "))
            + "\n  trace: " + trace.joined(separator: "; ")
    }
}

/// One play of a scenario: with `faults`, the seed's random actions; without, only what a
/// healthy single process needs to finish (the crash-free reference).
final class Scenario {
    let seed: UInt64
    let root: String
    /// Which scripted outcomes the activities give (``ScriptedActivities``).
    let script: UInt64
    let faults: Bool
    var random: SeededRandom
    let clock = ManualClock()
    let store = InMemoryRunStore()
    let log = CallLog()
    let folder: URL
    var processes: [SimulatedProcess] = []
    var incarnations = [0, 0]
    var outcome: SimulationOutcome
    var runID = ""
    var signalNames: [String] = []
    /// The signal of each `wait` step of the root workflow, by step id.
    var waitSignals: [String: String] = [:]

    let activity = StoreActivity()

    init(seed: UInt64, root: String, script: UInt64, faults: Bool) {
        self.seed = seed
        self.root = root
        self.script = script
        self.faults = faults
        random = SeededRandom(seed: seed ^ 0x5EED)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-sim-\(seed)-\(faults)-\(UUID().uuidString.prefix(8))")
        outcome = SimulationOutcome(seed: seed, workflow: root)
    }

    func play() async -> SimulationOutcome {
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try writeLibrary()
            processes = [makeProcess(0), makeProcess(1)]
            let bundle = try WorkflowFiles.bundle(at: folder.appendingPathComponent(root).path)
            signalNames = RunMachine.signalSchemas(in: bundle.root.plan).keys.sorted()
            for state in bundle.root.plan.states {
                if case .wait(let wait) = state.action { waitSignals[state.stepID] = wait.signal }
                if case .agent(let agent) = state.action, let signal = agent.signals.first { waitSignals[state.stepID] = signal.name }
            }
            runID = try await processes[0].engine.start(bundle.root, children: bundle.children, input: [:], runID: "sim-\(seed)").runID
        } catch {
            outcome.violations.append("the scenario could not start: \(error)")
            return outcome
        }
        if faults {
            for _ in 0..<(8 + random.below(30)) {
                await act()
                await settle()
            }
        }
        await finish()
        for process in processes { process.kill() }
        outcome.violations += processes.flatMap(\.unexpectedErrors)
        let (violations, lostAttempts) = await SimulationInvariants.check(runID: runID, store: store, calls: log.all)
        outcome.violations += violations
        outcome.lostAttempts = lostAttempts
        // From the history: a cancellation whose sender crashed after appending it still counts.
        let history = (try? await store.events(runID: runID, after: 0)) ?? []
        outcome.cancelled = history.contains { if case .cancelRequested = $0.kind { true } else { false } }
        return outcome
    }

    // MARK: Actions

    private func act() async {
        switch random.below(100) {
        case 0..<14: drive(random.below(2))
        case 14..<44: release()
        case 44..<58: advanceTime()
        case 58..<68: await signal(through: random.chance(30) ? nil : random.below(2))
        case 68..<69: await cancel()
        case 69..<70: await signal(through: nil)
        case 70..<75: crash(random.below(2))
        case 75..<82: arm(random.below(2))
        case 82..<90: restartDead()
        case 90..<94: loseLease()
        case 94..<97: editFiles()
        default: drive(random.below(2))
        }
    }

    private func drive(_ slot: Int) {
        guard !processes[slot].isDead, !processes[slot].isDriving else { return }
        outcome.trace.append("drive \(processes[slot].name)")
        processes[slot].drive(runID)
    }

    private func release() {
        let live = processes.filter { !$0.isDead && $0.activities.parkedCount > 0 }
        guard !live.isEmpty else { return }
        let process = live[random.below(live.count)]
        let index = random.below(process.activities.parkedCount)
        outcome.trace.append("release \(process.name)[\(index)]")
        process.activities.release(at: index)
    }

    private func advanceTime() {
        let next = clock.nextDeadline ?? clock.now().adding(.seconds(1))
        let limit = clock.now().adding(.seconds(60))
        let to = min(next, limit)
        outcome.trace.append("time +\(to.milliseconds - clock.now().milliseconds)ms")
        clock.advance(to: to)
    }

    /// A signal through a process's engine, or, with no process, appended as `apex signal`
    /// does from a process that drives nothing.
    private func signal(through slot: Int?) async {
        guard !signalNames.isEmpty else { return }
        let name = signalNames[random.below(signalNames.count)]
        let payload = Self.payload(for: name)
        if let slot, !processes[slot].isDead {
            outcome.trace.append("signal \(name) via \(processes[slot].name)")
            _ = try? await processes[slot].engine.signal(runID: runID, name: name, payload: payload)
        } else {
            outcome.trace.append("signal \(name) while detached")
            guard let record = try? await store.run(id: runID), !record.status.isFinished else { return }
            _ = try? await store.appendExternal(runID: runID, kind: .signalReceived(name: name, payload: payload, signalID: "sig-\(outcome.trace.count)"),
                                                at: clock.now())
        }
    }

    static func payload(for signal: String) -> JSONValue {
        if signal.hasPrefix("approve_") { return ["approve": true] }
        return signal == "approve" ? ["ok": true] : .string("\(signal) payload")
    }

    private func cancel() async {
        guard let process = processes.first(where: { !$0.isDead }) else { return }
        outcome.trace.append("cancel via \(process.name)")
        _ = try? await process.engine.cancel(runID: runID, reason: "simulated")
    }

    private func crash(_ slot: Int) {
        guard !processes[slot].isDead else { return }
        outcome.trace.append("crash \(processes[slot].name)")
        outcome.crashed = true
        processes[slot].kill()
    }

    private func arm(_ slot: Int) {
        guard !processes[slot].isDead else { return }
        let call = 1 + random.below(6)
        let after = random.chance(50)
        outcome.trace.append("arm \(processes[slot].name) \(after ? "after" : "before") call \(call)")
        outcome.crashed = true
        processes[slot].store.arm(after ? .after(call: call) : .before(call: call))
    }

    private func restartDead() {
        guard let slot = processes.indices.first(where: { processes[$0].isDead }) else { return }
        processes[slot] = makeProcess(slot)
        outcome.trace.append("restart \(processes[slot].name)")
    }

    /// Time jumps past the lease while a driver is busy: another process may take the run over.
    private func loseLease() {
        outcome.trace.append("lose lease (time +6s)")
        outcome.crashed = true
        clock.advance(by: .seconds(6))
    }

    /// The workflow files change or go away under the run: a run pinned what it needs.
    private func editFiles() {
        outcome.trace.append("edit files")
        for (path, _) in SimulationLibrary.files {
            let url = folder.appendingPathComponent(path)
            if random.chance(50) {
                try? FileManager.default.removeItem(at: url)
            } else {
                try? "apex: 1\nname: edited\nsteps:\n  - id: other\n    set: {x: 1}\n".write(to: url, atomically: true, encoding: .utf8)
            }
        }
    }

    // MARK: Finishing

    /// Lets the run end: revives dead processes, drives, releases every call, sends the
    /// signals waits need, and moves time on when nothing else can happen.
    private func finish() async {
        for round in 0..<600 {
            guard let record = try? await store.run(id: runID) else { break }
            if record.status.isFinished { break }
            for slot in processes.indices where processes[slot].isDead { processes[slot] = makeProcess(slot) }
            if !processes.contains(where: \.isDriving) { processes[round % 2].drive(runID) }
            await settle()
            if let process = processes.first(where: { $0.activities.parkedCount > 0 }) {
                process.activities.release(at: 0)
            } else if let waiting = await waitingSignal() {
                _ = try? await processes[0].engine.signal(runID: runID, name: waiting, payload: Self.payload(for: waiting))
                // Past a poll interval, so that a driver in the other process hears of it.
                clock.advance(by: Duration(milliseconds: 200))
            } else {
                clock.advance(to: min(clock.nextDeadline ?? clock.now().adding(.seconds(1)), clock.now().adding(.seconds(3600))))
            }
            await settle()
        }
        let record = try? await store.run(id: runID)
        outcome.status = record?.status
        outcome.output = record?.output
        outcome.errorType = record?.error?.type
        if record?.status.isFinished != true {
            let tail = ((try? await store.events(runID: runID, after: max(0, (record?.lastSeq ?? 0) - 6))) ?? []).map(\.kind.summary)
            let processes = processes.map { "\($0.name)\($0.isDead ? " dead" : "")\($0.isDriving ? " driving" : "")" }.joined(separator: ", ")
            outcome.violations.append("the run did not finish (\(record?.status.rawValue ?? "missing")); its last events: \(tail.joined(separator: ", ")); "
                + "processes: \(processes); clock waits: \(clock.sleeperCount)")
        }
    }

    /// A signal a `wait` of the run waits for now and has not been sent yet: read from the
    /// run's row (its current step) and history, not by loading the run (a replay every round).
    /// One at a time: a flood of signals would keep the driver reloading (see docs/simulation.md).
    private func waitingSignal() async -> String? {
        guard let step = try? await store.run(id: runID)?.currentStep, let signal = waitSignals[step] else { return nil }
        let history = (try? await store.events(runID: runID, after: 0)) ?? []
        var unconsumed = 0
        for event in history {
            if case .signalReceived(let name, _, _) = event.kind, name == signal { unconsumed += 1 }
            if case .signalConsumed(let consumer, _, _) = event.kind, waitSignals[consumer] == signal { unconsumed -= 1 }
        }
        return unconsumed > 0 ? nil : signal
    }

    /// Waits until nothing moves: every process's tasks wait for the clock, a release or news.
    private func settle() async {
        var last = await signature()
        var stable = 0
        for _ in 0..<5_000 {
            for _ in 0..<4 { await Task.yield() }
            let now = await signature()
            if now == last {
                stable += 1
                if stable >= 3 { return }
            } else {
                stable = 0
                last = now
            }
        }
    }

    private func signature() async -> [Int] {
        [clock.sleeperCount, activity.calls]
            + processes.flatMap { [$0.activities.waitingCount, $0.isDriving ? 1 : 0, $0.isDead ? 1 : 0] }
    }

    private func makeProcess(_ slot: Int) -> SimulatedProcess {
        incarnations[slot] += 1
        return SimulatedProcess(name: "\(slot == 0 ? "A" : "B")\(incarnations[slot])", shared: store, clock: clock, script: script, log: log,
                                activity: activity)
    }

    private func writeLibrary() throws {
        for (path, source) in SimulationLibrary.files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try source.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}

extension Simulator {
    /// What a batch of scenarios did.
    public struct Report: Sendable {
        public var count = 0
        public var failures: [SimulationOutcome] = []
        /// Scenarios per workflow and per injected fault, to show what was covered.
        public var byWorkflow: [String: Int] = [:]
        public var crashed = 0
        public var cancelled = 0
        public var lostAttempts = 0

        public var summary: String {
            byWorkflow.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "; \(crashed) with crashes, \(lostAttempts) with lost attempts, \(cancelled) cancelled"
        }
    }

    /// Runs every seed of `seeds`, `parallel` at a time (each scenario has its own store and
    /// clock, so they do not interfere), and collects the failures.
    public static func run(seeds: Range<UInt64>, parallel: Int = 2, progress: @escaping @Sendable (Int) -> Void = { _ in }) async -> Report {
        var report = Report()
        await withTaskGroup(of: SimulationOutcome.self) { group in
            var next = seeds.lowerBound
            for _ in 0..<max(1, parallel) where next < seeds.upperBound {
                let seed = next
                group.addTask { await run(seed: seed) }
                next += 1
            }
            while let outcome = await group.next() {
                report.count += 1
                report.byWorkflow[outcome.workflow, default: 0] += 1
                if outcome.crashed { report.crashed += 1 }
                if outcome.cancelled { report.cancelled += 1 }
                if outcome.lostAttempts { report.lostAttempts += 1 }
                if !outcome.violations.isEmpty { report.failures.append(outcome) }
                progress(report.count)
                if next < seeds.upperBound {
                    let seed = next
                    group.addTask { await run(seed: seed) }
                    next += 1
                }
            }
        }
        report.failures.sort { $0.seed < $1.seed }
        return report
    }
}
