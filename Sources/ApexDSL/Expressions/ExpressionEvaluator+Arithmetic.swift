extension ExpressionEvaluator {
    /// `+ - * / %`: exact on integers, floating as soon as one side is a float.
    static func arithmetic(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue, range: Range<Int>) throws(ExpressionError) -> JSONValue {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            return try integer(op, a, b, range: range)
        case (.string(let a), .string(let b)) where op == .add:
            return .string(a + b)
        case (.string, _) where op == .add, (_, .string) where op == .add:
            throw ExpressionError(
                "cannot add \(lhs.typePhrase) and \(rhs.typePhrase); \"+\" joins two strings, so build mixed text "
                    + "with format(), as in format('{0}{1}', a, b)", at: range)
        default:
            guard let a = lhs.numberValue, let b = rhs.numberValue else {
                throw ExpressionError("cannot apply \"\(op.rawValue)\" to \(lhs.typePhrase) and \(rhs.typePhrase)", at: range)
            }
            return try floating(op, a, b, range: range)
        }
    }

    private static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int, range: Range<Int>) throws(ExpressionError) -> JSONValue {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw ExpressionError("division by zero", at: range) }
            // Int.min / -1 overflows; test it first, because `Int.min % -1` traps.
            guard (a == .min && b == -1) || a % b == 0 else { return try floating(op, Double(a), Double(b), range: range) }
            result = a.dividedReportingOverflow(by: b)
        case .remainder:
            guard b != 0 else { throw ExpressionError("remainder of a division by zero", at: range) }
            // Int.min % -1 is 0, though Swift reports the quotient's overflow for it.
            result = b == -1 ? (0, false) : a.remainderReportingOverflow(dividingBy: b)
        default:
            preconditionFailure("not an arithmetic operator: \(op)")
        }
        guard !result.overflow else { throw ExpressionError("integer overflow", at: range) }
        return .int(result.partialValue)
    }

    private static func floating(_ op: BinaryOperator, _ a: Double, _ b: Double, range: Range<Int>) throws(ExpressionError) -> JSONValue {
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
            guard b != 0 else { throw ExpressionError("division by zero", at: range) }
            result = a / b
        case .remainder:
            guard b != 0 else { throw ExpressionError("remainder of a division by zero", at: range) }
            result = a.truncatingRemainder(dividingBy: b)
        default:
            preconditionFailure("not an arithmetic operator: \(op)")
        }
        guard result.isFinite else { throw ExpressionError("the result of \"\(op.rawValue)\" is too large for a number", at: range) }
        return .double(result)
    }

    /// `< <= > >=` on two numbers or two strings.
    static func compare(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue, range: Range<Int>) throws(ExpressionError) -> Bool {
        guard let ordering = lhs.order(comparedTo: rhs) else {
            throw ExpressionError(
                "cannot compare \(lhs.typePhrase) with \(rhs.typePhrase) using \"\(op.rawValue)\"; it takes two numbers or two strings",
                at: range)
        }
        switch op {
        case .less: return ordering < 0
        case .lessOrEqual: return ordering <= 0
        case .greater: return ordering > 0
        default: return ordering >= 0
        }
    }
}
