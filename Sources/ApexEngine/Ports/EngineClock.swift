import ApexDSL
import Foundation

/// Time, as the engine sees it: the wall clock in production, a manual clock in tests and the
/// simulator (ApexTesting's `ManualClock`). Deciding never reads it; drivers and workers use it
/// to stamp events, to know when timers are due, and for every wait (timeouts, lease retries,
/// polls), so that a test can move time on instead of waiting for it.
public protocol EngineClock: Sendable {
    func now() -> Timestamp
    /// Returns once `deadline` has come.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(until deadline: Timestamp) async throws
}

extension EngineClock {
    /// Returns once `duration` has passed from now.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().adding(duration))
    }
}

public struct SystemClock: EngineClock {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }

    public func sleep(until deadline: Timestamp) async throws {
        let milliseconds = deadline.milliseconds - now().milliseconds
        if milliseconds > 0 { try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000) }
        try Task.checkCancellation()
    }
}
