import Testing

@testable import ApexDSL

@Suite struct TemplateTests {
    private func evaluate(_ string: String) throws -> JSONValue {
        try Template.parse(string).evaluate(in: ExpressionTestSupport.context)
    }

    @Test func splitsTextAndExpressionsWithRangesInTheWholeString() throws {
        let template = try Template.parse("Hello ${{ input.ticket }}!")
        #expect(template.parts.count == 3)
        #expect(template.parts.first == .text("Hello "))
        #expect(template.parts.last == .text("!"))
        #expect(template.expressions.map(\.range) == [10..<22])
        #expect(template.hasExpressions)
        #expect(!template.isSingleExpression)
    }

    static let shapes: [(String, Bool, Bool)] = [
        ("${{ 1 }}", true, true), (" ${{ 1 }}", true, false), ("${{ 1 }} ", true, false), ("${{ 1 }}${{ 2 }}", true, false),
        ("plain", false, false), ("", false, false), ("$ {{ x }}", false, false), ("${ x }", false, false),
    ]

    @Test(arguments: shapes)
    func tellsWhetherTheStringIsExactlyOneExpression(string: String, hasExpressions: Bool, isSingle: Bool) throws {
        let template = try Template.parse(string)
        #expect(template.hasExpressions == hasExpressions)
        #expect(template.isSingleExpression == isSingle)
    }

    static let evaluations: [(String, JSONValue)] = [
        ("${{ 1 + 1 }}", 2), ("${{ input.tags }}", ["a", "b"]), ("${{ null }}", nil), ("${{ input.ticket }}", "Printer on fire"),
        ("n=${{ null }}.", "n=."), ("${{ input.tags }} are tags", "[\"a\",\"b\"] are tags"),
        ("x ${{ {a: 1, b: [true, null]} }}", "x {\"a\":1,\"b\":[true,null]}"), ("${{ 1.5 }}/${{ true }}/${{ 'str' }}", "1.5/true/str"),
        ("${{ 2.0 }} items", "2 items"), ("plain $ text {{ }} $${{ 1 }}", "plain $ text {{ }} $1"), ("${{ '}}' }}", "}}"),
        ("${{ {a: {b: 1}} }}", ["a": ["b": 1]]), ("${{ {a: {b: 1}}}}", ["a": ["b": 1]]), ("", ""), (" ${{ 1 }} ", " 1 "),
        ("${{1}}", 1), ("a}}b", "a}}b"), ("${{ \"${{\" }}", "${{"), ("é ${{ 'ü' }} ñ", "é ü ñ"), ("${{ index }}${{ item }}", "0it"),
    ]

    @Test(arguments: evaluations)
    func keepsTheTypeOfASingleExpressionAndRendersTheRest(string: String, expected: JSONValue) throws {
        #expect(try evaluate(string) == expected)
    }

    static let syntaxErrors: [(String, String, Range<Int>)] = [
        ("a ${{ b", "\"${{\" has no closing \"}}\"", 2..<5),
        ("a ${{ b }", "\"${{\" has no closing \"}}\"", 2..<5),
        ("a ${{ }}", "\"${{ }}\" is empty; expected an expression", 2..<8),
        ("${{}}", "\"${{ }}\" is empty; expected an expression", 0..<5),
        ("x ${{ 1 + }}", "unexpected \"}}\"; expected an expression", 10..<12),
        ("${{ 'a }}", "unterminated string", 4..<9),
        ("ok ${{ a }} then ${{ b c }}", "unexpected \"c\"; expected an operator or the end of the expression", 23..<24),
        ("${{ a } }}", "unexpected \"}\"; expected an operator or the end of the expression", 6..<7),
        ("é ${{ a b }}", "unexpected \"b\"; expected an operator or the end of the expression", 8..<9),
    ]

    @Test(arguments: syntaxErrors)
    func reportsSyntaxErrorsAtOffsetsInTheWholeString(string: String, message: String, range: Range<Int>) throws {
        let error = try #require(throws: ExpressionSyntaxError.self) { try Template.parse(string) }
        #expect(error.message == message)
        #expect(error.range == range)
    }

    @Test func reportsRuntimeErrorsAtOffsetsInTheWholeString() throws {
        let template = try Template.parse("Hi ${{ 1 / 0 }}")
        let error = try #require(throws: ExpressionError.self) { try template.evaluate(in: ExpressionTestSupport.context) }
        #expect(error.range == 7..<12)
    }

    static let renderings: [(JSONValue, String)] = [
        (nil, ""), ("s", "s"), (1, "1"), (2.5, "2.5"), (.double(3), "3"), (true, "true"), (false, "false"), ([1, "a"], "[1,\"a\"]"),
        (["k": nil, "l": [:]], "{\"k\":null,\"l\":{}}"), ("line\n", "line\n"), ([], "[]"), (["q": "say \"x\""], "{\"q\":\"say \\\"x\\\"\"}"),
    ]

    @Test(arguments: renderings)
    func rendersValuesForInterpolation(value: JSONValue, rendering: String) {
        #expect(value.interpolated == rendering)
    }
}
