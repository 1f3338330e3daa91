import ApexDSL
import Foundation

/// Tells an engine's drivers of events appended from outside them (signals, cancellations):
/// one per ``Engine``, one store query per poll interval for all of its drivers. It also keeps
/// their leases: one ``RunStore/renewLeases(owner:runIDs:until:)`` per third of a lease for
/// every run the engine drives, instead of one write per driver.
///
/// A driver registers its run when it starts driving and unregisters when it stops. While at
/// least one is registered, one task asks the store every `pollInterval` which runs this
/// engine leases have news (``RunStore/runsWithNews(owner:)``) and wakes exactly their
/// drivers; with none registered, no task runs. ``Engine/signal(runID:name:payload:)`` and
/// ``Engine/cancel(runID:reason:)`` wake a local driver at once, without waiting for the poll.
///
/// A run keeps being reported until its driver appends, and a signal no step waits for yet
/// produces no append: each registration remembers the last seq it was woken for and is
/// woken again only when the run's last seq has grown past it.
///
/// A lock rather than an actor: drivers register and unregister from synchronous code (a
/// `defer`), and waking a driver posts to its ``Inbox`` with no hop in between.
final class NewsWatcher: @unchecked Sendable {
    /// One driver's registration, returned by ``register(runID:wake:)``.
    struct Registration: Sendable {
        let runID: String
        let token: Int
    }

    private struct Driver {
        let wake: @Sendable () -> Void
        /// The run's last seq when this driver was last woken (nil: never).
        var wokenFor: Int?
    }

    private let store: any RunStore
    private let clock: any EngineClock
    private let owner: String
    private let intervalMilliseconds: Int64
    private let leaseDuration: Duration
    private let lock = NSLock()
    /// The registered drivers by run, then by token (one run may have two drivers in this
    /// process: the same worker id holds the lease for both).
    private var drivers: [String: [Int: Driver]] = [:]
    private var nextToken = 0
    /// The polling task, while any driver is registered.
    private var polling: Task<Void, Never>?
    /// Identifies the current polling task, so that a stopped one cannot clear its successor.
    private var generation = 0

    init(store: any RunStore, clock: any EngineClock, owner: String, interval: Duration, leaseDuration: Duration) {
        self.store = store
        self.clock = clock
        self.owner = owner
        self.intervalMilliseconds = max(1, interval.milliseconds)
        self.leaseDuration = leaseDuration
    }

    /// How many runs have a driver in this process now.
    var runCount: Int { lock.withLock { drivers.count } }

    /// Registers a driver of `runID`, woken through `wake` when the run has news; starts
    /// polling if nothing else is registered. Register before reading the run's history:
    /// what is appended after the read is then reported, and what was appended before it is
    /// in it.
    func register(runID: String, wake: @escaping @Sendable () -> Void) -> Registration {
        lock.withLock {
            nextToken += 1
            drivers[runID, default: [:]][nextToken] = Driver(wake: wake)
            if polling == nil {
                generation += 1
                let current = generation
                polling = Task { await self.poll(generation: current) }
            }
            return Registration(runID: runID, token: nextToken)
        }
    }

    /// Forgets a driver; stops polling when it was the last.
    func unregister(_ registration: Registration) {
        let stopped: Task<Void, Never>? = lock.withLock {
            drivers[registration.runID]?[registration.token] = nil
            if drivers[registration.runID]?.isEmpty == true { drivers[registration.runID] = nil }
            guard drivers.isEmpty, let task = polling else { return nil }
            polling = nil
            generation += 1
            return task
        }
        stopped?.cancel()
    }

    /// Wakes this process's drivers of `runID` for an event at `seq` appended here (a signal
    /// or cancellation sent through this engine), without waiting for the next poll.
    func notify(runID: String, seq: Int) {
        deliver([RunNews(runID: runID, lastSeq: seq)])
    }

    /// Wakes every driver (a worker starts draining: each looks at the drain flag).
    func wakeAll() {
        let wakes = lock.withLock { drivers.values.flatMap { $0.values.map(\.wake) } }
        for wake in wakes { wake() }
    }

    /// Whether a driver of `runID` is registered (for tests).
    func isWatching(_ runID: String) -> Bool {
        lock.withLock { drivers[runID] != nil }
    }

    /// Whether the polling task runs (for tests).
    var isPolling: Bool {
        lock.withLock { polling != nil }
    }

    private func poll(generation: Int) async {
        var failing = false
        let renewEvery = max(1, leaseDuration.milliseconds / 3)
        // The drivers took their leases just before registering.
        var renewedAt = clock.now()
        var askedAt = clock.now()
        while true {
            let untilRenewal = renewedAt.milliseconds + renewEvery - clock.now().milliseconds
            let untilAsking = askedAt.milliseconds + intervalMilliseconds - clock.now().milliseconds
            guard (try? await clock.sleep(for: Duration(milliseconds: max(1, min(untilAsking, untilRenewal))))) != nil else { return }
            guard lock.withLock({ generation == self.generation }) else { return }
            if clock.now().milliseconds - renewedAt.milliseconds >= renewEvery {
                renewedAt = clock.now()
                await renewLeases()
            }
            guard clock.now().milliseconds - askedAt.milliseconds >= intervalMilliseconds else { continue }
            askedAt = clock.now()
            do {
                deliver(try await store.runsWithNews(owner: owner))
                if failing { EngineLog.logger.info("reading news of the runs this process drives works again") }
                failing = false
            } catch {
                // Stopped while asking (its last driver left): not an outage.
                if Task.isCancelled || error is CancellationError { return }
                // Asked again at the next interval; a store that stays broken fails the drivers
                // themselves at their next commit or lease renewal. Logged once per outage.
                if !failing { EngineLog.logger.warning("reading news of the runs this process drives failed: \(error) (asked again every \(intervalMilliseconds) ms)") }
                failing = true
            }
        }
    }

    /// Extends the lease of every run a driver of this engine holds. A lease it no longer
    /// holds (taken over while this process was paused) is not extended: that driver's next
    /// append is refused (fencing) and it stops. A failure is logged and tried again at the
    /// next renewal, within the lease.
    private func renewLeases() async {
        let runs = lock.withLock { Array(drivers.keys) }
        guard !runs.isEmpty else { return }
        do {
            _ = try await store.renewLeases(owner: owner, runIDs: runs, until: clock.now().adding(leaseDuration))
        } catch {
            if Task.isCancelled || error is CancellationError { return }
            EngineLog.logger.warning("renewing the leases of \(runs.count) run(s) failed: \(error) (tried again in \(leaseDuration.milliseconds / 3) ms)")
        }
    }

    /// Wakes the drivers for which `news` is new.
    private func deliver(_ news: [RunNews]) {
        let wakes: [@Sendable () -> Void] = lock.withLock {
            var wakes: [@Sendable () -> Void] = []
            for item in news {
                guard var registered = drivers[item.runID] else { continue }
                for (token, driver) in registered where driver.wokenFor.map({ item.lastSeq > $0 }) ?? true {
                    registered[token]?.wokenFor = item.lastSeq
                    wakes.append(driver.wake)
                }
                drivers[item.runID] = registered
            }
            return wakes
        }
        // Outside the lock: a wake resumes a waiting driver.
        for wake in wakes { wake() }
    }
}
