import ApexDSL
import Foundation

/// A mailbox the driver waits on: activity tasks post their results and the engine's
/// ``NewsWatcher`` its wake-ups, and a wait ends early when one arrives. Single consumer.
///
/// A lock rather than an actor: posting then costs no hop to the inbox's executor (an activity
/// that finishes resumes the waiting driver directly), and every step of a run passes here.
final class Inbox<Message: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [Message] = []
    private var waiter: CheckedContinuation<Message?, Never>?
    /// The task that ends the current wait at its time limit; cancelled when a message ends it
    /// first, so that no sleeping task outlives its wait.
    private var timeout: Task<Void, Never>?
    /// Identifies the current wait, so that a stale timeout cannot end a later one.
    private var generation = 0

    func post(_ message: Message) {
        lock.lock()
        guard let waiter else {
            buffer.append(message)
            lock.unlock()
            return
        }
        self.waiter = nil
        let timeout = self.timeout
        self.timeout = nil
        lock.unlock()
        timeout?.cancel()
        waiter.resume(returning: message)
    }

    /// The next message, or nil once `deadline` has come on `clock` without one, or at once
    /// when the waiting task is cancelled (a driver that is told to stop does not wait for its
    /// timeout).
    func next(until deadline: Timestamp, clock: any EngineClock) async -> Message? {
        if let message = takeBuffered() { return message }
        guard deadline > clock.now(), !Task.isCancelled else { return nil }
        return await withTaskCancellationHandler {
            await wait(until: deadline, clock: clock)
        } onCancel: {
            expireCurrent()
        }
    }

    private func wait(until deadline: Timestamp, clock: any EngineClock) async -> Message? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Message?, Never>) in
            lock.lock()
            if !buffer.isEmpty {
                let message = buffer.removeFirst()
                lock.unlock()
                return continuation.resume(returning: message)
            }
            if Task.isCancelled {
                lock.unlock()
                return continuation.resume(returning: nil)
            }
            generation += 1
            let current = generation
            waiter = continuation
            timeout = Task { [weak self] in
                // Cancelled when a message ends the wait first: then it must not expire it.
                guard (try? await clock.sleep(until: deadline)) != nil else { return }
                self?.expire(current)
            }
            lock.unlock()
        }
    }

    /// Takes every buffered message (a driver that stops answers what is left).
    func drain() -> [Message] {
        lock.withLock {
            defer { buffer.removeAll() }
            return buffer
        }
    }

    private func takeBuffered() -> Message? {
        lock.withLock { buffer.isEmpty ? nil : buffer.removeFirst() }
    }

    private func expireCurrent() {
        lock.lock()
        let current = generation
        lock.unlock()
        expire(current)
    }

    private func expire(_ expired: Int) {
        lock.lock()
        guard expired == generation, let waiter else { return lock.unlock() }
        self.waiter = nil
        let timeout = self.timeout
        self.timeout = nil
        lock.unlock()
        // Ended by cancellation, the timeout task still sleeps: stop it too.
        timeout?.cancel()
        waiter.resume(returning: nil)
    }
}
