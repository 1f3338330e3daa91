extension ExpressionParser {
    /// A primary expression followed by any number of `.name`, `.*`, `['key']` and `[index]`.
    mutating func parsePostfix() throws(ExpressionSyntaxError) -> Expression {
        var expression = try parsePrimary()
        while true {
            if take(".") != nil {
                let start = expression.range.lowerBound
                if let star = take("*") {
                    expression = try make(.projection(expression), start..<star.range.upperBound)
                } else if case .identifier(let name) = current.kind {
                    expression = try make(.member(expression, name), start..<advance().range.upperBound)
                } else {
                    throw unexpected(current, expected: "a property name or \"*\" after \".\"")
                }
            } else if take("[") != nil {
                let index = try parseConditional()
                let close = try expect("]")
                let range = expression.range.lowerBound..<close.range.upperBound
                if case .literal(.string(let key)) = index.kind {
                    expression = try make(.member(expression, key), range)
                } else {
                    expression = try make(.index(expression, index), range)
                }
            } else if current.isSymbol("(") {
                throw ExpressionSyntaxError(
                    "unexpected \"(\"; only a function name can be called, as in length(x)", at: current.range)
            } else {
                return expression
            }
        }
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return try make(.literal(value), token.range)
        case .string(let value):
            _ = advance()
            return try make(.literal(.string(value)), token.range)
        case .identifier(let name):
            _ = advance()
            switch name {
            case "null": return try make(.literal(.null), token.range)
            case "true": return try make(.literal(.bool(true)), token.range)
            case "false": return try make(.literal(.bool(false)), token.range)
            default:
                if take("(") != nil { return try parseCall(name, token) }
                return try make(.context(name), token.range)
            }
        case .symbol("("):
            _ = advance()
            let inner = try parseConditional()
            let close = try expect(")")
            // Parentheses leave no node; the range grows to include them so that ranges of the
            // enclosing expression cover its whole source.
            return Expression(kind: inner.kind, range: token.range.lowerBound..<close.range.upperBound)
        case .symbol("["):
            _ = advance()
            let items = try parseList(closingWith: "]")
            return try make(.list(items.values), token.range.lowerBound..<items.end)
        case .symbol("{"):
            _ = advance()
            return try parseObject(from: token)
        default:
            throw unexpected(token, expected: "an expression")
        }
    }

    private mutating func parseCall(_ name: String, _ nameToken: ExpressionToken) throws(ExpressionSyntaxError) -> Expression {
        let arguments = try parseList(closingWith: ")")
        return try make(.call(name, arguments.values), nameToken.range.lowerBound..<arguments.end)
    }

    /// Comma-separated expressions after an opening bracket, up to `closing`; no trailing comma.
    private mutating func parseList(closingWith closing: String) throws(ExpressionSyntaxError) -> (values: [Expression], end: Int) {
        var values: [Expression] = []
        if let close = take(closing) { return (values, close.range.upperBound) }
        while true {
            values.append(try parseConditional())
            if let close = take(closing) { return (values, close.range.upperBound) }
            guard take(",") != nil else { throw unexpected(current, expected: "\",\" or \"\(closing)\"") }
        }
    }

    /// `{k: v, 'any key': v}` after its `{`; a key may appear once.
    private mutating func parseObject(from open: ExpressionToken) throws(ExpressionSyntaxError) -> Expression {
        var entries: [ObjectEntry] = []
        var seen: Set<String> = []
        if let close = take("}") { return try make(.object(entries), open.range.lowerBound..<close.range.upperBound) }
        while true {
            let keyToken = advance()
            let key: String
            switch keyToken.kind {
            case .identifier(let name): key = name
            case .string(let text): key = text
            default: throw unexpected(keyToken, expected: "a key (a name or a quoted string)")
            }
            guard seen.insert(key).inserted else {
                throw ExpressionSyntaxError("duplicate key \"\(key)\" in an object", at: keyToken.range)
            }
            _ = try expect(":")
            entries.append(ObjectEntry(key: key, value: try parseConditional()))
            if let close = take("}") { return try make(.object(entries), open.range.lowerBound..<close.range.upperBound) }
            guard take(",") != nil else { throw unexpected(current, expected: "\",\" or \"}\"") }
        }
    }
}
