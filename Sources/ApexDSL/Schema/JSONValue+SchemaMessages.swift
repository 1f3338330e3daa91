import Foundation

extension JSONValue {
    /// The value as messages quote it: compact JSON, shortened past 60 characters.
    var messageText: String {
        let text = compactJSON
        guard text.count > 60 else { return text }
        return String(text.prefix(57)) + "…"
    }

    /// A list of values as messages show them: bare words when every value is a simple
    /// string (`bug, billing, other`), else compact JSON (`1, "1", null`); at most 12.
    static func messageList(_ values: [JSONValue]) -> String {
        let simple = values.allSatisfy {
            guard let s = $0.stringValue else { return false }
            return !s.isEmpty && !s.contains(",") && s.trimmingCharacters(in: .whitespaces) == s
        }
        var parts = values.prefix(12).map { simple ? $0.stringValue ?? "" : $0.messageText }
        if values.count > 12 { parts.append("…") }
        return parts.joined(separator: ", ")
    }
}
