import Foundation

/// Bounds the `llm` and `http` attempts an engine runs at once (`apex worker --concurrency`).
/// An attempt waits for a permit before it calls out; `workflow` attempts take none, since a
/// parent holding one while its child waits for another could wait forever.
final class ActivityLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var available: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiter = 0

    init(permits: Int) {
        available = max(1, permits)
    }

    /// Runs `body` holding a permit; nil when cancelled while waiting for one.
    func withPermit<T: Sendable>(_ body: () async -> T) async -> T? {
        guard await acquire() else { return nil }
        defer { release() }
        return await body()
    }

    private func acquire() async -> Bool {
        let id = lock.withLock { () -> Int? in
            if available > 0 {
                available -= 1
                return nil
            }
            nextWaiter += 1
            return nextWaiter
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelled = lock.withLock { () -> Bool in
                    if Task.isCancelled { return true }
                    waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiter = lock.withLock { () -> CheckedContinuation<Bool, Never>? in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    private func release() {
        let next = lock.withLock { () -> CheckedContinuation<Bool, Never>? in
            guard !waiters.isEmpty else {
                available += 1
                return nil
            }
            return waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
