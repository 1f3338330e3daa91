/// `retry:` (docs/language.md, "Retry policy"). The delay before attempt n+1 is
/// `min(initialInterval × backoff^(n-1), maxInterval)`, spread by ±jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// 0 means unlimited.
    public var maxAttempts = 3
    public var initialInterval = Duration.seconds(1)
    public var backoff = 2.0
    /// nil means 100 × initialInterval.
    public var maxInterval: Duration?
    public var jitter = 0.2
    public var nonRetryable: [String] = []
    public var range: SourceRange = .fileStart

    public init() {}

    public var effectiveMaxInterval: Duration {
        maxInterval ?? Duration(milliseconds: initialInterval.milliseconds * 100)
    }
}
