import ApexDSL
import ApexEngine

/// Replaces secret values and API keys with `***` in what a failed call reports (its error's
/// message and details), the last line of defence before an error enters the history, the
/// logs or `apex show`. Values shorter than 4 characters are left alone: masking every `a` of
/// a message would hide the message, not a secret.
public struct Redactor: Sendable {
    public static let mask = "***"
    private let values: [String]

    public init(values: [String]) {
        // Longest first, so a secret that contains another is masked whole.
        self.values = Set(values.filter { $0.count >= 4 }).sorted { $0.count > $1.count }
    }

    /// `text` with every secret value masked.
    public func scrub(_ text: String) -> String {
        values.reduce(text) { text, value in text.contains(value) ? text.replacingOccurrences(of: value, with: Self.mask) : text }
    }

    /// `error` with its message and every string in its details masked.
    public func scrub(_ error: RunError) -> RunError {
        guard !values.isEmpty else { return error }
        var error = error
        error.message = scrub(error.message)
        error.details = scrub(error.details)
        return error
    }

    private func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .array(let items): .array(items.map(scrub))
        case .object(let fields): .object(fields.mapValues(scrub))
        default: value
        }
    }
}
