import ApexEngine

/// How long ago something happened, as the text tables print it (`apex runs`, `apex show`):
/// `just now` under 10 seconds, then `42s ago`, `3m ago`, `2h ago`, `5d ago` (whole units,
/// rounded down) up to 30 days, and the UTC date (`2026-10-01`) beyond. JSON keeps timestamps.
enum RelativeAge {
    /// The age of `time` at `now`. A time after `now` (another machine's clock) is `just now`.
    ///
    /// - Parameters:
    ///   - time: When it happened.
    ///   - now: The present.
    /// - Returns: `just now`, `Ns ago`, `Nm ago`, `Nh ago`, `Nd ago` or `YYYY-MM-DD`.
    static func text(from time: Timestamp, now: Timestamp) -> String {
        let seconds = (now.milliseconds - time.milliseconds) / 1000
        if seconds < 10 { return "just now" }
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        if seconds <= 30 * 86_400 { return "\(seconds / 86_400)d ago" }
        return String(time.description.prefix(10))
    }
}
