import Foundation

/// A test waited longer than its limit for something that should have happened.
struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    let what: String
    var description: String { "\(what) took longer than \(seconds) s" }
}

/// The value of `body`, or ``TimedOut`` once `seconds` have passed without it, so that a test
/// fails instead of hanging. (A body that never ends is left running: a driver stuck in a
/// wait does not answer cancellation.)
func withTimeLimit<T: Sendable>(seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let timer = Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            once.resume(with: .failure(TimedOut(seconds: seconds, what: what)))
        }
        Task {
            do {
                once.resume(with: .success(try await body()))
            } catch {
                once.resume(with: .failure(error))
            }
            timer.cancel()
        }
    }
}

/// The next element of `stream` (nil when it has ended), within `seconds`.
func next<T: Sendable>(of stream: AsyncStream<T>, within seconds: Double, _ what: String) async throws -> T? {
    try await withTimeLimit(seconds: seconds, what) {
        for await element in stream { return element }
        return nil
    }
}

/// Resumes a continuation once, for whichever of the body and the timer ends first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    // A lock guards the continuation, which the first resume takes.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(with result: Result<T, any Error>) {
        let taken: CheckedContinuation<T, any Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(with: result)
    }
}
