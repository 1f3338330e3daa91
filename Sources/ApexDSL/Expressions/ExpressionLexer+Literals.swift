extension ExpressionLexer {
    /// `12`, `1.5`, `2e3`, `1.5E-3`. A `.` joins the number only when a digit follows, so `a[0].b`
    /// reads as an index then a member.
    mutating func lexNumber() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        skipDigits()
        if peek(0) == ".", let next = peek(1), Self.isDigit(next) {
            position += 1
            skipDigits()
        }
        if peek(0) == "e" || peek(0) == "E" {
            position += 1
            if peek(0) == "+" || peek(0) == "-" { position += 1 }
            guard let digit = peek(0), Self.isDigit(digit) else {
                throw ExpressionSyntaxError("invalid number \"\(text(start, position))\": the exponent has no digits", at: range(start, position))
            }
            skipDigits()
        }
        if let next = peek(0), Self.isIdentifierPart(next) {
            position += 1
            throw ExpressionSyntaxError("invalid number \"\(text(start, position))\"", at: range(start, position))
        }
        let source = text(start, position)
        let isIntegerText = !source.contains { $0 == "." || $0 == "e" || $0 == "E" }
        switch (JSONValue(numberText: source), isIntegerText) {
        case (.int(let value)?, _):
            return token(.number(.int(value)), from: start, text: source)
        case (.double(let value)?, false):
            return token(.number(.double(value)), from: start, text: source)
        default:
            // Integers stay exact, so an integer literal that does not fit is refused rather than rounded.
            throw ExpressionSyntaxError("number \(source) is too large", at: range(start, position))
        }
    }

    private mutating func skipDigits() {
        while let scalar = peek(0), Self.isDigit(scalar) { position += 1 }
    }

    /// `'single'` or `"double"` quoted, with the escapes `\n \t \\ \' \"` and no others.
    mutating func lexString() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        let quote = scalars[position]
        position += 1
        var value = String.UnicodeScalarView()
        while let scalar = peek(0) {
            if scalar == quote {
                position += 1
                return token(.string(String(value)), from: start, text: text(start, position))
            }
            guard scalar == "\\" else {
                value.append(scalar)
                position += 1
                continue
            }
            guard let escaped = peek(1) else { break }
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "\\", "'", "\"": value.append(escaped)
            default:
                throw ExpressionSyntaxError(
                    "invalid escape \"\\\(escaped)\"; strings take \\n \\t \\\\ \\' \\\"", at: range(position, position + 2))
            }
            position += 2
        }
        position = scalars.count
        throw ExpressionSyntaxError("unterminated string", at: range(start, position))
    }
}
