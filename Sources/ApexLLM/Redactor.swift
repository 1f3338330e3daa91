import ApexDSL
import ApexEngine
import OrderedCollections

/// Replaces secret values and API keys with `***` in what a failed call reports (its error's
/// message and details, keys included), before an error enters the history, the logs or
/// `apex show`. Each value is also masked in its percent-encoded form, as it appears in a
/// URL's query. Values shorter than 4 characters are left alone: masking every `a` of a
/// message would hide the message, not a secret.
public struct Redactor: Sendable {
    public static let mask = "***"
    private let values: [String]

    public init(values: [String]) {
        let kept = values.filter { $0.count >= 4 }
        // Longest first, so a secret that contains another is masked whole.
        self.values = Set(kept + kept.map(URLBuilder.percentEncoded)).sorted { $0.count > $1.count }
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
        case .object(let fields): .object(OrderedDictionary(fields.map { (scrub($0.key), scrub($0.value)) }, uniquingKeysWith: { first, _ in first }))
        default: value
        }
    }
}
