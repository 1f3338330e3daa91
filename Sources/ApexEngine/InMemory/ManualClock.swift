import ApexDSL
import Foundation

/// An ``EngineClock`` whose time moves only when told to: every wait of an engine on it (an
/// attempt's timeout, a lease retry, a poll, a driver's wait for news) ends when a test or the
/// simulator advances past its deadline, or when its task is cancelled.
public final class ManualClock: EngineClock, @unchecked Sendable {
    private struct Sleeper {
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    // A lock, not an actor: `now()` is called from synchronous code everywhere in the engine.
    private let lock = NSLock()
    private var current: Timestamp
    private var sleepers: [Int: Sleeper] = [:]
    private var nextID = 0

    public init(at start: Timestamp = Timestamp(milliseconds: 1_800_000_000_000)) {
        current = start
    }

    public func now() -> Timestamp { lock.withLock { current } }

    public func sleep(until deadline: Timestamp) async throws {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if deadline <= current || Task.isCancelled {
                    lock.unlock()
                    return Task.isCancelled ? continuation.resume(throwing: CancellationError()) : continuation.resume()
                }
                sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                lock.unlock()
            }
        } onCancel: {
            let sleeper = lock.withLock { sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time to `time` (never backwards) and wakes every sleeper whose deadline has come;
    /// with `waking` false, the sleepers wake at the next advance (so that something can happen
    /// at `time` before what was due then: `apex test` sends a signal due at a timer's instant).
    public func advance(to time: Timestamp, waking: Bool = true) {
        let due: [Sleeper] = lock.withLock {
            if time > current { current = time }
            guard waking else { return [] }
            let due = sleepers.filter { $0.value.deadline <= current }
            for id in due.keys { sleepers[id] = nil }
            return due.sorted { $0.key < $1.key }.map(\.value)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves time on by `duration`.
    public func advance(by duration: Duration) {
        advance(to: now().adding(duration))
    }

    /// The earliest deadline anyone waits for, if anyone waits.
    public var nextDeadline: Timestamp? {
        lock.withLock { sleepers.values.map(\.deadline).min() }
    }

    /// How many waits are pending (for telling when an engine has nothing left to do now).
    public var sleeperCount: Int { lock.withLock { sleepers.count } }
}
