import ApexDSL
import Foundation
import Logging

extension Engine {
    /// How a worker behaves.
    public struct WorkerOptions: Sendable {
        /// How many runs it drives at once.
        public var concurrency: Int
        /// The queues whose runs it claims.
        public var taskQueues: [String]
        /// How often it asks the store for runs to claim while it has room.
        public var pollInterval: Duration
        /// How long it leaves alone a run it lacks something for (a provider's key), so that it
        /// claims such a run a few times a minute at most instead of spinning on it.
        public var deferMissing: Duration

        public init(concurrency: Int, taskQueues: [String] = [TaskQueue.defaultName], pollInterval: Duration = Duration(milliseconds: 100), deferMissing: Duration = .seconds(30)) {
            self.concurrency = concurrency
            self.taskQueues = taskQueues
            self.pollInterval = pollInterval
            self.deferMissing = deferMissing
        }
    }

    /// Drives every run it can claim (due timers, new signals, runs whose driver died), at
    /// most `options.concurrency` at once, until `isStopped` says so; then lets its drivers
    /// reach a safe point (runs that only wait are released at once) and returns.
    ///
    /// A run this process lacks something for (``missingRequirements(forRun:)``) is not driven:
    /// it is logged once and left to a worker that has it. Store errors are logged and the
    /// claim is tried again at the next poll. `report` is told of each run that finishes.
    public func runWorker(_ options: WorkerOptions, isStopped: @escaping @Sendable () -> Bool,
                          report: @escaping @Sendable (String) -> Void = { _ in }) async {
        let state = WorkerState()
        let logger = EngineLog.logger
        await withDiscardingTaskGroup { group in
            while !isStopped() {
                let free = options.concurrency - state.activeCount
                if free > 0 {
                    do {
                        let now = clock.now()
                        let claimed = try await store.claimRuns(owner: configuration.workerID, until: now.adding(configuration.leaseDuration), now: now,
                                                                limit: free, taskQueues: options.taskQueues, excluding: state.deferred(at: now))
                        for id in claimed where state.begin(id) {
                            group.addTask { await self.workOn(id, options: options, state: state, report: report) }
                        }
                    } catch {
                        logger.error("looking for runs to claim failed: \(error)")
                    }
                }
                if isStopped() { break }
                try? await clock.sleep(for: options.pollInterval)
            }
            logger.info("stopping: waiting for \(state.activeCount) run(s) to reach a safe point")
        }
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
            if case .finished(let finished) = try await drive(runID: id, untilFinished: false, waitForLease: false) {
                report("run \(id) \(finished.status.rawValue)")
            }
        } catch EngineError.runBusy {
            // Another worker took it first.
        } catch {
            EngineLog.logger.error("run \(id): \(error)")
        }
    }
}

/// The runs a worker drives now and those it leaves alone for a while.
private final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var active = Set<String>()
    private var deferred: [String: Timestamp] = [:]
    /// Runs already logged as missing something: logged once per run.
    private var logged = Set<String>()

    var activeCount: Int { lock.withLock { active.count } }

    func begin(_ id: String) -> Bool { lock.withLock { active.insert(id).inserted } }
    func end(_ id: String) { lock.withLock { _ = active.remove(id) } }

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
