/// A parsed `${{ }}` body: a tree of ``Kind`` nodes, each with the range of source it came from.
///
/// All ranges are offsets in Unicode scalars within the string given to ``Template/parse(_:)``
/// (or to ``parse(_:offset:)``, shifted by its `offset`), so that the validator can turn them
/// into file columns. Parsing, static analysis (``accessPaths``, ``calls``) and evaluation are
/// pure: no clock, randomness or I/O.
public struct Expression: Sendable, Hashable {
    /// How deep an expression may nest: parentheses, lists, objects, calls, operators and access
    /// chains all count. Parsing refuses deeper text with a syntax error, and evaluation refuses
    /// deeper trees built by hand, so that hostile input such as 10,000 `(` cannot overflow the stack.
    public static let maxDepth = 64

    public var kind: Kind
    public var range: Range<Int>

    public init(kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    /// Parses an expression without the `${{ }}` around it.
    ///
    /// - Parameters:
    ///   - text: the expression's source.
    ///   - offset: added to every range, so that ranges can point into a larger string.
    /// - Throws: ``ExpressionSyntaxError`` with the message and range of the first problem.
    public static func parse(_ text: String, offset: Int = 0) throws(ExpressionSyntaxError) -> Expression {
        var lexer = ExpressionLexer(scalars: Array(text.unicodeScalars), start: 0, offset: offset, stopsAtClosingBraces: false)
        var parser = ExpressionParser(tokens: try lexer.tokenize())
        return try parser.parseExpression()
    }

    /// The number of nodes on the longest path from this node to a leaf (a leaf has height 1).
    var height: Int {
        1 + (kind.children.lazy.map(\.height).max() ?? 0)
    }
}
