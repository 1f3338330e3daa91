import ApexDSL
import Foundation
import NIOHTTP1

/// The delay a server asks for before the next attempt, for providers and `http` steps alike:
/// `retry-after-ms` (milliseconds, first), else `retry-after` in seconds (possibly fractional)
/// or as an HTTP date. Nil when neither is there, readable, or in the future. How much of it
/// is honoured is the engine's call (``RetryPolicy/honoured(retryAfter:stepTimeout:)``).
enum RetryAfter {
    static func delay(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let text = headers.first(name: "retry-after-ms"), let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)) {
            return positive(milliseconds)
        }
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return positive(seconds * 1000) }
        return httpDate(text).flatMap { positive($0.timeIntervalSince(now) * 1000) }
    }

    private static func positive(_ milliseconds: Double) -> Duration? {
        // Beyond a year is no longer a delay but a refusal; the engine caps it anyway.
        guard milliseconds.isFinite, milliseconds > 0 else { return nil }
        return Duration(milliseconds: Int64(min(milliseconds, 365 * 86_400_000).rounded(.up)))
    }

    /// RFC 9110's preferred form `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 and
    /// asctime forms that servers must still be read with.
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
