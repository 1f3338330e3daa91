/// A durable timer the run started and that has not fired: the driver stores it as a row with
/// its due time and applies `TimerFired` when it is due (at once if that time has passed).
///
/// Ids say what the timer is for: `run-timeout`, `sleep:<key>#<visit>`, `wait:<key>#<visit>`,
/// `retry:<key>#<visit>.<failed attempt>`.
public struct PendingTimer: Sendable, Hashable {
    public var id: String
    public var fireAt: Timestamp

    /// Creates a timer.
    public init(id: String, fireAt: Timestamp) {
        self.id = id
        self.fireAt = fireAt
    }
}
