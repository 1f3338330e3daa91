import Foundation
import Logging

/// The log lines of every command on stderr: swift-log's text lines, or one JSON object per
/// line with `--log-format json` (`apex serve`, `apex worker`), metadata (request id, run
/// id) as members. The format is read when a line is written, so a command can choose it
/// after its arguments are parsed.
struct ApexLogHandler: LogHandler {
    enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// The format of every handler in the process.
    nonisolated(unsafe) static var format = Format.text
    private static let lock = NSLock()

    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private var text: StreamLogHandler

    init(label: String, level: Logger.Level) {
        self.label = label
        logLevel = level
        text = StreamLogHandler.standardError(label: label)
        text.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set {
            metadata[key] = newValue
            text[metadataKey: key] = newValue
        }
    }

    func log(event: LogEvent) {
        guard Self.lock.withLock({ Self.format }) == .json else { return text.log(event: event) }
        var object: [String: Any] = ["time": ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds]),
                                     "level": event.level.rawValue, "logger": label, "message": event.message.description]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = "\(value)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }

    static func use(_ format: Format) { lock.withLock { Self.format = format } }
}
