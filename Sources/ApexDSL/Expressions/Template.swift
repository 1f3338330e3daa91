/// One YAML string value, split into literal text and `${{ }}` expressions.
///
/// `${{` opens an expression, which ends at the first `}}` outside string literals and outside
/// the braces of an object literal (so `'}}'` and `{a: {b: 1}}` stay inside). A `$` not followed
/// by `{{` is text; there is no escape for a literal `${{` in text: write `${{ '${{' }}`.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }

    /// Text and expressions in order; text parts are never empty and never adjacent.
    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    public var hasExpressions: Bool {
        !expressions.isEmpty
    }

    /// True when the string is exactly one `${{ }}` (nothing before or after, not even spaces):
    /// evaluation then keeps the value's type.
    public var isSingleExpression: Bool {
        if parts.count == 1, case .expression = parts[0] { true } else { false }
    }

    public var expressions: [Expression] {
        parts.compactMap { part in
            if case .expression(let expression) = part { expression } else { nil }
        }
    }

    /// A single expression keeps its type; otherwise each expression is rendered into the string
    /// as ``JSONValue/interpolated`` says, and a string without expressions is itself.
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSONValue {
        if isSingleExpression, let expression = expressions.first { return try expression.evaluate(in: context) }
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .expression(let expression): text += try expression.evaluate(in: context).interpolated
            }
        }
        return .string(text)
    }
}
