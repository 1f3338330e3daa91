import ApexCompiler
import ApexDSL

/// Drives one run while holding its lease: decides, commits, runs activities, fires timers,
/// notices signals and cancellations, until the run ends (or only waits, in worker mode).
///
///     load ──replay──▶ decide ──commit──▶ start activities ──wait──▶ result / timer due / news
///                        ▲                                                       │
///                        └───────────────────────────────────────────────────────┘
///
/// Rules (docs/machine.md, "Driving a run"): a call starts only after its `StepScheduled` is committed; a result
/// and the decisions it leads to commit in one transaction; the lease is renewed while driving.
public final class RunDriver {
    public enum Outcome: Sendable {
        case finished(RunRecord)
        /// Nothing to do until `wakeAt` (a timer) or a signal; the lease was released.
        case waiting(wakeAt: Timestamp?)
    }

    /// An activity attempt that finished in this process.
    struct Finished: Sendable {
        var request: ActivityRequest
        var result: ActivityResult
    }

    /// A checkpoint an attempt running here asked for (``ActivityProgress/checkpoint(_:)``).
    struct Checkpoint: Sendable {
        var request: ActivityRequest
        var data: JSONValue
        var committed: CheckedContinuation<Void, any Error>
    }

    /// What ends a driver's wait early.
    enum Message: Sendable {
        case finished(Finished)
        /// The run has events from outside to read (a signal, a cancellation): from the
        /// engine's ``NewsWatcher``, at its poll or at once for those sent through this engine.
        case news
        /// An attempt asks for a checkpoint to be committed, and waits for the answer.
        case checkpoint(Checkpoint)
    }

    let engine: Engine
    let plan: Plan
    let runID: String
    let observer: RunObserver?
    var machine: RunMachine
    /// Attempts running in this process, by ``attemptKey(_:)``.
    var running: [String: Task<Void, Never>] = [:]
    /// Whether this driver has appended to the run (which tells the store it has seen it all).
    var hasAppended = false
    /// Attempts whose `StepStarted` this driver committed: only those run here.
    var startedHere: Set<String> = []
    let inbox = Inbox<Message>()
    /// The run's last seq when this driver was made, to size the buffers of loading it.
    let lastSeqWhenCreated: Int

    init(engine: Engine, record: RunRecord, plan: Plan, observer: RunObserver?) {
        self.engine = engine
        self.plan = plan
        self.runID = record.id
        self.lastSeqWhenCreated = record.lastSeq
        self.observer = observer
        self.machine = RunMachine(plan: plan, runID: record.id)
    }

    var store: any RunStore { engine.store }
    var now: Timestamp { engine.clock.now() }

    /// Drives the run; `leaseHeld` when the caller has just leased it (a worker's claim), so
    /// that it is not taken again. Were it lost meanwhile, the fenced appends would tell.
    func drive(untilFinished: Bool, waitForLease: Bool, leaseHeld: Bool = false) async throws -> Outcome {
        if !leaseHeld { try await takeLease(waiting: waitForLease) }
        // Registered before the history is read: what is appended after the read wakes this
        // driver, and what was appended before it is in it, so nothing falls in between.
        let registration = engine.news.register(runID: runID) { [inbox] in inbox.post(.news) }
        defer { engine.news.unregister(registration) }
        defer {
            for task in running.values { task.cancel() }
            // Attempts waiting for a checkpoint to commit learn that it never will.
            for case .checkpoint(let checkpoint) in inbox.drain() { checkpoint.committed.resume(throwing: CancellationError()) }
        }
        let (history, loaded) = try await RunLoader.load(runID: runID, plan: plan, store: store, expectedEvents: lastSeqWhenCreated)
        machine = loaded
        try await recoverInterruptedAttempts(history)
        var first = true
        while true {
            // A driver told to stop (its process is shutting down) stops at once: its waits
            // end on cancellation, so without this it would go round without waiting.
            try Task.checkCancellation()
            if engine.drain.isSet, running.isEmpty {
                // A draining worker: the attempts in flight have finished; the rest is the next worker's.
                try await engine.handOver(runID)
                return .waiting(wakeAt: machine.pendingTimers.first?.fireAt)
            }
            try await commit([])
            if first {
                // After the first decisions, so that a run told "waiting" really waits.
                observer?.loaded(history, machine: machine)
                first = false
            }
            if machine.status.isFinished {
                // The final append gave the lease up; a run that had finished before this
                // driver appended still has the lease the driver took.
                if !hasAppended { try await store.releaseLease(runID: runID, owner: engine.configuration.workerID) }
                guard let record = try await store.run(id: runID) else { throw StoreError.unknownRun(runID) }
                return .finished(record)
            }
            try await startActivities()
            if !untilFinished, running.isEmpty, dueIn() > engine.configuration.leaseDuration.milliseconds {
                // Claimed for attention with nothing to add (a detached run whose start made
                // every decision): it would stay claimable, and be claimed again and again.
                guard try await acknowledgeIfNeeded() else { continue }
                try await store.releaseLease(runID: runID, owner: engine.configuration.workerID)
                return .waiting(wakeAt: machine.pendingTimers.first?.fireAt)
            }
            try await waitForNews()
        }
    }

    /// Milliseconds until the next timer is due (Int64.max when there is none).
    func dueIn() -> Int64 {
        guard let timer = machine.pendingTimers.first else { return .max }
        return timer.fireAt.milliseconds - now.milliseconds
    }

    func attemptKey(_ request: ActivityRequest) -> String {
        "\(request.step)#\(request.visit).\(request.attempt)"
    }
}
