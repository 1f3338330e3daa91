extension Template {
    /// Splits a string into text and `${{ }}` expressions.
    ///
    /// - Throws: ``ExpressionSyntaxError`` whose range is in Unicode scalars within `string`: an
    ///   unclosed `${{`, an empty `${{ }}`, or an expression that does not parse.
    public static func parse(_ string: String) throws(ExpressionSyntaxError) -> Template {
        let scalars = Array(string.unicodeScalars)
        var parts: [Part] = []
        var textStart = 0
        var position = 0
        func appendText(upTo end: Int) {
            guard textStart < end else { return }
            parts.append(.text(String(String.UnicodeScalarView(scalars[textStart..<end]))))
        }
        while position + 2 < scalars.count {
            guard scalars[position] == "$", scalars[position + 1] == "{", scalars[position + 2] == "{" else {
                position += 1
                continue
            }
            appendText(upTo: position)
            let (expression, end) = try parseExpression(in: scalars, opening: position)
            parts.append(.expression(expression))
            position = end
            textStart = end
        }
        appendText(upTo: scalars.count)
        return Template(parts: parts)
    }

    /// The expression of the `${{` at `opening`, and the position after its `}}`.
    private static func parseExpression(in scalars: [Unicode.Scalar], opening: Int) throws(ExpressionSyntaxError) -> (Expression, Int) {
        var lexer = ExpressionLexer(scalars: scalars, start: opening + 3, offset: 0, stopsAtClosingBraces: true)
        let tokens = try lexer.tokenize()
        guard let closing = lexer.closingPosition else {
            throw ExpressionSyntaxError("\"${{\" has no closing \"}}\"", at: opening..<(opening + 3))
        }
        guard tokens.count > 1 else {
            throw ExpressionSyntaxError("\"${{ }}\" is empty; expected an expression", at: opening..<(closing + 2))
        }
        var parser = ExpressionParser(tokens: tokens)
        return (try parser.parseExpression(), closing + 2)
    }
}
