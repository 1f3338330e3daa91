import ApexDSL

/// What a `wait` state waits for. How long it waits is the state's ``PlanState/timeout`` (the
/// step's `timeout`, else `wait.timeout`).
public struct PlanWait: Sendable {
    /// The name of the signal that ends the wait.
    public let signal: String
    /// The JSON Schema a signal's payload must match; nil means any payload.
    public let schema: JSONSchema?

    /// Creates a wait.
    public init(signal: String, schema: JSONSchema?) {
        self.signal = signal
        self.schema = schema
    }
}
