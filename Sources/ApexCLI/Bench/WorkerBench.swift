import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// The measurements of `apex bench engine` that need `apex worker` processes on a shared
/// store (PostgreSQL): each process is this executable, on a namespace of its own.
struct WorkerBench {
    /// The store's URL as given to `--db` (the workers read it from their environment, so that
    /// it appears on no command line).
    let url: String
    /// Opens the store of a namespace (the bench's own, so that counts are its runs only).
    let open: @Sendable (String) async throws -> any RunStore
    let console: Console
    let prefix = "bench-\(getpid())"

    func report(_ line: String) {
        console.output.writeLine(line)
    }

    /// Completed one-step runs per second: `starters` tasks start runs (detached) for `seconds`
    /// while `processes` workers drive them; the clock stops when the last run completes.
    func throughput(processes: Int, starters: Int, seconds: Double) async throws {
        let namespace = "\(prefix)-w\(processes)"
        let store = try await open(namespace)
        let engine = Self.engine(store)
        let workers = try (0..<processes).map { _ in try WorkerProcess(url: url, namespace: namespace) }
        defer { for worker in workers { worker.stop() } }
        try await Task.sleep(for: .milliseconds(500))  // the workers connect and listen
        let workflow = try BenchWorkflow.oneStep()
        let begin = DispatchTime.now().uptimeNanoseconds
        let started = try await EngineBench.repeatFor(seconds: seconds, tasks: starters) {
            _ = try await engine.start(plan: workflow.plan, source: workflow.source, path: workflow.path, input: [:])
        }
        try await waitUntilNoneRunning(store, timeout: 120)
        let elapsed = LatencySample.elapsed(since: begin) / 1000
        let completed = try await store.runs(RunFilter(status: .completed, limit: started + 1)).count
        report(String(format: "throughput, %d worker process%@, %d starters (start, claim, drive a 1-step run): %.0f runs/s (%d of %d runs completed in %.1f s)",
                      processes, processes == 1 ? "" : "es", starters, Double(completed) / elapsed, completed, started, elapsed))
    }

    /// How long after a signal is stored a worker's driver consumes it, for runs that wait with
    /// no process holding them: SignalReceived's time to SignalConsumed's, from the histories.
    func signalWakeUp(runs: Int) async throws {
        let namespace = "\(prefix)-wake"
        let store = try await open(namespace)
        let engine = Self.engine(store)
        let worker = try WorkerProcess(url: url, namespace: namespace)
        defer { worker.stop() }
        let workflow = try BenchWorkflow.waitSignal()
        var ids: [String] = []
        for _ in 0..<runs {
            ids.append(try await engine.start(plan: workflow.plan, source: workflow.source, path: workflow.path, input: [:]).runID)
        }
        // The worker drives each to its wait and releases it.
        try await Task.sleep(for: .seconds(3))
        for id in ids {
            _ = try await engine.signal(runID: id, name: "go", payload: .null)
            try await Task.sleep(for: .milliseconds(20))
        }
        try await waitUntilNoneRunning(store, timeout: 60)
        var sample = LatencySample()
        for id in ids {
            let events = try await store.events(runID: id, after: 0)
            guard let sent = events.first(where: { $0.kind.type == "SignalReceived" })?.at,
                  let consumed = events.first(where: { $0.kind.type == "SignalConsumed" })?.at else { continue }
            sample.record(Double(consumed.milliseconds - sent.milliseconds))
        }
        report("wake-up after a signal (stored → consumed by a worker's driver; millisecond timestamps): \(sample.summary(of: "signals"))")
    }

    private func waitUntilNoneRunning(_ store: any RunStore, timeout: Double) async throws {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1_000_000_000)
        while try await !store.runs(RunFilter(status: .running, limit: 1)).isEmpty {
            guard DispatchTime.now().uptimeNanoseconds < deadline else { throw BenchFailure("runs still running after \(Int(timeout)) s") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// An engine that only starts runs and sends signals (the workers drive them).
    private static func engine(_ store: any RunStore) -> Engine {
        Engine(store: store, executor: NotAnExecutor(), configuration: EngineConfiguration(workerID: "bench-starter-\(getpid())"))
    }
}

/// An executor for an engine that never drives a run.
private struct NotAnExecutor: ActivityExecutor {
    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        .failed(RunError(type: "bench", message: "the bench's starter drives nothing"), retryAfter: nil)
    }
}

/// `apex worker` as a child process on the bench's store, stopped (SIGTERM, then waited for)
/// with the bench.
final class WorkerProcess: @unchecked Sendable {
    private let process: Process

    init(url: String, namespace: String) throws {
        process = try ChildApex.start(["worker", "-n", namespace, "--mock-llm", "--max-runs", "1000", "--concurrency", "200"],
                                      environment: ["APEX_DATABASE_URL": url, "LOG_LEVEL": "ERROR"])
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
