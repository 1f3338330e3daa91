import ApexDSL
import Foundation
import Logging

extension Engine {
    /// How a worker behaves.
    public struct WorkerOptions: Sendable {
        /// How many runs it drives (holds in memory) at once.
        public var maxRuns: Int
        /// The queues whose runs it claims.
        public var taskQueues: [String]
        /// How often it asks a store that cannot notify (SQLite) for runs to claim while it has room.
        public var pollInterval: Duration
        /// How often it asks a store that notifies (PostgreSQL) anyway, in case a notification
        /// was lost (the listening connection dropped).
        public var safetyInterval: Duration
        /// How long, once stopped, it lets attempts in flight finish before it cancels them.
        public var drainTimeout: Duration
        /// How long it leaves alone a run it lacks something for (a provider's key), so that it
        /// claims such a run a few times a minute at most instead of spinning on it.
        public var deferMissing: Duration

        public init(maxRuns: Int, taskQueues: [String] = [TaskQueue.defaultName], pollInterval: Duration = Duration(milliseconds: 100),
                    safetyInterval: Duration = .seconds(2), drainTimeout: Duration = .seconds(30), deferMissing: Duration = .seconds(30)) {
            self.maxRuns = maxRuns
            self.taskQueues = taskQueues
            self.pollInterval = pollInterval
            self.safetyInterval = safetyInterval
            self.drainTimeout = drainTimeout
            self.deferMissing = deferMissing
        }
    }

    /// Drives every run of its queues it can claim (new runs, due timers, new signals, runs
    /// whose driver died), at most `options.maxRuns` at once, until `isStopped` says so or
    /// its task is cancelled.
    ///
    /// Between claims it sleeps until the next run becomes claimable (``RunStore/nextClaimableAt(now:taskQueues:)``),
    /// woken early by the store's ``RunStore/changes()`` (a new run, a signal, a released
    /// run) and by a driver ending while it was full; a store that cannot notify is asked
    /// every `pollInterval` instead.
    ///
    /// Once stopped, it drains: it claims nothing more, its drivers start no new attempt and
    /// hand each run over (its lease expires at once, so another worker takes it now) as soon
    /// as its attempts in flight have finished; attempts still running after `drainTimeout`
    /// are cancelled and their runs handed over too. It returns when every driver has ended.
    ///
    /// A run this process lacks something for (``missingRequirements(forRun:)``) is not driven:
    /// it is logged once and left to a worker that has it. Store errors are logged and the
    /// claim is tried again at the next poll. `report` is told of each run that finishes.
    public func runWorker(_ options: WorkerOptions, isStopped: @escaping @Sendable () -> Bool,
                          report: @escaping @Sendable (String) -> Void = { _ in }) async {
        let state = WorkerState()
        let listening = store.changes().map { changes in
            Task {
                for await change in changes where options.taskQueues.contains(change.taskQueue) { state.wake() }
            }
        }
        // Runs started, signalled or cancelled through this engine (a server's API) are claimed
        // at once, on any store.
        let local = Task { [commits] in
            for await commit in commits.subscribe() where commit.kind != .appended { state.wake() }
        }
        defer {
            listening?.cancel()
            local.cancel()
        }
        await withDiscardingTaskGroup { group in
            // A cancelled task stops as a stopped worker does (drains), rather than spinning on
            // claims that fail at once.
            while !isStopped(), !Task.isCancelled {
                var deadline = clock.now().adding(listening == nil ? options.pollInterval : options.safetyInterval)
                do {
                    let full = try await claim(options, state: state, group: &group, report: report)
                    if listening != nil, !full, let next = try await store.nextClaimableAt(now: clock.now(), taskQueues: options.taskQueues) {
                        deadline = min(deadline, next)
                    }
                } catch where Task.isCancelled {
                    // Stopping with its task (a server that could not start): the claim was
                    // cancelled, not failed, and the loop ends.
                } catch {
                    EngineLog.logger.error("looking for runs to claim failed: \(error)")
                }
                await state.sleep(until: deadline, clock: clock, isStopped: isStopped)
            }
            await drain(options, state: state, group: &group)
        }
        for id in state.cancelledRuns {
            try? await handOver(id)
        }
    }

    /// Claims runs for the free slots and drives each in its own task. True when it is full.
    private func claim(_ options: WorkerOptions, state: WorkerState, group: inout DiscardingTaskGroup,
                       report: @escaping @Sendable (String) -> Void) async throws -> Bool {
        let free = options.maxRuns - state.activeCount
        guard free > 0 else { return true }
        let now = clock.now()
        let claimed = try await store.claimRuns(owner: configuration.workerID, until: now.adding(configuration.leaseDuration), now: now,
                                                limit: free, taskQueues: options.taskQueues, excluding: state.deferred(at: now))
        for id in claimed where state.begin(id) {
            group.addTask { await self.workOn(id, options: options, state: state, report: report) }
        }
        // A full batch: more may be waiting; look again at once.
        if claimed.count == free { state.wake() }
        return claimed.count == free
    }

    /// Stops the drivers: at once where nothing runs, after their attempts in flight finish
    /// otherwise, and after `drainTimeout` by cancellation.
    private func drain(_ options: WorkerOptions, state: WorkerState, group: inout DiscardingTaskGroup) async {
        drain.set()
        news.wakeAll()
        EngineLog.logger.info("draining: \(state.activeCount) run(s) finish their attempts in flight (at most \(options.drainTimeout))")
        let deadline = clock.now().adding(options.drainTimeout)
        while state.activeCount > 0, clock.now() < deadline, !Task.isCancelled {
            try? await clock.sleep(for: Duration(milliseconds: 20))
        }
        let left = state.active
        if !left.isEmpty {
            EngineLog.logger.warning("drain timeout: cancelling the attempts of \(left.count) run(s); their runs are handed over")
            state.markCancelled(left)
            group.cancelAll()
        }
    }

    /// Gives a run to the next claimer at once (a worker draining): the lease stays this
    /// engine's, so fencing still holds, but has expired, which makes the run claimable now.
    func handOver(_ id: String) async throws {
        let now = clock.now()
        _ = try await store.acquireLease(runID: id, owner: configuration.workerID, until: Timestamp(milliseconds: now.milliseconds - 1), now: now)
    }

    private func workOn(_ id: String, options: WorkerOptions, state: WorkerState, report: @Sendable (String) -> Void) async {
        defer { state.end(id) }
        do {
            guard let record = try await store.run(id: id) else { return }
            let missing = try await missingRequirements(forRun: record)
            guard missing.isEmpty else {
                // Released at once, so that a worker that has what it needs takes it now.
                try await store.releaseLease(runID: id, owner: configuration.workerID)
                if state.deferMissing(id, until: clock.now().adding(options.deferMissing)) {
                    EngineLog.logger.warning("run \(id) left to a worker that has what it needs: \(missing.joined(separator: "; "))")
                }
                return
            }
            if case .finished(let finished) = try await driveClaimed(record) {
                report("run \(id) \(finished.status.rawValue)")
            }
        } catch EngineError.runBusy {
            // Another process holds the run: it took it first, or took it over while this one
            // was paused past its lease (whose late writes the store then refused).
            EngineLog.logger.notice("run \(id): another process drives it now; this worker writes nothing more to it")
        } catch is CancellationError {
            // Drained past the timeout: handed over by the worker.
        } catch {
            if Task.isCancelled { return }
            EngineLog.logger.error("run \(id): \(error)")
        }
    }
}

/// The runs a worker drives now and those it leaves alone for a while.
private final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var running = Set<String>()
    private var deferred: [String: Timestamp] = [:]
    /// Runs already logged as missing something: logged once per run.
    private var logged = Set<String>()
    /// Runs whose drivers a drain cancelled, to hand over once they have ended.
    private var cancelled = Set<String>()
    /// Set when something may have become claimable (a change, a slot freed while full).
    private var woken = false

    var activeCount: Int { lock.withLock { running.count } }
    var active: Set<String> { lock.withLock { running } }
    var cancelledRuns: Set<String> { lock.withLock { cancelled } }

    func begin(_ id: String) -> Bool { lock.withLock { running.insert(id).inserted } }

    func end(_ id: String) {
        lock.withLock {
            running.remove(id)
            woken = true
        }
    }

    func markCancelled(_ ids: Set<String>) { lock.withLock { cancelled.formUnion(ids) } }

    func wake() { lock.withLock { woken = true } }

    /// Sleeps until `deadline`, until woken, or until stopped, looking every 20 ms (waking is
    /// a flag: a notification or a driver's end sets it from any task, a signal handler stops).
    func sleep(until deadline: Timestamp, clock: any EngineClock, isStopped: () -> Bool) async {
        while clock.now() < deadline, !isStopped() {
            if lock.withLock({ () -> Bool in defer { woken = false }; return woken }) { return }
            let step = min(20, deadline.milliseconds - clock.now().milliseconds)
            guard step > 0, (try? await clock.sleep(for: Duration(milliseconds: step))) != nil else { return }
        }
    }

    /// The runs deferred now, which claims leave out.
    func deferred(at now: Timestamp) -> Set<String> {
        lock.withLock {
            deferred = deferred.filter { $0.value > now }
            return Set(deferred.keys)
        }
    }

    /// Defers `id`; true the first time, when it should be logged.
    func deferMissing(_ id: String, until: Timestamp) -> Bool {
        lock.withLock {
            deferred[id] = until
            return logged.insert(id).inserted
        }
    }
}
