/// One token of an expression, with its range (already shifted by the parse offset) and its source
/// text for messages.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case number(JSONValue)
        case string(String)
        /// An operator or punctuation: `==`, `(`, `.`, `*`, ...
        case symbol(String)
        /// The end of the expression: the end of the text, or the `}}` that closes a template's `${{`.
        case end
    }

    var kind: Kind
    var range: Range<Int>
    var text: String

    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol(symbol)
    }

    /// How messages name the token: `"}"`, `"foo"`, `string 'abc'`, `end of expression`.
    var description: String {
        switch kind {
        case .end: text.isEmpty ? "end of expression" : "\"\(text)\""
        case .string: "string \(text)"
        default: "\"\(text)\""
        }
    }
}
