extension Expression {
    /// The kinds of expression node. Parentheses leave no node of their own: they only widen the
    /// range of the expression inside them.
    public indirect enum Kind: Sendable, Hashable {
        case literal(JSONValue)
        /// A bare identifier: `input`, `vars`, `steps`, `run`, `secrets`, a foreach element name, `index`, ...
        case context(String)
        /// `a.b`, and `a['b']` (an index that is a string literal).
        case member(Expression, String)
        /// `a[expr]` whose index is not a string literal: `a[0]`, `a[i]`.
        case index(Expression, Expression)
        /// `a.*`: the list, or an object's values; the `.name`, `['x']` and `[0]` that follow apply to every element.
        case projection(Expression)
        case call(String, [Expression])
        case unary(UnaryOperator, Expression)
        /// Every infix operator: `?? || && == != < <= > >= + - * / %`.
        case binary(BinaryOperator, Expression, Expression)
        /// `c ? a : b`.
        case conditional(Expression, Expression, Expression)
        case list([Expression])
        case object([ObjectEntry])

        /// The direct sub-expressions, in source order.
        var children: [Expression] {
            switch self {
            case .literal, .context: []
            case .member(let base, _), .projection(let base), .unary(_, let base): [base]
            case .index(let base, let index): [base, index]
            case .binary(_, let left, let right): [left, right]
            case .conditional(let condition, let then, let otherwise): [condition, then, otherwise]
            case .call(_, let arguments), .list(let arguments): arguments
            case .object(let entries): entries.map(\.value)
            }
        }

        /// True for the nodes that read into a value: `.name`, `[i]` and `.*`.
        var isAccess: Bool {
            switch self {
            case .member, .index, .projection: true
            default: false
            }
        }
    }
}
