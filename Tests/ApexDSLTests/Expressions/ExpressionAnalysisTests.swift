import Testing

@testable import ApexDSL

@Suite struct ExpressionAnalysisTests {
    private typealias Component = AccessPath.Component

    @Test func extractsAnAccessChainWithTheRangeOfEachAccessor() throws {
        let source = "steps.classify.output.data['category']"
        let paths = try Expression.parse(source).accessPaths
        let expected = AccessPath(
            root: "steps", rootRange: 0..<5,
            components: [
                Component(kind: .name("classify"), range: 5..<14), Component(kind: .name("output"), range: 14..<21),
                Component(kind: .name("data"), range: 21..<26), Component(kind: .name("category"), range: 26..<38),
            ])
        #expect(paths == [expected])
    }

    /// Source, then each path as root and components written `name`, `[0]`, `*` or `?` (dynamic).
    static let chains: [(String, [String])] = [
        ("input", ["input"]), ("input.tags[0].x", ["input tags [0] x"]), ("vars.items.*.name", ["vars items * name"]),
        ("input.tags[vars.i].x", ["input tags ?", "vars i"]), ("input[-1]", ["input [-1]"]), ("a.*.*", ["a * *"]),
        ("length(steps.a.output) > 0 && vars.x", ["steps a output", "vars x"]), ("fromJSON(input.s).a", ["input s"]),
        ("1 + 2", []), ("{k: run.id, l: [item, index]}", ["run id", "item", "index"]), ("x ? y.z : w", ["x", "y z", "w"]),
        ("(a.b).c", ["a b c"]), ("a[b[c.d]].e", ["a ?", "b ?", "c d"]), ("a.b-c", ["a b-c"]), ("(a ?? b).c", ["a", "b"]),
        ("a['x y'][1.5]", ["a x y ?"]), ("f(g(h.i))", ["h i"]),
    ]

    @Test(arguments: chains)
    func listsEveryAccessPathInSourceOrder(source: String, expected: [String]) throws {
        let paths = try Expression.parse(source).accessPaths
        let written = paths.map { path in
            ([path.root] + path.components.map { component in
                switch component.kind {
                case .name(let name): name
                case .index(let position): "[\(position)]"
                case .projection: "*"
                case .dynamic: "?"
                }
            }).joined(separator: " ")
        }
        #expect(written == expected)
    }

    @Test func rangesDynamicAndProjectionComponentsOverTheirAccessor() throws {
        let source = "input.tags[vars.i].x"
        let components = try Expression.parse(source).accessPaths[0].components
        #expect(components.last == Component(kind: .dynamic, range: ExpressionTestSupport.span(of: "[vars.i]", in: source)))
        let projection = try Expression.parse("vars.items.*.name").accessPaths[0].components[1]
        #expect(projection == Component(kind: .projection, range: 10..<12))
    }

    @Test func listsCallsWithTheRangeOfTheName() throws {
        let source = "format('{0}', length(input.tags), lower(x))"
        let calls = try Expression.parse(source).calls
        #expect(
            calls == [
                FunctionCall(name: "format", argumentCount: 3, range: 0..<6),
                FunctionCall(name: "length", argumentCount: 1, range: ExpressionTestSupport.span(of: "length", in: source)),
                FunctionCall(name: "lower", argumentCount: 1, range: ExpressionTestSupport.span(of: "lower", in: source)),
            ])
    }

    static let problems: [(String, [ExpressionProblem])] = [
        ("length('ok') + max(1, 2)", []),
        ("lenght(x)", [ExpressionProblem(rule: .unknownFunction, message: "unknown function \"lenght\"; did you mean \"length\"?", range: 0..<6)]),
        ("1 + tolower(x)", [ExpressionProblem(rule: .unknownFunction, message: "unknown function \"tolower\"; did you mean \"lower\"?", range: 4..<11)]),
        ("frobnicate(1)", [ExpressionProblem(rule: .unknownFunction, message: "unknown function \"frobnicate\"", range: 0..<10)]),
        ("length(1, 2)", [ExpressionProblem(rule: .functionArity, message: "length() takes 1 argument, not 2", range: 0..<6)]),
        ("split('a')", [ExpressionProblem(rule: .functionArity, message: "split() takes 2 arguments, not 1", range: 0..<5)]),
        ("round(1, 2, 3)", [ExpressionProblem(rule: .functionArity, message: "round() takes 1 or 2 arguments, not 3", range: 0..<5)]),
        ("min()", [ExpressionProblem(rule: .functionArity, message: "min() takes at least 1 argument, not 0", range: 0..<3)]),
        (
            "join(lenght(x), 1, 2)",
            [
                ExpressionProblem(rule: .functionArity, message: "join() takes 1 or 2 arguments, not 3", range: 0..<4),
                ExpressionProblem(rule: .unknownFunction, message: "unknown function \"lenght\"; did you mean \"length\"?", range: 5..<11),
            ]
        ),
    ]

    @Test(arguments: problems)
    func checksFunctionNamesAndArgumentCounts(source: String, expected: [ExpressionProblem]) throws {
        #expect(ExpressionChecker.checkCalls(in: try Expression.parse(source)) == expected)
    }
}
