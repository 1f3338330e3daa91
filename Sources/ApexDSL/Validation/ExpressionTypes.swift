/// Infers the shape of every node of an expression, bottom up, as the evaluator computes its
/// value (``ExpressionEvaluator``), from the shapes of the contexts it starts from. The rules on
/// expressions visit the typed nodes and flag what can only fail, or is always false.
///
/// Shapes flow through every operator: `a ?? b`, `a || b`, `a && b` and `c ? a : b` may be
/// either side (null is implicit in every shape, so the left of `??` always counts); functions
/// give what their ``FunctionSignature`` returns (`fromJSON` gives ``ValueShape/unknown``); an
/// access chain carries a projection (`.*`) to the end of the chain, as the evaluator does.
/// An expression that always fails has the shape ``ValueShape/never``, so that what follows it
/// is not flagged again.
struct ExpressionTyper {
    /// The shapes of the names an expression starts from (`input`, `vars`, `steps`, a loop's
    /// element, …). An unknown name is ``ValueShape/unknown`` (another rule reports it).
    let roots: [String: ValueShape]

    /// A shape as an access chain carries it: when `projected`, the shape of each element that
    /// the rest of the chain applies to (the value is then a list of them).
    struct Typed {
        var shape: ValueShape
        var projected = false

        var value: ValueShape { projected ? .list(shape) : shape }
    }

    /// A node with the shapes of its operands (``Expression/Kind/children`` in order; for an
    /// access, the base as the chain carries it) and its own.
    struct Node {
        let expression: Expression
        let operands: [Typed]
        let result: Typed
    }

    /// The shape of `expression`'s value; `visit` sees every node, operands before the node.
    func shape(of expression: Expression, visit: (Node) -> Void = { _ in }) -> ValueShape {
        typed(expression, visit: visit).value
    }

    private func typed(_ expression: Expression, visit: (Node) -> Void) -> Typed {
        let operands = expression.kind.children.map { typed($0, visit: visit) }
        let result: Typed
        switch expression.kind {
        case .member(_, let name): result = member(name, of: operands[0])
        case .index: result = index(operands[0], by: operands[1].value)
        case .projection: result = projection(of: operands[0])
        default: result = Typed(shape: shape(of: expression.kind, operands.map(\.value)))
        }
        visit(Node(expression: expression, operands: operands, result: result))
        return result
    }

    /// The shape of a node that is not an access, from its operands' values.
    private func shape(of kind: Expression.Kind, _ operands: [ValueShape]) -> ValueShape {
        switch kind {
        case .literal(let value):
            return ValueShape(value)
        case .context(let name):
            return roots[name] ?? .unknown
        case .call(let name, _):
            return Self.call(name, operands)
        case .unary(.not, _):
            return .boolean
        case .unary(.negate, _):
            return .kinds(OperatorTypes.negation(operands[0].kinds) ?? [])
        case .binary(.coalesce, _, _):
            return operands[0].withoutNull.or(operands[1])
        case .binary(.and, _, _), .binary(.or, _, _), .conditional:
            return operands[operands.count - 2].or(operands[operands.count - 1])
        case .binary(let op, _, _):
            return .kinds(OperatorTypes.binary(op, operands[0].kinds, operands[1].kinds) ?? [])
        case .list:
            return .list(operands.reduce(ValueShape.never) { $0.or($1) })
        case .object(let entries):
            var fields: [(String, ValueShape)] = []
            for (entry, shape) in zip(entries, operands) { fields.append((entry.key, shape)) }
            return .object(.init(fields, uniquingKeysWith: { _, last in last }), closed: true)
        case .member, .index, .projection:
            preconditionFailure("accesses are typed by typed(_:visit:)")
        }
    }

    /// What a call returns: what the overloads that may accept its arguments return. A call
    /// that no overload accepts always fails (``ValueShape/never``); an unknown function or a
    /// wrong number of arguments is someone else's report (``ValueShape/unknown``).
    static func call(_ name: String, _ arguments: [ValueShape]) -> ValueShape {
        guard let signature = FunctionLibrary.signature(of: name), signature.arity.contains(arguments.count) else { return .unknown }
        if name == "values", let object = arguments.first, object.kinds == .object {
            return .list(object.members ?? .unknown)
        }
        return signature.returns(arguments.map(\.argumentKinds)).reduce(ValueShape.never) { shape, kind in
            switch kind {
            case .value(let kinds): shape.or(kinds == .all ? .unknown : .kinds(kinds))
            case .list(of: let kinds): shape.or(.list(kinds == .all ? .unknown : .kinds(kinds)))
            }
        }
    }
}

extension ValueShape {
    /// The shape without its null: the left of `??` when it is not null.
    var withoutNull: ValueShape {
        switch self {
        case .null: .never
        case .kinds(let kinds): .kinds(kinds.subtracting(.null))
        case .values(let values): values.allSatisfy(\.isNull) ? .never : .values(values.filter { !$0.isNull })
        default: self
        }
    }

    /// The kinds of a function's argument, and of its elements when it is a list.
    var argumentKinds: (kinds: ValueKinds, elements: ValueKinds) {
        (kinds, element?.kinds ?? .all)
    }
}
