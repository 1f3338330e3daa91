import ApexDSL
import Foundation

/// What a provider's error messages are made from: the vendor's name, the request id of the
/// exchange, and the API key that must never appear in them.
struct ProviderContext: Sendable {
    /// `OpenAI`, `Anthropic`.
    var vendor: String
    var apiKey: String?
    var requestID: String?

    /// The longest provider message kept in an error message, in characters.
    static let providerMessageLimit = 500

    /// An error whose message is one line: the vendor, `detail`, and the request id when known.
    /// The API key is blanked out, should a server echo it.
    func error(_ type: String, _ detail: String, retryAfter: Duration? = nil, retryable: Bool? = nil) -> LLMError {
        var message = "\(vendor): \(detail)"
        if let requestID, !requestID.isEmpty { message += " (request \(requestID))" }
        return LLMError(type: type, message: redacted(Self.oneLine(message)), retryAfter: retryAfter, retryable: retryable)
    }

    /// A provider-supplied text made fit for an error message: one line, at most 500 characters.
    static func quoted(_ text: String) -> String {
        let line = oneLine(text)
        return line.count > providerMessageLimit ? String(line.prefix(providerMessageLimit)) + "…" : line
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private func redacted(_ text: String) -> String {
        guard let apiKey, !apiKey.isEmpty else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[redacted]")
    }
}
