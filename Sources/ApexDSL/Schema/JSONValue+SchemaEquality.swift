import Foundation

extension JSONValue {
    /// Equality as JSON Schema defines it for `enum` and `const`: numbers compare by value
    /// (`1` equals `1.0`) and objects compare regardless of the order of their keys.
    func jsonEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)):
            return a == b
        case (.int(let i), .double(let d)), (.double(let d), .int(let i)):
            return d == d.rounded() && abs(d) < 9.2e18 && Int(d) == i
        case (.double(let a), .double(let b)):
            return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.jsonEquals) ?? false }
        default:
            return self == other
        }
    }

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
