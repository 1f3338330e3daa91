import Testing

@testable import ApexDSL

@Suite struct ExpressionEvaluationTests {
    static let literals: [(String, JSONValue)] = [
        ("null", nil), ("true", true), ("false", false), ("42", 42), ("1.5", 1.5), ("2e3", .double(2000)),
        ("1.5E-1", 0.15), ("-5", -5), ("- 2.5", -2.5), ("'a\\'b'", "a'b"), ("\"x\\ty\\n\"", "x\ty\n"),
        ("'say \"hi\"'", "say \"hi\""), ("\"\\\\\"", "\\"), ("[1, 'a', null]", [1, "a", nil]), ("[]", []),
        ("{a: 1, 'b c': [true], null: 0}", ["a": 1, "b c": [true], "null": 0]), ("{}", [:]), ("{a: 1}.a", 1),
    ]

    static let arithmetic: [(String, JSONValue)] = [
        ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 - 2 - 3", 5), ("2 * 3 % 4", 2), ("7 / 2", 3.5), ("8 / 2", 4),
        ("-7 / 2", -3.5), ("1 / 4", 0.25), ("7 % 3", 1), ("-7 % 3", -1), ("7.5 % 2", 1.5), ("1 + 2.5", 3.5),
        ("2 * 0.5", .double(1)), ("6 / 1.5", .double(4)), ("'a' + 'b'", "ab"), ("9007199254740993 + 0", 9_007_199_254_740_993),
        ("9223372036854775806 + 1", .int(Int.max)), ("vars.big - 1", .int(Int.max - 1)), ("-vars.big - 1", .int(Int.min)),
        ("(-vars.big - 1) / 2", .int(Int.min / 2)), ("(-vars.big - 1) % -1", 0), ("- -3", 3), ("-(2 * 3)", -6),
    ]

    static let comparisons: [(String, JSONValue)] = [
        ("1 == 1.0", true), ("1 == '1'", false), ("'a' == 'a'", true), ("[1, 2] == [1.0, 2]", true), ("[1] == [1, 2]", false),
        ("{a: 1, b: 2} == {b: 2, a: 1}", true), ("{a: 1} == {a: 2}", false), ("null == null", true),
        ("input.nothing == null", true), ("input.missing == null", true), ("false == 0", false), ("1 != 2", true),
        ("'a' < 'b'", true), ("'B' < 'a'", true), ("2 >= 2.0", true), ("3 > 2.5", true), ("1 <= 0", false),
        ("1 + 1 == 2", true), ("1 < 2 == true", true), ("!true == false", true), ("9007199254740993 == 9007199254740992.0", false),
    ]

    static let logic: [(String, JSONValue)] = [
        ("'' || 'x'", "x"), ("'a' || 'x'", "a"), ("0 && unknownContext", 0), ("1 && 'y'", "y"), ("true || unknownContext", true),
        ("null ?? 'd'", "d"), ("false ?? 'd'", false), ("input.nothing ?? input.missing ?? 3", 3), ("!0", true), ("!0.0", true),
        ("!''", true), ("!null", true), ("![]", false), ("!{}", false), ("!'0'", false), ("!'false'", false), ("!!2", true),
        ("true ? 1 : 2", 1), ("0 ? 1 : 2", 2), ("[] ? 1 : 2", 1), ("false ? 1 : true ? 2 : 3", 2), ("true || false && false", true),
        ("null ?? false || true", true), ("1 ?? 2 ? 'y' : 'n'", "y"), ("input.empty || 'default'", "default"),
    ]

    static let access: [(String, JSONValue)] = [
        ("input.ticket", "Printer on fire"), ("input['ticket']", "Printer on fire"), ("input[\"ticket\"]", "Printer on fire"),
        ("steps.classify.output.data.category", "billing"), ("steps.classify.output.data['category']", "billing"),
        ("input.missing", nil), ("input.missing.deeper.still", nil), ("input.nothing.x", nil), ("input.nothing[0]", nil),
        ("input.tags[1]", "b"), ("input.tags[5]", nil), ("input.tags[-1]", nil), ("input.tags[vars.i]", "b"),
        ("input.tags[1.0]", "b"), ("input[vars.key]", 3), ("vars.matrix[1][0]", 3), ("input.nested.deep.value", 42),
        ("input.my-key", "hyphenated"), ("index", 0), ("item", "it"), ("(input).ticket", "Printer on fire"),
        ("[10, 20][1]", 20), ("input.tags[0 + 1]", "b"),
    ]

    static let projections: [(String, JSONValue)] = [
        ("vars.items.*.name", ["x", "y"]), ("vars.items.*.n", [1, 2, 3]), ("vars.items.*['name']", ["x", "y"]),
        ("vars.byName.*.n", [1, 2]), ("vars.matrix.*[0]", [1, 3]), ("vars.matrix.*[2]", []), ("vars.matrix.*.*", [1, 2, 3, 4]),
        ("vars.items.*", [["name": "x", "n": 1], ["name": "y", "n": 2], ["n": 3]]),
        ("length(vars.items.*.n)", 3), ("input.nothing.*", nil), ("input.nothing.*.name", nil), ("input.tags.*", ["a", "b"]),
        ("vars.byName.*.n == [1, 2]", true), ("[[{a: 1}], [{a: 2}, {b: 3}]].*.*.a", [1, 2]),
    ]

    @Test(arguments: literals)
    func evaluatesLiterals(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: arithmetic)
    func keepsIntegersExactAndDividesToFloatsOnlyWhenInexact(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: comparisons)
    func comparesDeeplyWithoutCoercion(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: logic)
    func shortCircuitsAndReturnsTheDecidingOperand(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: access)
    func readsNullSafely(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: projections)
    func projectsOverListsAndObjectValues(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }
}
