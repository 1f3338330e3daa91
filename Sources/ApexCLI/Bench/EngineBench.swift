import ApexDSL
import ApexEngine
import ApexLLM
import ApexStoreSQLite
import Foundation

/// The measurements of `apex bench engine`, against one store (SQLite, or a PostgreSQL
/// namespace of the bench's own). Each writes one line.
struct EngineBench {
    let engine: Engine
    let store: any RunStore
    let console: Console

    init(store: any RunStore, console: Console) {
        self.store = store
        self.console = console
        engine = Self.engine(on: store, workerID: "bench-\(getpid())")
    }

    /// An engine on `store` with the mock provider.
    static func engine(on store: any RunStore, workerID: String) -> Engine {
        let llm = LLMActivityExecutor(providers: ["mock": MockLLMProvider()], fallback: .mock(fixtures: nil))
        return Engine(store: store, executor: StepActivityExecutor(llm: llm), configuration: EngineConfiguration(workerID: workerID))
    }

    func report(_ line: String) {
        console.output.writeLine(line)
    }

    func start(_ workflow: BenchWorkflow) async throws -> String {
        try await engine.start(plan: workflow.plan, source: workflow.source, path: workflow.path, input: [:]).runID
    }

    /// Starts and drives a run to its end, failing the bench if it did not complete; records
    /// the start's latency in `starts`.
    func run(_ workflow: BenchWorkflow, starts: LatencyCollector? = nil) async throws {
        let begin = DispatchTime.now().uptimeNanoseconds
        let runID = try await start(workflow)
        starts?.record(LatencySample.elapsed(since: begin))
        try await Self.finish(runID, of: workflow, on: engine)
    }

    /// Drives a started run to its end, failing the bench if it did not complete.
    static func finish(_ runID: String, of workflow: BenchWorkflow, on engine: Engine) async throws {
        guard case .finished(let record) = try await engine.drive(runID: runID), record.status == .completed else {
            throw BenchFailure("run \(runID) of \(workflow.plan.workflowName) did not complete")
        }
    }

    /// Starts and drives `workflow` on `engine` `iterations` + 1 times (the first warms up), each
    /// run's time divided by `units` (its steps, its turns).
    static func timeRuns(_ workflow: BenchWorkflow, on engine: Engine, iterations: Int, per units: Int) async throws -> LatencySample {
        var sample = LatencySample()
        for iteration in 0...iterations {
            let begin = DispatchTime.now().uptimeNanoseconds
            let runID = try await engine.start(plan: workflow.plan, source: workflow.source, path: workflow.path, input: [:]).runID
            try await finish(runID, of: workflow, on: engine)
            if iteration > 0 { sample.record(LatencySample.elapsed(since: begin) / Double(units)) }
        }
        return sample
    }

    // MARK: - Measurements

    /// 0. The disk's floor: one small commit as the store commits (SQLite only; nil otherwise).
    func commitFloor() throws -> LatencySample? {
        guard let store = store as? SQLiteRunStore else { return nil }
        let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        let sample = LatencySample(milliseconds: try CommitFloor.measure(folder: folder, commits: 200))
        report("disk floor: commit of one small row (WAL, synchronous=FULL, in the store's folder): \(sample.summary(of: "commits"))")
        return sample
    }

    /// 1. Durably starting a run: `RunStarted` and the first decisions committed.
    func startLatency(runs: Int) async throws {
        let workflow = try BenchWorkflow.oneStep()
        let sample = try await LatencySample.measureAsync(iterations: runs) { _ = try await start(workflow) }
        report("start run (RunStarted committed): \(sample.summary)")
    }

    /// 2. Engine time per step: a run of `steps` steps driven to its end, divided by `steps`;
    /// beside the disk's floor, what a mock llm step costs beyond its one commit.
    func perStep(steps: Int, iterations: Int, floor: LatencySample?) async throws {
        for (label, workflow) in [("set", try BenchWorkflow.setChain(steps)), ("mock llm", try BenchWorkflow.llmChain(steps))] {
            let sample = try await Self.timeRuns(workflow, on: engine, iterations: iterations, per: steps)
            report("per \(label) step (start + drive of \(steps) steps, / \(steps)): \(sample.summary)")
            if label == "mock llm", let floor {
                report(String(format: "  beyond one commit (p50 minus the disk floor's p50): %.2f ms", sample.percentile(0.5) - floor.percentile(0.5)))
            }
        }
    }

    /// 3. Loading a run as a driver does (``RunLoader``: pages read while the previous one is
    /// replayed), then, for the breakdown, reading the whole history and replaying it apart.
    func replay(events: Int, iterations: Int) async throws {
        let workflow = try BenchWorkflow.setLoop(events: events)
        let begin = DispatchTime.now().uptimeNanoseconds
        let runID = try await start(workflow)
        let built = LatencySample.elapsed(since: begin)
        let plan = workflow.plan
        var read = LatencySample(), replayed = LatencySample(), total = LatencySample()
        var count = 0
        for iteration in 0...iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            count = try await RunLoader.load(runID: runID, plan: plan, store: store, expectedEvents: events).events.count
            let loaded = DispatchTime.now().uptimeNanoseconds
            let history = try await store.events(runID: runID, after: 0)
            let readAlone = DispatchTime.now().uptimeNanoseconds
            _ = try Replayer.replay(plan: plan, runID: runID, events: history)
            guard iteration > 0 else { continue }  // warm-up
            total.record(Double(loaded - start) / 1_000_000)
            read.record(Double(readAlone - loaded) / 1_000_000)
            replayed.record(LatencySample.elapsed(since: readAlone))
        }
        report("load run of \(count) events (read and replay, overlapped): \(total.summary(of: "loads"))")
        report("  read and decode events, alone: \(read.summary(of: "loads"))")
        report("  replay through the machine, alone: \(replayed.summary(of: "loads"))")
        report(String(format: "  (history built and committed by one start in %.0f ms)", built))
    }

    /// 4a. Runs durably waiting on a timer: creation time, file size, one claim (which takes
    /// leases that have already expired, so that every iteration claims the same runs again).
    func waiting(runs: Int, iterations: Int) async throws {
        let workflow = try BenchWorkflow.sleepHour()
        let begin = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<runs { _ = try await start(workflow) }
        let seconds = LatencySample.elapsed(since: begin) / 1000
        report(String(format: "create %d runs waiting on a 1h sleep: %.1f s (%.0f runs/s)", runs, seconds, Double(runs) / seconds))
        if let sizes = fileSizes() { report("  database: \(sizes)") }
        var found = 0
        let claim = try await LatencySample.measureAsync(iterations: iterations) {
            let now = Timestamp(Date())
            found = try await store.claimRuns(owner: "bench", until: Timestamp(milliseconds: now.milliseconds - 1), now: now, limit: 100,
                                              taskQueues: [TaskQueue.defaultName], excluding: []).count
        }
        report("  claimRuns(limit: 100) over them (\(found) claimed): \(claim.summary(of: "claims"))")
    }

    /// 4b. One process driving `runs` runs at once, each waiting for a signal.
    func activeRuns(runs: Int, timeout: Double) async throws {
        let workflow = try BenchWorkflow.waitSignal()
        var ids: [String] = []
        for _ in 0..<runs { ids.append(try await start(workflow)) }
        let before = ProcessMemory.residentBytes()
        let loaded = LoadCounter()
        let engine = engine
        let begin = DispatchTime.now().uptimeNanoseconds
        let drivers = ids.map { id in
            Task { try await engine.drive(runID: id, untilFinished: true, observer: loaded) }
        }
        let deadline = begin + UInt64(timeout * 1_000_000_000)
        while loaded.count < runs, DispatchTime.now().uptimeNanoseconds < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let settled = LatencySample.elapsed(since: begin) / 1000
        let holding = loaded.count
        let after = ProcessMemory.residentBytes()
        report(String(format: "hold %d active runs waiting for a signal: %d of them loaded and waiting after %.1f s", runs, holding, settled))
        var perRun = ""
        if let before, let after, holding > 0 {
            perRun = String(format: "  (%.1f KiB per run)", Double(after - before) / 1024 / Double(holding))
        }
        report("  RSS before \(ProcessMemory.format(before)), with them held \(ProcessMemory.format(after))\(perRun)")
        // Drivers do not stop on task cancellation alone: cancel the runs so they end.
        for task in drivers { task.cancel() }
        let stop = DispatchTime.now().uptimeNanoseconds
        for id in ids { try await engine.cancel(runID: id, reason: "bench over") }
        for task in drivers { _ = try? await task.value }
        report(String(format: "  cancelled and ended them all in %.1f s", LatencySample.elapsed(since: stop) / 1000))
    }

    /// 5. Completed single-step runs per second with `starters` concurrent starters, and the
    /// latency of their starts meanwhile.
    func throughput(starters: Int, seconds: Double) async throws {
        let workflow = try BenchWorkflow.oneStep()
        let bench = self
        let starts = LatencyCollector()
        let begin = DispatchTime.now().uptimeNanoseconds
        let completed = try await Self.repeatFor(seconds: seconds, tasks: starters) { try await bench.run(workflow, starts: starts) }
        let elapsed = LatencySample.elapsed(since: begin) / 1000
        report(String(format: "throughput, %d concurrent starters (start + drive of a 1-step run): %.0f runs/s (%d runs in %.1f s)",
                      starters, Double(completed) / elapsed, completed, elapsed))
        report("  start run with \(starters) concurrent starters: \(starts.sample.summary)")
    }

    /// 6. The peers' timer scenario (``TimerScenario``), 10-second sleeps.
    func timers(runs: Int, starters: Int) async throws {
        let outcome = try await TimerScenario(store: store, runs: runs, starters: starters, sleepSeconds: 10).run()
        report(String(format: "timers: %d runs sleeping 10 s, %d starters, one worker: all started in %.2f s, all completed %.2f s after the first start, peak RSS %@",
                      runs, starters, outcome.startedSeconds, outcome.completedSeconds, ProcessMemory.format(outcome.peakBytes)))
    }

    /// Runs `body` again and again in `tasks` concurrent tasks for `seconds`; how many times in all.
    static func repeatFor(seconds: Double, tasks: Int, _ body: @escaping @Sendable () async throws -> Void) async throws -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1_000_000_000)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var count = 0
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        try await body()
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// The database file and its write-ahead log (SQLite only).
    func fileSizes() -> String? {
        guard let store = store as? SQLiteRunStore else { return nil }
        let size = { (path: String) -> Int in
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        }
        let main = size(store.path), wal = size(store.path + "-wal")
        return String(format: "%.1f MiB (file %.1f MiB + WAL %.1f MiB)", Double(main + wal) / 1_048_576,
                      Double(main) / 1_048_576, Double(wal) / 1_048_576)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A count that tasks add to.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    var count: Int { lock.withLock { total } }
    func add() { lock.withLock { total += 1 } }

    /// Adds one; the new count.
    func increment() -> Int { lock.withLock { total += 1; return total } }
}

/// Latencies that concurrent tasks record.
final class LatencyCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = LatencySample()

    var sample: LatencySample { lock.withLock { collected } }
    func record(_ milliseconds: Double) { lock.withLock { collected.record(milliseconds) } }
}

/// Counts the drivers that have loaded their run and made its first decisions.
final class LoadCounter: RunObserver, @unchecked Sendable {
    // A lock (the tally's), not an actor: the observer is called synchronously from drivers.
    private let tally = Tally()

    var count: Int { tally.count }

    func loaded(_ events: [Event], machine: RunMachine) {
        tally.add()
    }

    func committed(_ events: [Event], machine: RunMachine) {}
}
