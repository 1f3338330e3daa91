import Testing

@testable import ApexDSL

@Suite struct FunctionLibraryTests {
    static let strings: [(String, JSONValue)] = [
        ("length('héllo')", 5), ("length('👍🏽')", 1), ("length('')", 0), ("length([1, 2])", 2), ("length({a: 1})", 1),
        ("contains('Hello', 'ell')", true), ("contains('Hello', 'ELL')", false), ("contains('abc', '')", true),
        ("contains([1, 2], 2.0)", true), ("contains([[1]], [1])", true), ("contains(['a'], 'b')", false),
        ("startsWith('Hello', 'He')", true), ("startsWith('Hello', 'he')", false), ("endsWith('Hello', 'lo')", true),
        ("endsWith('Hello', 'LO')", false), ("lower('ÀB')", "àb"), ("upper('straße')", "STRASSE"),
        ("trim('  a b \\n')", "a b"), ("trim('   ')", ""), ("trim('\\tx')", "x"),
        ("split('a,b,,c', ',')", ["a", "b", "", "c"]), ("split('abc', '')", ["a", "b", "c"]), ("split('a::b', '::')", ["a", "b"]),
        ("split('', ',')", [""]), ("split('abc', ',')", ["abc"]),
        ("join(['a', 1, null, true, {k: 'v'}], '-')", "a-1--true-{\"k\":\"v\"}"), ("join([1, 2.5])", "1,2.5"), ("join([], ',')", ""),
        ("format('{0} and {1}', 'a', 2)", "a and 2"), ("format('{1}{0}{1}', 'x', 'y')", "yxy"),
        ("format('{{0}} is {0}', null)", "{0} is "), ("format('no args')", "no args"), ("format('{0}', [1, {a: null}])", "[1,{\"a\":null}]"),
        ("format('}}{{')", "}{"),
    ]

    static let structures: [(String, JSONValue)] = [
        ("keys({b: 1, a: 2})", ["b", "a"]), ("values({b: 1, a: 2})", [1, 2]), ("keys({})", []),
        ("toJSON({a: [1, 2.5, null], b: 'x'})", "{\"a\":[1,2.5,null],\"b\":\"x\"}"), ("toJSON('s')", "\"s\""), ("toJSON(null)", "null"),
        ("fromJSON('{\"a\": [1, 2.5]}')", ["a": [1, 2.5]]), ("fromJSON('12')", 12), ("fromJSON('null')", nil),
        ("fromJSON(toJSON(input.nested))", ["deep": ["value": 42]]),
    ]

    static let numbers: [(String, JSONValue)] = [
        ("min(3, 1, 2)", 1), ("max(3, 1.5)", 3), ("min([4, 2.5, 9])", 2.5), ("max([7])", 7), ("min(5)", 5), ("min(1, 1.0)", 1),
        ("max(-1, -2)", -1), ("max(vars.items.*.n)", 3),
        ("round(2.5)", 3), ("round(-2.5)", -3), ("round(2.4)", 2), ("round(7)", 7), ("round(3.14159, 2)", 3.14),
        ("round(-1.25, 1)", -1.3), ("round(1.5, 0)", 2), ("round(7, 2)", 7), ("floor(2.7)", 2), ("floor(-2.5)", -3),
        ("ceil(2.1)", 3), ("ceil(-2.5)", -2), ("floor(4)", 4),
        ("int(3.9)", 3), ("int(-3.9)", -3), ("int('42')", 42), ("int(' 42\\n')", 42), ("int('4.7')", 4), ("int('-1e3')", -1000),
        ("int(7)", 7), ("float(3)", .double(3)), ("float('2.5')", 2.5), ("float(' -1 ')", .double(-1)), ("float(0.5)", 0.5),
    ]

    static let conversions: [(String, JSONValue)] = [
        ("string(null)", ""), ("string(2.0)", "2"), ("string([1, 'a'])", "[1,\"a\"]"), ("string(true)", "true"), ("string('s')", "s"),
        ("bool('false')", false), ("bool('true')", true), ("bool('no')", true), ("bool('')", false), ("bool(0)", false),
        ("bool([])", true), ("bool(null)", false), ("bool('False')", true),
    ]

    @Test(arguments: strings)
    func transformsStrings(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: structures)
    func readsAndWritesStructures(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: numbers)
    func computesNumbers(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    @Test(arguments: conversions)
    func convertsBetweenTypes(source: String, expected: JSONValue) throws {
        #expect(try ExpressionTestSupport.evaluate(source) == expected)
    }

    static let failures: [(String, String)] = [
        ("length(1)", "length() expects a string, a list or an object, not an integer"),
        ("length(null)", "length() expects a string, a list or an object, not null"),
        ("contains(1, 2)", "contains() expects a string or a list as argument 1, not an integer"),
        ("contains('a', 1)", "contains() expects a string as argument 2, not an integer"),
        ("startsWith(1, 'a')", "startsWith() expects a string as argument 1, not an integer"),
        ("endsWith('a', null)", "endsWith() expects a string as argument 2, not null"),
        ("lower(null)", "lower() expects a string, not null"),
        ("upper(1.5)", "upper() expects a string, not a number"),
        ("trim([])", "trim() expects a string, not a list"),
        ("split('a', 1)", "split() expects a string as argument 2, not an integer"),
        ("join('a,b')", "join() expects a list, not a string"),
        ("join([1], 2)", "join() expects a string as argument 2, not an integer"),
        ("keys([1])", "keys() expects an object, not a list"),
        ("values('x')", "values() expects an object, not a string"),
        ("fromJSON('{')", "fromJSON() cannot parse its argument: invalid JSON at offset 1: expected a string key"),
        ("fromJSON(1)", "fromJSON() expects a string, not an integer"),
        ("format('{0} {1}', 'a')", "format() has no value for {1}: 1 value was given"),
        ("format('{0}')", "format() has no value for {0}: 0 values were given"),
        ("format('{x}')", "format() has a \"{\" that does not start a placeholder such as {0}; write \"{{\" for a literal \"{\""),
        ("format('{0')", "format() has a \"{\" that does not start a placeholder such as {0}; write \"{{\" for a literal \"{\""),
        ("format('a } b')", "format() has a lone \"}\"; write \"}}\" for a literal \"}\""),
        ("format(1)", "format() expects a string, not an integer"),
        ("min([])", "min() of an empty list"),
        ("min(['a'])", "min() expects a list of numbers, but it holds a string"),
        ("max(1, 'a')", "max() expects a number as argument 2, not a string"),
        ("max(null)", "max() expects a number, not null"),
        ("round('a')", "round() expects a number, not a string"),
        ("round(1.5, 20)", "round() expects a number of digits from 0 to 15 as argument 2"),
        ("round(1.5, 1.5)", "round() expects a number of digits from 0 to 15 as argument 2"),
        ("floor(1e300)", "floor() gives 1e+300, which is out of the range of integers"),
        ("ceil('1')", "ceil() expects a number, not a string"),
        ("int('abc')", "int() cannot read \"abc\" as a number"),
        ("int('0x10')", "int() cannot read \"0x10\" as a number"),
        ("int('nan')", "int() cannot read \"nan\" as a number"),
        ("int(true)", "int() expects a number or a numeric string, not a boolean"),
        ("int(1e20)", "int() gives 1e+20, which is out of the range of integers"),
        ("float(null)", "float() expects a number or a numeric string, not null"),
        ("float('')", "float() cannot read \"\" as a number"),
        ("join()", "join() takes 1 or 2 arguments, not 0"),
        ("format()", "format() takes at least 1 argument, not 0"),
        ("split('a')", "split() takes 2 arguments, not 1"),
        ("trim(input)", "trim() expects a string, not an object"),
    ]

    @Test(arguments: failures)
    func failsWithAMessageNamingTheFunction(source: String, message: String) throws {
        let error = try #require(try ExpressionTestSupport.evaluationError(source))
        #expect(error.message == message)
    }

    @Test func pointsArgumentErrorsAtTheArgument() throws {
        let source = "split('a', 1 + 1)"
        let error = try #require(try ExpressionTestSupport.evaluationError(source))
        #expect(error.range == ExpressionTestSupport.span(of: "1 + 1", in: source))
    }

    @Test func listsEveryFunctionOfTheSpecInOrder() {
        let spec = "length contains startsWith endsWith lower upper trim split join keys values toJSON fromJSON format min max round floor ceil int float string bool"
        #expect(FunctionLibrary.names == spec.split(separator: " ").map(String.init))
        #expect(FunctionLibrary.names.allSatisfy { FunctionLibrary.arity(of: $0) != nil })
        #expect(FunctionLibrary.arity(of: "join") == 1...2)
        #expect(FunctionLibrary.arity(of: "format") == 1...Int.max)
        #expect(FunctionLibrary.arity(of: "nope") == nil)
    }
}
