/// Evaluates an ``Expression`` against an ``EvaluationContext``: pure, total over its input, and
/// bounded in depth.
///
/// The semantics at the edges (docs/language.md, "Expression semantics details"):
/// - **Contexts.** A bare name must be a root of the context, else an error naming it (with a
///   did-you-mean among the roots).
/// - **Truthiness** (`!`, `&&`, `||`, `? :`, `if:`, `bool()`): `null`, `false`, `0`, `0.0` and `""`
///   are false; everything else, empty lists and objects included, is true.
/// - **`&&` and `||`** short-circuit and return the deciding operand itself, as in GitHub Actions
///   (`'' || 'x'` is `'x'`); `??` returns its left side unless that is `null`.
/// - **Integers stay exact.** `+ - *` on two integers give an integer or the error "integer
///   overflow"; `/` gives an integer when the division is exact, else a float; `%` on integers is
///   an integer with the sign of the dividend (on floats too, as C's `fmod`). Division or
///   remainder by zero is an error. An integer and a float give a float; a float result that is
///   not finite is an error.
/// - **`+`** adds numbers and joins two strings; a string and a non-string is an error that
///   points to `format()`, because silently rendering `1 + '1'` as `'11'` hides mistakes.
/// - **`==` and `!=`** compare deeply: `1 == 1.0`, lists element by element, objects by their
///   keys and values whatever the key order; values of different types are never equal (no
///   coercion: `1 == '1'` is false).
/// - **`< <= > >=`** take two numbers or two strings (compared by Unicode code points after
///   canonical normalisation, case-sensitive); anything else is an error.
/// - **Access** is null-safe: `.name`, `['key']` and `[i]` on `null` give `null`; a missing key,
///   an index past the end and a negative index give `null`. Reading a property of a string,
///   number, boolean or list, indexing a list with a string or an object with a number, are
///   errors. An index may be an integer or an integral float.
/// - **Projection** follows GitHub Actions' object filters: `x.*` is the list (or the object's
///   values); `.name`, `['key']` and `[i]` after it apply to each element and keep only the
///   elements that have that key or index (elements of other types are skipped); a further `.*`
///   flattens one level (lists give their elements, objects their values). `null.*` is `null`;
///   `.*` on a string, number or boolean is an error. Parentheses do not end a projection, as
///   they leave no node in the tree.
/// - **Rendering** into a string (``JSONValue/interpolated``): `null` is empty, strings are as they
///   are, numbers and booleans as JSON, lists and objects as compact JSON.
/// - **Functions** are described in ``FunctionLibrary``.
struct ExpressionEvaluator {
    let context: EvaluationContext

    func value(of expression: Expression, depth: Int) throws(ExpressionError) -> JSONValue {
        // Parsed expressions never reach this (the parser bounds their height); trees built by
        // hand might.
        guard depth < Expression.maxDepth else {
            throw ExpressionError("the expression nests deeper than \(Expression.maxDepth) levels", at: expression.range)
        }
        switch expression.kind {
        case .literal(let value):
            return value
        case .context(let name):
            guard let value = context.roots[name] else {
                let hint = Suggestion.didYouMean(name, in: context.roots.keys.sorted())
                throw ExpressionError("unknown context \"\(name)\"\(hint)", at: expression.range)
            }
            return value
        case .member, .index, .projection:
            return try access(expression, depth: depth).value
        case .call(let name, let arguments):
            var values: [JSONValue] = []
            for argument in arguments { values.append(try value(of: argument, depth: depth + 1)) }
            let call = FunctionArguments(function: name, values: values, ranges: arguments.map(\.range), callRange: expression.range)
            return try FunctionLibrary.call(call)
        case .unary(let op, let operand):
            return try unary(op, try value(of: operand, depth: depth + 1), range: expression.range)
        case .binary(let op, let left, let right):
            return try binary(op, left, right, range: expression.range, depth: depth)
        case .conditional(let condition, let then, let otherwise):
            let chosen = try value(of: condition, depth: depth + 1).isTruthy ? then : otherwise
            return try value(of: chosen, depth: depth + 1)
        case .list(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try value(of: item, depth: depth + 1)) }
            return .array(values)
        case .object(let entries):
            var members: [(String, JSONValue)] = []
            for entry in entries { members.append((entry.key, try value(of: entry.value, depth: depth + 1))) }
            return .object(.init(members, uniquingKeysWith: { _, last in last }))
        }
    }

    private func unary(_ op: UnaryOperator, _ operand: JSONValue, range: Range<Int>) throws(ExpressionError) -> JSONValue {
        switch (op, operand) {
        case (.not, _): return .bool(!operand.isTruthy)
        case (.negate, .int(let value)):
            let (negated, overflow) = Int(0).subtractingReportingOverflow(value)
            guard !overflow else { throw ExpressionError("integer overflow", at: range) }
            return .int(negated)
        case (.negate, .double(let value)): return .double(-value)
        case (.negate, _): throw ExpressionError("cannot negate \(operand.typePhrase); \"-\" takes a number", at: range)
        }
    }

    private func binary(
        _ op: BinaryOperator, _ left: Expression, _ right: Expression, range: Range<Int>, depth: Int
    ) throws(ExpressionError) -> JSONValue {
        let lhs = try value(of: left, depth: depth + 1)
        switch op {
        case .coalesce: return lhs.isNull ? try value(of: right, depth: depth + 1) : lhs
        case .and: return lhs.isTruthy ? try value(of: right, depth: depth + 1) : lhs
        case .or: return lhs.isTruthy ? lhs : try value(of: right, depth: depth + 1)
        default: break
        }
        let rhs = try value(of: right, depth: depth + 1)
        switch op {
        case .equal: return .bool(lhs.equalsDeeply(rhs))
        case .notEqual: return .bool(!lhs.equalsDeeply(rhs))
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return .bool(try Self.compare(op, lhs, rhs, range: range))
        default: return try Self.arithmetic(op, lhs, rhs, range: range)
        }
    }
}
