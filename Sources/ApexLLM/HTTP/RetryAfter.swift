import ApexDSL
import Foundation

/// Reads a `retry-after` header: a number of seconds, or an HTTP date (RFC 9110 §10.2.3).
enum RetryAfter {
    /// The longest delay honoured: a server asking for more gets this (and the run's own
    /// `timeout` still applies).
    static let maximum = Duration.seconds(24 * 60 * 60)

    /// The delay it asks for, at most ``maximum``; nil when the value is neither form. A date in
    /// the past is zero.
    static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        let seconds: Double
        if let whole = Int64(text) {
            seconds = Double(whole)
        } else if let date = httpDate(text) {
            seconds = max(date.timeIntervalSince(now), 0)
        } else {
            return nil
        }
        guard seconds >= 0 else { return nil }
        return Duration(milliseconds: Int64(min(seconds * 1000, Double(maximum.milliseconds)).rounded(.up)))
    }

    /// Parses the preferred form `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850
    /// and asctime forms that servers must still be read with.
    private static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
