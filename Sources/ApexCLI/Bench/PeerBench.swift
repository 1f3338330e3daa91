import ApexDSL
import ApexEngine
import Foundation
import OrderedCollections

/// The scenarios the peers (the Temporal dev server, DBOS) were measured on, in their shapes,
/// so that `scripts/bench-peers.sh` can set Apex's figures beside theirs: docs/benchmarks.md.
/// Each scenario prints one line and, with a JSON sink, writes one JSON line with the keys
/// the peer drivers use (`test`, `p50_ms`, `time_to_start_all_s`, …).
///
/// Where the peers run a no-op activity, Apex runs a mock `llm` step: an activity with a
/// recorded attempt, its result committed before the run goes on, and no network.
struct PeerBench {
    /// How many of each; ``full`` are the peers' sizes.
    struct Sizes {
        var startWarmUp = 50, starts = 500
        var endToEndWarmUp = 50, endToEnd = 200
        var activities = 200, activityRepetitions = 3
        var timers = [1000], timerSeconds = 10
        var throughputRuns = 1000, starters = 50
        var crashSteps = 20, crashStepSeconds = 0.3

        static let full = Sizes()
        /// A smoke run of about 20 s (`scripts/bench-peers.sh --quick` gives the peers the same).
        static let quick = Sizes(startWarmUp: 10, starts: 50, endToEndWarmUp: 10, endToEnd: 30, activities: 50, activityRepetitions: 1,
                                 timers: [200], throughputRuns: 200, crashSteps: 8, crashStepSeconds: 0.2)
    }

    let store: any RunStore
    /// How a child `apex` process reaches the store (the crash scenario).
    let childStore: ChildStore
    /// `apex-sqlite` or `apex-pg`: the column of the comparison.
    let config: String
    let sizes: Sizes
    let console: Console
    let jsonSink: FileHandle?

    /// A bench with an engine of its own, one per scenario.
    private var bench: EngineBench { EngineBench(store: store, console: console) }

    /// The throughput before the timers: a process keeps the memory the 10,000 sleeping runs
    /// took, which would count in the throughput's peak RSS otherwise.
    func runAll() async throws {
        try await startLatency()
        try await endToEnd()
        try await perActivity()
        try await throughput()
        for runs in sizes.timers { try await timers(runs: runs) }
        try await crashRecovery()
    }

    // MARK: - Scenarios

    /// a. Sequential starts of a no-op run: `RunStarted` and the first decisions committed.
    /// A run of one `set` step has ended by then (its decisions need no activity), so no
    /// worker is needed to complete it, unlike the peers' no-op workflows.
    func startLatency() async throws {
        let bench = bench
        let workflow = try BenchWorkflow.oneStep()
        var sample = LatencySample()
        for index in 0..<(sizes.startWarmUp + sizes.starts) {
            let begin = DispatchTime.now().uptimeNanoseconds
            let runID = try await bench.start(workflow)
            if index >= sizes.startWarmUp { sample.record(LatencySample.elapsed(since: begin)) }
            if index == 0, try await store.run(id: runID)?.status != .completed {
                throw BenchFailure("a one-step run was not complete once started")
            }
        }
        emit("a. start latency, sequential (\(sizes.startWarmUp) warm-up + \(sizes.starts)): \(sample.summary)",
             ["test": "a_start_latency"], sample.peerJSON)
    }

    /// b. Start to result of a run of one activity, sequential.
    func endToEnd() async throws {
        let workflow = try BenchWorkflow.llmChain(1)
        let bench = bench
        var sample = LatencySample()
        for index in 0..<(sizes.endToEndWarmUp + sizes.endToEnd) {
            let begin = DispatchTime.now().uptimeNanoseconds
            try await bench.run(workflow)
            if index >= sizes.endToEndWarmUp { sample.record(LatencySample.elapsed(since: begin)) }
        }
        emit("b. end to end of a one-activity run, sequential (\(sizes.endToEndWarmUp) warm-up + \(sizes.endToEnd)): \(sample.summary)",
             ["test": "b_e2e_1activity"], sample.peerJSON)
    }

    /// c. One run of `activities` sequential activities: wall time and CPU time per activity.
    func perActivity() async throws {
        let bench = bench
        try await bench.run(try BenchWorkflow.llmChain(10))  // warm-up
        let workflow = try BenchWorkflow.llmChain(sizes.activities)
        var each: [Double] = []
        let cpuBefore = ProcessMemory.cpuSeconds()
        for _ in 0..<sizes.activityRepetitions {
            let begin = DispatchTime.now().uptimeNanoseconds
            try await bench.run(workflow)
            each.append(LatencySample.elapsed(since: begin) / Double(sizes.activities))
        }
        let cpu = (ProcessMemory.cpuSeconds() - cpuBefore) * 1000 / Double(sizes.activities * sizes.activityRepetitions)
        let median = each.sorted()[each.count / 2]
        emit(String(format: "c. per activity, one run of %d sequential activities: %.3f ms (median of %d; CPU %.3f ms per activity)",
                    sizes.activities, median, each.count, cpu),
             ["test": "c_per_activity", "steps": .int(sizes.activities), "reps": .int(sizes.activityRepetitions),
              "per_activity_ms_each_rep": .array(each.map { .double($0.rounded(places: 3)) }),
              "per_activity_ms_median": .double(median.rounded(places: 3)), "cpu_ms_per_activity_apex": .double(cpu.rounded(places: 3))])
    }

    /// d. `runs` runs sleeping on a durable timer, 50 starters, one worker (``TimerScenario``).
    func timers(runs: Int) async throws {
        let outcome = try await TimerScenario(store: store, runs: runs, starters: sizes.starters, sleepSeconds: sizes.timerSeconds).run()
        let peak = outcome.peakBytes.map { Double($0) / 1_048_576 } ?? 0
        emit(String(format: "d. %d runs sleeping %d s, %d starters: all started in %.2f s, all completed %.2f s after the first start, peak RSS %.0f MiB",
                    runs, sizes.timerSeconds, sizes.starters, outcome.startedSeconds, outcome.completedSeconds, peak),
             ["test": "d_concurrency_timers", "n": .int(runs), "sleep_s": .int(sizes.timerSeconds), "starters": .int(sizes.starters),
              "start_errors": 0, "time_to_start_all_s": .double(outcome.startedSeconds.rounded(places: 2)),
              "time_until_all_completed_s": .double(outcome.completedSeconds.rounded(places: 2)), "completed": .int(outcome.completed),
              "peak_rss_sum_mb": .double(peak.rounded(places: 1)), "peak_rss_apex_mb": .double(peak.rounded(places: 1))])
    }

    /// e. `throughputRuns` one-activity runs, each started and driven to its result by one of
    /// `starters` concurrent starters (as `apex run` does), after one warm-up run per starter.
    func throughput() async throws {
        let workflow = try BenchWorkflow.llmChain(1)
        let (bench, runs, starters) = (bench, sizes.throughputRuns, sizes.starters)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<starters { group.addTask { try await bench.run(workflow) } }
            try await group.waitForAll()
        }
        let taken = Tally()
        let latencies = LatencyCollector()
        let memory = PeakMemorySampler()
        let begin = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<starters {
                group.addTask {
                    while taken.increment() <= runs {
                        let start = DispatchTime.now().uptimeNanoseconds
                        try await bench.run(workflow)
                        latencies.record(LatencySample.elapsed(since: start))
                    }
                }
            }
            try await group.waitForAll()
        }
        let wall = LatencySample.elapsed(since: begin) / 1000
        let peak = (memory.stop().map { Double($0) / 1_048_576 } ?? 0).rounded(places: 1)
        let sample = latencies.sample
        emit(String(format: "e. throughput, %d one-activity runs, %d starters waiting for the result: %.0f runs/s (%.2f s; latency %@), peak RSS %.0f MiB",
                    runs, starters, Double(runs) / wall, wall, sample.summary, peak),
             ["test": "e_throughput", "n": .int(runs), "starters": .int(starters), "wall_s": .double(wall.rounded(places: 2)),
              "wf_per_s": .double((Double(runs) / wall).rounded(places: 1)), "errors": 0, "latency": .object(sample.peerJSON),
              "peak_rss_sum_mb": .double(peak), "peak_rss_apex_mb": .double(peak)])
    }

    /// f. ``CrashScenario``: `apex run` SIGKILLed once step `crashSteps / 2` has started, then
    /// `apex resume`.
    func crashRecovery() async throws {
        let scenario = CrashScenario(store: childStore, steps: sizes.crashSteps, stepSeconds: sizes.crashStepSeconds)
        let outcome = try await scenario.run()
        let again = outcome.executionsPerStep.filter { $0.value > 1 }
        let repeated = again.isEmpty ? "none" : again.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        emit(String(format: "f. crash: %d steps of %.1f s, SIGKILL once step %d started, apex resume: result %.2f s after the kill; %d step executions, run again: %@",
                    sizes.crashSteps, sizes.crashStepSeconds, scenario.killAfter, outcome.killToResult, outcome.totalExecutions, repeated),
             ["test": "f_crash_recovery", "steps": .int(sizes.crashSteps), "step_sleep_s": .double(sizes.crashStepSeconds),
              "killed_after_step_starts": .int(scenario.killAfter), "total_step_executions": .int(outcome.totalExecutions),
              "steps_executed_more_than_once": .object(OrderedDictionary(uniqueKeysWithValues: again.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
              "kill_to_result_s": .double(outcome.killToResult.rounded(places: 2))])
    }

    // MARK: - Output

    /// Prints `line`; writes `fields` (then `more`) as one JSON line to the sink.
    private func emit(_ line: String, _ fields: OrderedDictionary<String, JSONValue>, _ more: OrderedDictionary<String, JSONValue> = [:]) {
        console.output.writeLine(line)
        guard let jsonSink else { return }
        var record: OrderedDictionary<String, JSONValue> = ["system": "apex", "config": .string(config),
                                                            "ts": .string(ISO8601DateFormatter().string(from: Date()))]
        record.merge(fields) { _, new in new }
        record.merge(more) { _, new in new }
        jsonSink.write(Data((JSONValue.object(record).compactJSON + "\n").utf8))
    }
}

extension LatencySample {
    /// The peer drivers' summary keys.
    var peerJSON: OrderedDictionary<String, JSONValue> {
        ["n": .int(milliseconds.count), "p50_ms": .double(percentile(0.5).rounded(places: 3)),
         "p95_ms": .double(percentile(0.95).rounded(places: 3)), "p99_ms": .double(percentile(0.99).rounded(places: 3)),
         "min_ms": .double((milliseconds.min() ?? 0).rounded(places: 3)), "max_ms": .double((milliseconds.max() ?? 0).rounded(places: 3))]
    }
}

extension Double {
    func rounded(places: Int) -> Double {
        let scale = Foundation.pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
