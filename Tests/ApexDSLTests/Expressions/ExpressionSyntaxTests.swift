import Testing

@testable import ApexDSL

@Suite struct ExpressionSyntaxTests {
    /// Source, message, and the range (in Unicode scalars) the error points at.
    static let errors: [(String, String, Range<Int>)] = [
        ("", "unexpected end of expression; expected an expression", 0..<0),
        ("1 +", "unexpected end of expression; expected an expression", 3..<3),
        ("!", "unexpected end of expression; expected an expression", 1..<1),
        ("}", "unexpected \"}\"; expected an expression", 0..<1),
        ("(1", "unexpected end of expression; expected \")\"", 2..<2),
        ("a b", "unexpected \"b\"; expected an operator or the end of the expression", 2..<3),
        ("a 'b'", "unexpected string 'b'; expected an operator or the end of the expression", 2..<5),
        ("'abc", "unterminated string", 0..<4),
        ("'abc\\", "unterminated string", 0..<5),
        ("'a\\qb'", "invalid escape \"\\q\"; strings take \\n \\t \\\\ \\' \\\"", 2..<4),
        ("a = 1", "unexpected character \"=\"; did you mean \"==\"?", 2..<3),
        ("a & b", "unexpected character \"&\"; did you mean \"&&\"?", 2..<3),
        ("a | b", "unexpected character \"|\"; did you mean \"||\"?", 2..<3),
        ("a # b", "unexpected character \"#\"", 2..<3),
        ("1abc", "invalid number \"1a\"", 0..<2),
        ("1e", "invalid number \"1e\": the exponent has no digits", 0..<2),
        ("99999999999999999999", "number 99999999999999999999 is too large", 0..<20),
        ("a.", "unexpected end of expression; expected a property name or \"*\" after \".\"", 2..<2),
        ("a.1", "unexpected \"1\"; expected a property name or \"*\" after \".\"", 2..<3),
        ("a.b(1)", "unexpected \"(\"; only a function name can be called, as in length(x)", 3..<4),
        ("[1, 2", "unexpected end of expression; expected \",\" or \"]\"", 5..<5),
        ("[1,]", "unexpected \"]\"; expected an expression", 3..<4),
        ("f(1, 2", "unexpected end of expression; expected \",\" or \")\"", 6..<6),
        ("{a 1}", "unexpected \"1\"; expected \":\"", 3..<4),
        ("{1: 2}", "unexpected \"1\"; expected a key (a name or a quoted string)", 1..<2),
        ("{a: 1, a: 2}", "duplicate key \"a\" in an object", 7..<8),
        ("{a: 1", "unexpected end of expression; expected \",\" or \"}\"", 5..<5),
        ("a ? b", "unexpected end of expression; expected \":\"", 5..<5),
        ("1 < 2 < 3", "comparisons cannot be chained; join them with \"&&\", as in a < b && b < c", 6..<7),
        ("'e\u{301}' x", "unexpected \"x\"; expected an operator or the end of the expression", 5..<6),
    ]

    @Test(arguments: errors)
    func reportsSyntaxErrorsWithExactOffsets(source: String, message: String, range: Range<Int>) throws {
        let error = try #require(ExpressionTestSupport.syntaxError(source))
        #expect(error.message == message)
        #expect(error.range == range)
    }

    static let tooDeep: [String] = [
        String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
        String(repeating: "(", count: 10_000),
        String(repeating: "!", count: 10_000) + "true",
        String(repeating: "-", count: 10_000) + "1",
        String(repeating: "[", count: 10_000),
        String(repeating: "{a: ", count: 10_000),
        String(repeating: "f(", count: 10_000),
        "1" + String(repeating: " + 1", count: 10_000),
        "a" + String(repeating: ".b", count: 10_000),
        "a" + String(repeating: "[0]", count: 10_000),
        String(repeating: "a ? b : ", count: 10_000) + "c",
    ]

    @Test(arguments: tooDeep)
    func refusesDeepNestingWithASyntaxErrorInsteadOfOverflowingTheStack(source: String) throws {
        let error = try #require(ExpressionTestSupport.syntaxError(source))
        #expect(error.message == "the expression nests deeper than 64 levels")
    }

    @Test func acceptsExactlyTheMaximumDepth() throws {
        let deepest = "1" + String(repeating: " + 1", count: Expression.maxDepth - 1)
        #expect(try ExpressionTestSupport.evaluate(deepest) == .int(Expression.maxDepth))
        #expect(ExpressionTestSupport.syntaxError(deepest + " + 1")?.message == "the expression nests deeper than 64 levels")
    }

    @Test func shiftsRangesByTheOffset() throws {
        let error = try #require(throws: ExpressionSyntaxError.self) { try Expression.parse("a b", offset: 10) }
        #expect(error.range == 12..<13)
        #expect(try Expression.parse("x.y", offset: 4).range == 4..<7)
    }

    @Test func parsesBracketStringKeysAsMembers() throws {
        #expect(try Expression.parse("a['b']").kind == Expression.parse("a.b").kind)
        #expect(try Expression.parse("a[0]").kind == .index(Expression(kind: .context("a"), range: 0..<1), Expression(kind: .literal(0), range: 2..<3)))
    }

    @Test func widensRangesOverParentheses() throws {
        let expression = try Expression.parse("(a + b) * c")
        guard case .binary(.multiply, let left, _) = expression.kind else { Issue.record("not a product"); return }
        #expect(left.range == 0..<7)
        #expect(expression.range == 0..<11)
    }

    static let groupings: [(String, String)] = [
        ("1 + 2 * 3", "(1 + (2 * 3))"), ("a ?? b || c", "(a ?? (b || c))"), ("a || b && c", "(a || (b && c))"),
        ("a && b == c", "(a && (b == c))"), ("a == b < c", "(a == (b < c))"), ("a < b + c", "(a < (b + c))"),
        ("a - b - c", "((a - b) - c)"), ("a / b * c % d", "(((a / b) * c) % d)"), ("-a * b", "((-a) * b)"),
        ("!a.b", "(!a.b)"), ("!a == b", "((!a) == b)"), ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
        ("a ? b ? c : d : e", "(a ? (b ? c : d) : e)"), ("a ?? b ? c : d", "((a ?? b) ? c : d)"), ("a ?? b ?? c", "((a ?? b) ?? c)"),
        ("a-b - c", "(a-b - c)"), ("a -b", "(a - b)"), ("a- b", "(a - b)"), ("a--b", "(a - (-b))"), ("x-1", "x-1"), ("1-x", "(1 - x)"),
        ("a.*.b[0]", "a.*.b[0]"), ("x['y z'].w", "x['y z'].w"), ("f(a, b + c)", "f(a, (b + c))"), ("-1", "-1"),
        ("-(1)", "-1"), ("- -1", "1"), ("-(-x)", "(-(-x))"), ("[1, -2.5]", "[1, -2.5]"), ("{k: a || b}", "{k: (a || b)}"), ("a.null.true", "a.null.true"),
        ("a[i][0].*", "a[i][0].*"), ("(a ? b : c).d", "(a ? b : c).d"),
    ]

    @Test(arguments: groupings)
    func groupsByPrecedence(source: String, grouping: String) throws {
        #expect(ExpressionTestSupport.grouped(try Expression.parse(source)) == grouping)
    }
}
