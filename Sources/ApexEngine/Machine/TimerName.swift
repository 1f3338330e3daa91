/// The ids of the timers a run starts. They are part of the history (`TimerStarted`,
/// `TimerFired`), so their shape never changes.
enum TimerName {
    /// The whole run's `timeout`.
    static let runTimeout = "run-timeout"

    /// A `sleep` step's timer.
    static func sleep(_ key: String, visit: Int) -> String { "sleep:\(key)#\(visit)" }

    /// A `wait` step's time limit.
    static func wait(_ key: String, visit: Int) -> String { "wait:\(key)#\(visit)" }

    /// The time limit of a suspended attempt's signal (an agent's approval or question).
    static func suspension(_ key: String, visit: Int, attempt: Int) -> String { "suspend:\(key)#\(visit).\(attempt)" }

    /// The back-off after attempt `attempt` of an activity failed.
    static func retry(_ key: String, visit: Int, attempt: Int) -> String { "retry:\(key)#\(visit).\(attempt)" }
}

/// A timer the run started: when it fires, the visit that owns it (nil for `run-timeout`), and
/// whether it is still pending (not fired, not dropped).
struct TimerEntry: Sendable {
    let fireAt: Timestamp
    let owner: Int?
    var isPending = true
}
