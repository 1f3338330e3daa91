/// A recursive-descent parser over ``ExpressionToken``s.
///
/// Precedence, loosest first: `? :` (right-associative), `??`, `||`, `&&`, `== !=`,
/// `< <= > >=` (not chainable), `+ -`, `* / %`, unary `! -`, then postfix `.name`, `['key']`,
/// `[index]`, `.*`. Nesting is bounded twice over: the parser's own recursion (parentheses,
/// unary operators, sub-expressions) and the height of the tree it builds (long operator or
/// access chains) both stop at ``Expression/maxDepth`` with a syntax error.
struct ExpressionParser {
    let tokens: [ExpressionToken]
    var index = 0
    private var depth = 0

    init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    /// One whole expression, up to the end token.
    mutating func parseExpression() throws(ExpressionSyntaxError) -> Expression {
        let expression = try parseConditional()
        guard current.kind == .end else {
            throw unexpected(current, expected: "an operator or the end of the expression")
        }
        return expression
    }

    var current: ExpressionToken { tokens[index] }

    mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Consumes the symbol when it is next.
    mutating func take(_ symbol: String) -> ExpressionToken? {
        current.isSymbol(symbol) ? advance() : nil
    }

    mutating func expect(_ symbol: String) throws(ExpressionSyntaxError) -> ExpressionToken {
        guard let token = take(symbol) else { throw unexpected(current, expected: "\"\(symbol)\"") }
        return token
    }

    func unexpected(_ token: ExpressionToken, expected: String) -> ExpressionSyntaxError {
        ExpressionSyntaxError("unexpected \(token.description); expected \(expected)", at: token.range)
    }

    /// Counts one level of the parser's recursion; pair with `leave()`.
    mutating func enter(at token: ExpressionToken) throws(ExpressionSyntaxError) {
        depth += 1
        guard depth <= Expression.maxDepth else { throw Self.tooDeep(at: token.range) }
    }

    mutating func leave() {
        depth -= 1
    }

    /// Builds a node, refusing one that would make the tree deeper than ``Expression/maxDepth``.
    func make(_ kind: Expression.Kind, _ range: Range<Int>) throws(ExpressionSyntaxError) -> Expression {
        let expression = Expression(kind: kind, range: range)
        guard expression.height <= Expression.maxDepth else { throw Self.tooDeep(at: range) }
        return expression
    }

    static func tooDeep(at range: Range<Int>) -> ExpressionSyntaxError {
        ExpressionSyntaxError("the expression nests deeper than \(Expression.maxDepth) levels", at: range)
    }

    // MARK: Operators

    mutating func parseConditional() throws(ExpressionSyntaxError) -> Expression {
        try enter(at: current)
        defer { leave() }
        let condition = try parseBinary(level: 0)
        guard take("?") != nil else { return condition }
        let then = try parseConditional()
        _ = try expect(":")
        let otherwise = try parseConditional()
        return try make(.conditional(condition, then, otherwise), condition.range.lowerBound..<otherwise.range.upperBound)
    }

    /// Left-associative binary operators, one precedence level per recursion.
    private mutating func parseBinary(level: Int) throws(ExpressionSyntaxError) -> Expression {
        let levels = BinaryOperator.precedenceLevels
        guard level < levels.count else { return try parseUnary() }
        var left = try parseBinary(level: level + 1)
        while case .symbol(let symbol) = current.kind, let op = BinaryOperator(rawValue: symbol), levels[level].contains(op) {
            let token = advance()
            if op.isOrdering, case .binary(let previous, _, _) = left.kind, previous.isOrdering {
                throw ExpressionSyntaxError(
                    "comparisons cannot be chained; join them with \"&&\", as in a < b && b < c", at: token.range)
            }
            let right = try parseBinary(level: level + 1)
            left = try make(.binary(op, left, right), left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> Expression {
        guard case .symbol(let symbol) = current.kind, let op = UnaryOperator(rawValue: symbol) else {
            return try parsePostfix()
        }
        let token = advance()
        try enter(at: token)
        defer { leave() }
        let operand = try parseUnary()
        let range = token.range.lowerBound..<operand.range.upperBound
        // `-1` is a literal, so that constant lists and static checks see the number itself.
        switch (op, operand.kind) {
        case (.negate, .literal(.int(let value))): return try make(.literal(.int(-value)), range)
        case (.negate, .literal(.double(let value))): return try make(.literal(.double(-value)), range)
        default: return try make(.unary(op, operand), range)
        }
    }
}
