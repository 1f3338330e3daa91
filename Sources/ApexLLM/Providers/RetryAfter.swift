import ApexDSL
import Foundation
import NIOHTTP1

/// The delay a server asks for before the next attempt: `retry-after-ms` (milliseconds, first),
/// else `retry-after` in seconds (possibly fractional) or as an HTTP-date.
enum RetryAfter {
    static func delay(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let text = headers.first(name: "retry-after-ms"), let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)),
           milliseconds.isFinite, milliseconds > 0 {
            return Duration(milliseconds: Int64(milliseconds.rounded(.up)))
        }
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            return seconds.isFinite && seconds > 0 ? Duration(milliseconds: Int64((seconds * 1000).rounded(.up))) : nil
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? Duration(milliseconds: Int64((seconds * 1000).rounded(.up))) : nil
    }

    /// RFC 9110's preferred format, `Sun, 06 Nov 1994 08:49:37 GMT`.
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
