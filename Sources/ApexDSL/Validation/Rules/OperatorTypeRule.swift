/// `operator-type`: an operator applied to operands it never takes, which fails at run time
/// whatever the values (docs/language.md, "Run-time errors"): `+ - * / %` on anything but two
/// numbers (or, for `+`, two strings), unary `-` on a non-number, `< <= > >=` on anything but two
/// numbers or two strings, `[i]` on a value that is never a list (or `['k']` by a computed name
/// on one that is never an object), an index that is neither a string nor a number, and `.*` on
/// a scalar. `!`, `&&`, `||`, `??`, `? :`, `==` and `!=` take anything.
///
/// The types come from ``ExpressionTyper``: a value whose type is unknown is never flagged.
enum OperatorTypeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        context.forEachTypedNode { site, node in
            guard let (message, range) = failure(of: node) else { return }
            diagnostics.error(.operatorType, message, at: site.fileRange(range))
        }
    }

    /// What the evaluator would say, and where, when the node fails on every value its
    /// operands can have: at the whole node, or at an index that is neither a string nor a number.
    private static func failure(of node: ExpressionTyper.Node) -> (String, Range<Int>)? {
        let range = node.expression.range
        switch node.expression.kind {
        case .unary(.negate, _):
            let operand = node.operands[0].value.kinds
            guard OperatorTypes.negation(operand) == nil else { return nil }
            return ("cannot negate \(operand.phrase); \"-\" takes a number", range)
        case .binary(let op, _, _):
            let left = node.operands[0].value.kinds, right = node.operands[1].value.kinds
            guard OperatorTypes.binary(op, left, right) == nil else { return nil }
            return (OperatorTypes.failure(op, left, right), range)
        case .index(_, let index):
            let kinds = node.operands[1].value.kinds
            guard let failure = IndexAccess(base: node.operands[0], index: kinds)?.failure else { return nil }
            return (failure, kinds.isDisjoint(with: [.string, .integer, .float]) ? index.range : range)
        case .projection:
            let base = node.operands[0]
            guard !base.projected, !base.shape.kinds.isEmpty, base.shape.members == nil else { return nil }
            return ("cannot project \(base.shape.kinds.phrase) with \".*\"; it takes a list or an object", range)
        default:
            return nil
        }
    }
}
