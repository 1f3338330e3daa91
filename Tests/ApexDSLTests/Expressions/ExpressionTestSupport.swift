@testable import ApexDSL

/// Shared fixtures and helpers for the expression tests.
enum ExpressionTestSupport {
    static let input: JSONValue = [
        "ticket": "Printer on fire", "count": 3, "ratio": 0.5, "tags": ["a", "b"], "empty": "", "nothing": nil,
        "nested": ["deep": ["value": 42]], "my-key": "hyphenated",
    ]
    static let vars: JSONValue = [
        "items": [["name": "x", "n": 1], ["name": "y", "n": 2], ["n": 3]],
        "matrix": [[1, 2], [3, 4]],
        "byName": ["a": ["n": 1], "b": ["n": 2]],
        "big": .int(Int.max), "i": 1, "key": "count",
    ]
    static let steps: JSONValue = ["classify": ["status": "completed", "output": ["data": ["category": "billing"]]]]

    static let context = EvaluationContext(roots: [
        "input": input, "vars": vars, "steps": steps, "index": 0, "item": "it", "run": ["id": "r-1"],
    ])

    static func evaluate(_ source: String) throws -> JSONValue {
        try Expression.parse(source).evaluate(in: context)
    }

    /// The runtime error of an expression that must parse and then fail.
    static func evaluationError(_ source: String) throws -> ExpressionError? {
        let expression = try Expression.parse(source)
        do {
            _ = try expression.evaluate(in: context)
            return nil
        } catch {
            return error
        }
    }

    /// The syntax error of an expression that must not parse.
    static func syntaxError(_ source: String) -> ExpressionSyntaxError? {
        do {
            _ = try Expression.parse(source)
            return nil
        } catch {
            return error
        }
    }

    /// The range, in Unicode scalars, of the first occurrence of `needle` in `source`.
    static func span(of needle: String, in source: String) -> Range<Int> {
        let haystack = Array(source.unicodeScalars), pattern = Array(needle.unicodeScalars)
        for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<(start + pattern.count)]) == pattern {
            return start..<(start + pattern.count)
        }
        preconditionFailure("\(needle) is not in \(source)")
    }

    /// The tree written back with every operator parenthesised, to check how the parser grouped it.
    static func grouped(_ expression: Expression) -> String {
        switch expression.kind {
        case .literal(let value): return value.stringValue.map { "'\($0)'" } ?? value.compactJSON
        case .context(let name): return name
        case .member(let base, let name):
            let plain = name.unicodeScalars.allSatisfy { ExpressionLexer.isIdentifierPart($0) || $0 == "-" }
            return grouped(base) + (plain ? ".\(name)" : "['\(name)']")
        case .index(let base, let index): return "\(grouped(base))[\(grouped(index))]"
        case .projection(let base): return "\(grouped(base)).*"
        case .call(let name, let arguments): return "\(name)(\(arguments.map(grouped).joined(separator: ", ")))"
        case .unary(let op, let operand): return "(\(op.rawValue)\(grouped(operand)))"
        case .binary(let op, let left, let right): return "(\(grouped(left)) \(op.rawValue) \(grouped(right)))"
        case .conditional(let c, let a, let b): return "(\(grouped(c)) ? \(grouped(a)) : \(grouped(b)))"
        case .list(let items): return "[\(items.map(grouped).joined(separator: ", "))]"
        case .object(let entries): return "{\(entries.map { "\($0.key): \(grouped($0.value))" }.joined(separator: ", "))}"
        }
    }
}
