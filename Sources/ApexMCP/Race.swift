import Foundation

/// How a raced operation ended.
enum RaceOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case failed(any Error)
    case timedOut
    case cancelled
}

/// Runs `operation` against a time limit and the caller's cancellation, and returns whichever
/// comes first. The loser is not waited for: an SDK request cannot be cancelled by cancelling
/// the task awaiting it, so the caller ends a request that lost (``MCPToolServer`` sends
/// `notifications/cancelled`, or disconnects), and the operation's task ends with it.
func race<Value: Sendable>(within limit: Swift.Duration, _ operation: @escaping @Sendable () async throws -> Value) async -> RaceOutcome<Value> {
    let gate = RaceGate<Value>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<RaceOutcome<Value>, Never>) in
            let work = Task {
                do { gate.finish(.value(try await operation())) } catch { gate.finish(.failed(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { gate.finish(.timedOut) }
            }
            gate.wait(continuation) {
                work.cancel()
                timer.cancel()
            }
        }
    } onCancel: {
        gate.finish(.cancelled)
    }
}

/// The first outcome of a race, handed to its waiter once (whichever of the two arrives first).
private final class RaceGate<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: RaceOutcome<Value>?
    private var waiter: CheckedContinuation<RaceOutcome<Value>, Never>?
    private var cleanUp: (@Sendable () -> Void)?
    private var delivered = false

    func wait(_ continuation: CheckedContinuation<RaceOutcome<Value>, Never>, cleanUp: @escaping @Sendable () -> Void) {
        let ready: RaceOutcome<Value>? = lock.withLock {
            if let outcome {
                delivered = true
                return outcome
            }
            waiter = continuation
            self.cleanUp = cleanUp
            return nil
        }
        if let ready {
            cleanUp()
            continuation.resume(returning: ready)
        }
    }

    func finish(_ result: RaceOutcome<Value>) {
        let handOver: (CheckedContinuation<RaceOutcome<Value>, Never>, (@Sendable () -> Void)?)? = lock.withLock {
            guard outcome == nil else { return nil }
            outcome = result
            guard let waiter, !delivered else { return nil }
            delivered = true
            defer {
                self.waiter = nil
                self.cleanUp = nil
            }
            return (waiter, cleanUp)
        }
        guard let (waiter, cleanUp) = handOver else { return }
        cleanUp?()
        waiter.resume(returning: result)
    }
}
