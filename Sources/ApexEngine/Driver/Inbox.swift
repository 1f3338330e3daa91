/// A mailbox the driver waits on: activity tasks post their results, and a wait ends early
/// when one arrives. Single consumer.
actor Inbox<Message: Sendable> {
    private var buffer: [Message] = []
    private var waiter: CheckedContinuation<Message?, Never>?
    /// Identifies the current wait, so that a stale timeout cannot end a later one.
    private var generation = 0

    func post(_ message: Message) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: message)
        } else {
            buffer.append(message)
        }
    }

    /// The next message, or nil once `milliseconds` have passed without one.
    func next(withinMilliseconds milliseconds: Int64) async -> Message? {
        if !buffer.isEmpty { return buffer.removeFirst() }
        guard milliseconds > 0 else { return nil }
        generation += 1
        let current = generation
        return await withCheckedContinuation { continuation in
            waiter = continuation
            Task {
                try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
                self.expire(current)
            }
        }
    }

    private func expire(_ expired: Int) {
        guard expired == generation, let waiter else { return }
        self.waiter = nil
        waiter.resume(returning: nil)
    }
}
