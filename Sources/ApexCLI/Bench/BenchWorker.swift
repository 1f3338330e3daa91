import ApexEngine
import Foundation

/// A worker in this process that drives the runs of one task queue of its own (so that it
/// drives a scenario's runs only), on an engine of its own: a worker that has stopped leaves
/// its engine drained.
final class BenchWorker: Sendable {
    let engine: Engine
    let queue: String
    private let finished = Tally()
    private let stopped = AtomicFlag()
    private let task: Task<Void, Never>

    init(store: any RunStore, name: String, maxRuns: Int) {
        queue = "bench-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        let engine = EngineBench.engine(on: store, workerID: queue)
        self.engine = engine
        let (queue, finished, stopped) = (queue, finished, stopped)
        task = Task {
            await engine.runWorker(Engine.WorkerOptions(maxRuns: maxRuns, taskQueues: [queue]), isStopped: { stopped.isSet }) { _ in finished.add() }
        }
    }

    /// Runs of the queue that have ended.
    var finishedRuns: Int { finished.count }

    /// Starts a run on the worker's queue.
    func start(_ definition: WorkflowDefinition) async throws {
        _ = try await engine.start(definition, input: [:], taskQueue: queue)
    }

    /// Waits until `runs` runs have ended or `seconds` have passed; whether they all did.
    func waitForFinished(_ runs: Int, seconds: Double) async throws -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1_000_000_000)
        while finished.count < runs, DispatchTime.now().uptimeNanoseconds < deadline {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return finished.count >= runs
    }

    /// Stops the worker and waits for it to drain.
    func stop() async {
        stopped.set()
        await task.value
    }
}
