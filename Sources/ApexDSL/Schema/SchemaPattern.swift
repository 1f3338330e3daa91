import Foundation

/// A `pattern` keyword compiled once: an ECMA-262 style regular expression, searched for
/// anywhere in the string (unanchored) as JSON Schema specifies.
///
/// It is run by Foundation's `NSRegularExpression` (ICU syntax), which agrees with ECMA-262
/// on the constructs schemas use: classes, quantifiers, anchors, groups, alternation and
/// `\d \w \s`, except that ICU's `\d` and `\w` also match non-ASCII digits and letters.
struct SchemaPattern: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable once created and documented as safe to use
    // from several threads at once; `source` is a String. Nothing here is ever mutated.

    /// The pattern as written.
    let source: String
    /// The compiled expression; nil when `source` does not compile.
    private let regex: NSRegularExpression?

    init(_ source: String) {
        self.source = source
        self.regex = try? NSRegularExpression(pattern: source, options: [])
    }

    /// Whether the pattern compiled.
    var isValid: Bool { regex != nil }

    /// Whether the pattern matches somewhere in `string`. A pattern that does not compile
    /// matches nothing, so that a broken schema never lets a value through silently.
    func matches(_ string: String) -> Bool {
        guard let regex else { return false }
        return regex.firstMatch(in: string, options: [], range: NSRange(string.startIndex..., in: string)) != nil
    }
}
