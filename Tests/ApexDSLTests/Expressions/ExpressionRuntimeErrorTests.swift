import Testing

@testable import ApexDSL

@Suite struct ExpressionRuntimeErrorTests {
    /// Source, message, and the part of the source the error points at.
    static let failures: [(String, String, String)] = [
        ("input.ticket.length", "cannot read property \"length\" of a string", "input.ticket.length"),
        ("input.count.x", "cannot read property \"x\" of an integer", "input.count.x"),
        ("input.tags.x", "cannot read property \"x\" of a list", "input.tags.x"),
        ("input.tags['x']", "cannot read property \"x\" of a list", "input.tags['x']"),
        ("input['ticket'][0]", "cannot index a string with a number", "input['ticket'][0]"),
        ("{a: 1}[0]", "cannot index an object with a number", "{a: 1}[0]"),
        ("input.tags[true]", "an index must be a string or an integer, not a boolean", "true"),
        ("input.tags[0.5]", "an index must be a string or an integer, not a number", "0.5"),
        ("input.ticket.*", "cannot project a string with \".*\"; it takes a list or an object", "input.ticket.*"),
        ("nope.x", "unknown context \"nope\"", "nope"),
        ("inptu.ticket", "unknown context \"inptu\"; did you mean \"input\"?", "inptu"),
        ("1 / 0", "division by zero", "1 / 0"),
        ("1.5 / 0", "division by zero", "1.5 / 0"),
        ("1 % 0", "remainder of a division by zero", "1 % 0"),
        ("vars.big + 1", "integer overflow", "vars.big + 1"),
        ("vars.big * 2", "integer overflow", "vars.big * 2"),
        ("-vars.big - 2", "integer overflow", "-vars.big - 2"),
        ("-(-vars.big - 1)", "integer overflow", "-(-vars.big - 1)"),
        ("(-vars.big - 1) / -1", "integer overflow", "(-vars.big - 1) / -1"),
        ("1e308 * 10", "the result of \"*\" is too large for a number", "1e308 * 10"),
        (
            "'n=' + 1",
            "cannot add a string and an integer; \"+\" joins two strings, so build mixed text with format(), as in format('{0}{1}', a, b)",
            "'n=' + 1"
        ),
        ("1 - 'a'", "cannot apply \"-\" to an integer and a string", "1 - 'a'"),
        ("[1] + [2]", "cannot apply \"+\" to a list and a list", "[1] + [2]"),
        ("1 < 'a'", "cannot compare an integer with a string using \"<\"; it takes two numbers or two strings", "1 < 'a'"),
        ("null >= 1", "cannot compare null with an integer using \">=\"; it takes two numbers or two strings", "null >= 1"),
        ("-'a'", "cannot negate a string; \"-\" takes a number", "-'a'"),
        ("lenght('x')", "unknown function \"lenght\"; did you mean \"length\"?", "lenght('x')"),
        ("length('a', 'b')", "length() takes 1 argument, not 2", "length('a', 'b')"),
    ]

    @Test(arguments: failures)
    func failsWithAMessageAndTheRangeAtFault(source: String, message: String, fault: String) throws {
        let error = try #require(try ExpressionTestSupport.evaluationError(source))
        #expect(error.message == message)
        #expect(error.range == ExpressionTestSupport.span(of: fault, in: source))
    }

    @Test func refusesToEvaluateATreeDeeperThanTheLimit() {
        var expression = Expression(kind: .literal(true), range: 0..<4)
        for _ in 0..<100 { expression = Expression(kind: .unary(.not, expression), range: 0..<4) }
        #expect(throws: ExpressionError("the expression nests deeper than 64 levels", at: 0..<4)) {
            try expression.evaluate(in: ExpressionTestSupport.context)
        }
    }

    @Test func evaluatesTheDeepestTreeTheParserAccepts() throws {
        let source = String(repeating: "(", count: 60) + "1" + String(repeating: " + 1)", count: 60)
        #expect(try ExpressionTestSupport.evaluate(source) == 61)
    }
}
