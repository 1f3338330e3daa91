import ApexDSL
import Foundation

/// When an activity attempt fails: whether another follows, and after how long (docs/language.md, "Retry policy").
/// The driver uses this to set `retry_at` on `StepFailed`; the machine then starts the back-off
/// timer.
extension RetryPolicy {
    /// Error types never retried whatever the policy says: retrying cannot change their outcome.
    public static let builtInNonRetryable: Set<String> = [
        "llm.auth", "llm.invalid_request", "http.invalid_request", "http.too_large", "expression", "cancelled", "input.invalid",
    ]

    /// Whether another attempt may follow attempt `attempt` failing with `errorType`.
    ///
    /// Not when `max_attempts` is reached (0 means unlimited), when a `non_retryable` pattern
    /// matches the type (exact, `prefix.*` or `*`), for the built-in non-retryable types
    /// (``builtInNonRetryable``), when `details.retryable` is `false` (a provider said not to
    /// retry), nor for `http.status` unless `details.status` is 408, 429 or 5xx.
    public func allowsRetry(afterAttempt attempt: Int, errorType: String, details: JSONValue) -> Bool {
        if maxAttempts > 0, attempt >= maxAttempts { return false }
        if details["retryable"] == .bool(false) { return false }
        if nonRetryable.contains(where: { ErrorPattern.matches($0, type: errorType) }) { return false }
        if Self.builtInNonRetryable.contains(errorType) { return false }
        if errorType == "http.status" {
            guard let status = details["status"]?.numberValue else { return false }
            return status == 408 || status == 429 || (500..<600).contains(status)
        }
        return true
    }

    /// The delay before attempt `attempt + 1`: `min(initial × backoff^(attempt-1), max_interval)`,
    /// spread by ±`jitter` (so it may exceed `max_interval` by that fraction), raised to
    /// `retryAfter` when given (a provider's `retry-after`).
    ///
    /// The jitter is drawn from `seed` (e.g. the idempotency key and the attempt), so the same
    /// seed always gives the same delay.
    public func delay(afterAttempt attempt: Int, seed: String, retryAfter: Duration?) -> Duration {
        let initial = Double(initialInterval.milliseconds)
        let exponent = Double(max(attempt, 1) - 1)
        let grown = initial * pow(max(backoff, 0), exponent)
        let base = min(grown.isNaN ? initial : grown, Double(effectiveMaxInterval.milliseconds))
        let spread = min(max(jitter, 0), 1)
        let factor = 1 + spread * (2 * Self.unitInterval(seed) - 1)
        var milliseconds = Int64((base * factor).rounded())
        if let retryAfter { milliseconds = max(milliseconds, retryAfter.milliseconds) }
        return Duration(milliseconds: max(milliseconds, 0))
    }

    /// A number in [0, 1) drawn from `seed`: FNV-1a 64 then a SplitMix64 finaliser, the same on
    /// every platform and process (unlike `Hasher`, which is seeded per process).
    static func unitInterval(_ seed: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) * 0x1p-53
    }
}
