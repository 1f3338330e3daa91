/// Which operand kinds each operator takes without a run-time error, as the evaluator decides
/// (``ExpressionEvaluator``, docs/language.md, "Arithmetic" and "Ordering"), and what it gives.
///
/// Only `+ - * / %`, unary `-` and `< <= > >=` can fail on their operands' types: `!`, `==`,
/// `!=`, `&&`, `||`, `??` and `? :` take anything (conditions use truthiness).
enum OperatorTypes {
    /// The kinds `op` gives on operands of these kinds, or nil when no pair of them is accepted:
    /// the operator fails whatever the values. Operands with no kind at all (an expression that
    /// always fails) give no kind, and no complaint.
    static func binary(_ op: BinaryOperator, _ left: ValueKinds, _ right: ValueKinds) -> ValueKinds? {
        if left.isEmpty || right.isEmpty { return [] }
        let numbers = !left.isDisjoint(with: .number) && !right.isDisjoint(with: .number)
        let strings = left.contains(.string) && right.contains(.string)
        switch op {
        case .coalesce, .or, .and:
            return left.union(right)
        case .equal, .notEqual:
            return .boolean
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return numbers || strings ? .boolean : nil
        case .add:
            guard numbers || strings else { return nil }
            return (numbers ? arithmetic(op, left, right) : []).union(strings ? .string : [])
        case .subtract, .multiply, .divide, .remainder:
            return numbers ? arithmetic(op, left, right) : nil
        }
    }

    /// Integers stay integers under `+ - * %`; `/` of two integers may give either; a float on
    /// either side gives a float.
    private static func arithmetic(_ op: BinaryOperator, _ left: ValueKinds, _ right: ValueKinds) -> ValueKinds {
        let left = left.intersection(.number), right = right.intersection(.number)
        if left == .float || right == .float { return .float }
        if left == .integer && right == .integer { return op == .divide ? .number : .integer }
        return .number
    }

    /// The kinds `-x` gives, or nil when `x` is never a number.
    static func negation(_ operand: ValueKinds) -> ValueKinds? {
        if operand.isEmpty { return [] }
        let numbers = operand.intersection(.number)
        return numbers.isEmpty ? nil : numbers
    }

    /// What the evaluator says when `op` fails on these kinds (docs/language.md, "Run-time errors").
    static func failure(_ op: BinaryOperator, _ left: ValueKinds, _ right: ValueKinds) -> String {
        switch op {
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return "cannot compare \(left.phrase) with \(right.phrase) using \"\(op.rawValue)\"; it takes two numbers or two strings"
        case .add where left == .string || right == .string:
            return "cannot add \(left.phrase) and \(right.phrase); \"+\" joins two strings, so build mixed text with format(), as in format('{0}{1}', a, b)"
        default:
            return "cannot apply \"\(op.rawValue)\" to \(left.phrase) and \(right.phrase)"
        }
    }
}
