import ApexDSL

extension RetryPolicy {
    /// A provider's `retry-after` as far as it is honoured: it raises the back-off, but never
    /// past the step's timeout (or, without one, the policy's `max_interval`), so a server
    /// asking for 5 minutes cannot park a step that the workflow allows far less.
    public func honoured(retryAfter: Duration?, stepTimeout: Duration?) -> Duration? {
        guard let retryAfter else { return nil }
        let ceiling = stepTimeout ?? effectiveMaxInterval
        return retryAfter.milliseconds > ceiling.milliseconds ? ceiling : retryAfter
    }
}
