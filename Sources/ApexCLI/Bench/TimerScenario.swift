import ApexEngine
import Foundation

/// The peers' timer scenario: `runs` runs each sleeping `sleepSeconds` on a durable timer,
/// started by `starters` concurrent starters and driven by one worker in this process. It
/// measures the time to start them all, the time until the last one completed (from the
/// first start), and the peak RSS meanwhile.
struct TimerScenario {
    struct Outcome {
        var startedSeconds: Double
        var completedSeconds: Double
        var completed: Int
        var peakBytes: Int?
    }

    let store: any RunStore
    let runs: Int
    let starters: Int
    let sleepSeconds: Int

    func run() async throws -> Outcome {
        let workflow = try BenchWorkflow.sleep(seconds: sleepSeconds)
        let definition = workflow.definition
        let worker = BenchWorker(store: store, name: "timers-\(runs)", maxRuns: runs)
        let memory = PeakMemorySampler()
        let (runs, starters) = (runs, starters)
        let begin = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for starter in 0..<starters {
                group.addTask {
                    for _ in stride(from: starter, to: runs, by: starters) { try await worker.start(definition) }
                }
            }
            try await group.waitForAll()
        }
        let started = LatencySample.elapsed(since: begin) / 1000
        let allFinished = try await worker.waitForFinished(runs, seconds: Double(sleepSeconds + 110) - started)
        let completed = LatencySample.elapsed(since: begin) / 1000
        let finished = worker.finishedRuns
        await worker.stop()
        let peak = memory.stop()
        guard allFinished else { throw BenchFailure("only \(finished) of \(runs) sleeping runs completed in \(sleepSeconds + 110) s") }
        return Outcome(startedSeconds: started, completedSeconds: completed, completed: finished, peakBytes: peak)
    }
}
