import ApexDSL
import ApexEngine
import Foundation
import OrderedCollections

/// Replaces every secret value with `***` in the text of errors, so that no secret reaches the
/// history through a message or a detail. Values are also replaced in their percent-encoded
/// form, as they appear in a URL's query.
struct SecretScrubber: Sendable {
    static let mask = "***"

    /// The forms to replace, longest first so that a secret containing another is replaced whole.
    private let needles: [String]

    init(_ secrets: Secrets) {
        var needles = Set<String>()
        for value in secrets.allValues where !value.isEmpty {
            needles.insert(value)
            needles.insert(URLBuilder.percentEncoded(value))
        }
        self.needles = needles.sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        var text = text
        for needle in needles where text.contains(needle) {
            text = text.replacingOccurrences(of: needle, with: Self.mask)
        }
        return text
    }

    /// Scrubs every string (and object key) inside a JSON value.
    func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .array(let items): .array(items.map(scrub))
        case .object(let members): .object(OrderedDictionary(members.map { (scrub($0.key), scrub($0.value)) }, uniquingKeysWith: { first, _ in first }))
        default: value
        }
    }

    func scrub(_ error: RunError) -> RunError {
        var error = error
        error.message = scrub(error.message)
        error.details = scrub(error.details)
        return error
    }
}
