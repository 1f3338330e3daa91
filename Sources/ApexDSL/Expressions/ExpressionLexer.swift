/// Splits expression text into tokens.
///
/// In template mode (`stopsAtClosingBraces`) lexing starts after a `${{` and stops at the first `}}`
/// that is outside string literals and outside any `{` of an object literal, so that `'}}'` and
/// `{a: {b: 1}}` do not end the expression early.
struct ExpressionLexer {
    let scalars: [Unicode.Scalar]
    var position: Int
    /// Added to positions to make ranges.
    let offset: Int
    let stopsAtClosingBraces: Bool
    /// In template mode, where the closing `}}` starts; nil until it is found.
    private(set) var closingPosition: Int?
    private var braceDepth = 0

    init(scalars: [Unicode.Scalar], start: Int, offset: Int, stopsAtClosingBraces: Bool) {
        self.scalars = scalars
        self.position = start
        self.offset = offset
        self.stopsAtClosingBraces = stopsAtClosingBraces
    }

    /// Every token up to the end (or the closing `}}`), the last being `.end`.
    mutating func tokenize() throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            skipWhitespace()
            guard position < scalars.count else {
                tokens.append(token(.end, from: position, text: ""))
                return tokens
            }
            if stopsAtClosingBraces, braceDepth == 0, peek(0) == "}", peek(1) == "}" {
                closingPosition = position
                tokens.append(token(.end, from: position, to: position + 2, text: "}}"))
                return tokens
            }
            tokens.append(try nextToken())
        }
    }

    private mutating func nextToken() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        let scalar = scalars[position]
        if Self.isIdentifierStart(scalar) { return lexIdentifier() }
        if Self.isDigit(scalar) { return try lexNumber() }
        if scalar == "'" || scalar == "\"" { return try lexString() }
        for symbol in Self.twoScalarSymbols where peek(0) == symbol.unicodeScalars.first && peek(1) == symbol.unicodeScalars.last {
            position += 2
            return token(.symbol(symbol), from: start, text: symbol)
        }
        position += 1
        let text = String(scalar)
        if Self.oneScalarSymbols.contains(text) {
            if scalar == "{" { braceDepth += 1 }
            if scalar == "}", braceDepth > 0 { braceDepth -= 1 }
            return token(.symbol(text), from: start, text: text)
        }
        let hint = Self.misspeltSymbols[text].map { "; did you mean \"\($0)\"?" } ?? ""
        throw ExpressionSyntaxError("unexpected character \"\(text)\"\(hint)", at: range(start, position))
    }

    private mutating func lexIdentifier() -> ExpressionToken {
        let start = position
        position += 1
        // A hyphen belongs to the identifier only between identifier characters, as in GitHub
        // Actions (`steps.my-step`), so `a-b` is one name while `a - b` and `a -b` subtract.
        while let scalar = peek(0) {
            if Self.isIdentifierPart(scalar) {
                position += 1
            } else if scalar == "-", let next = peek(1), Self.isIdentifierPart(next) {
                position += 1
            } else {
                break
            }
        }
        let name = text(start, position)
        return token(.identifier(name), from: start, text: name)
    }

    func peek(_ ahead: Int) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    func text(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    func range(_ start: Int, _ end: Int) -> Range<Int> {
        (start + offset)..<(end + offset)
    }

    func token(_ kind: ExpressionToken.Kind, from start: Int, to end: Int? = nil, text: String) -> ExpressionToken {
        ExpressionToken(kind: kind, range: range(start, end ?? position), text: text)
    }

    private mutating func skipWhitespace() {
        while let scalar = peek(0), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { position += 1 }
    }

    private static let twoScalarSymbols = ["==", "!=", "<=", ">=", "&&", "||", "??"]
    private static let oneScalarSymbols: Set<String> = ["!", "<", ">", "+", "-", "*", "/", "%", "?", ":", "(", ")", "[", "]", "{", "}", ",", "."]
    private static let misspeltSymbols = ["=": "==", "&": "&&", "|": "||"]

    static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_"
    }

    static func isIdentifierPart(_ s: Unicode.Scalar) -> Bool {
        isIdentifierStart(s) || isDigit(s)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s >= "0" && s <= "9"
    }
}
