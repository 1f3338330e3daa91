extension ExpressionEvaluator {
    /// The result of an access chain: a plain value, or the elements of a projection that the
    /// rest of the chain applies to one by one.
    enum Accessed {
        case value(JSONValue)
        case projected([JSONValue])

        var value: JSONValue {
            switch self {
            case .value(let value): value
            case .projected(let items): .array(items)
            }
        }
    }

    /// Evaluates `.name`, `[index]` and `.*` nodes, keeping a projection alive along the chain.
    func access(_ expression: Expression, depth: Int) throws(ExpressionError) -> Accessed {
        switch expression.kind {
        case .member(let base, let name):
            return try member(name, of: try accessedBase(base, depth: depth), range: expression.range)
        case .index(let base, let indexExpression):
            let base = try accessedBase(base, depth: depth)
            let index = try value(of: indexExpression, depth: depth + 1)
            return try subscripted(base, by: index, indexRange: indexExpression.range, range: expression.range)
        case .projection(let base):
            return try projection(of: try accessedBase(base, depth: depth), range: expression.range)
        default:
            return .value(try value(of: expression, depth: depth))
        }
    }

    private func accessedBase(_ base: Expression, depth: Int) throws(ExpressionError) -> Accessed {
        base.kind.isAccess ? try access(base, depth: depth + 1) : .value(try value(of: base, depth: depth + 1))
    }

    private func member(_ name: String, of base: Accessed, range: Range<Int>) throws(ExpressionError) -> Accessed {
        switch base {
        case .projected(let items):
            return .projected(items.compactMap { $0[name] })
        case .value(.null):
            return .value(.null)
        case .value(.object(let members)):
            return .value(members[name] ?? .null)
        case .value(let other):
            throw ExpressionError("cannot read property \"\(name)\" of \(other.typePhrase)", at: range)
        }
    }

    /// Errors about the index point at the index; errors about what is indexed, at the whole access.
    private func subscripted(
        _ base: Accessed, by index: JSONValue, indexRange: Range<Int>, range: Range<Int>
    ) throws(ExpressionError) -> Accessed {
        if case .string(let key) = index { return try member(key, of: base, range: range) }
        guard let position = index.integralValue else {
            throw ExpressionError("an index must be a string or an integer, not \(index.typePhrase)", at: indexRange)
        }
        switch base {
        case .projected(let items):
            return .projected(items.compactMap { $0.arrayValue.flatMap { Self.element(position, of: $0) } })
        case .value(.null):
            return .value(.null)
        case .value(.array(let items)):
            return .value(Self.element(position, of: items) ?? .null)
        case .value(let other):
            throw ExpressionError("cannot index \(other.typePhrase) with a number", at: range)
        }
    }

    private static func element(_ position: Int, of items: [JSONValue]) -> JSONValue? {
        // Not `cond ? items[position] : nil`: JSONValue is ExpressibleByNilLiteral, so that `nil`
        // would become `.null` rather than "no element".
        guard items.indices.contains(position) else { return Optional.none }
        return items[position]
    }

    private func projection(of base: Accessed, range: Range<Int>) throws(ExpressionError) -> Accessed {
        switch base {
        case .projected(let items):
            // A projection of a projection flattens one level, as GitHub Actions' filters do.
            return .projected(items.flatMap { $0.arrayValue ?? $0.objectValue.map { Array($0.values) } ?? [] })
        case .value(.null):
            return .value(.null)
        case .value(.array(let items)):
            return .projected(items)
        case .value(.object(let members)):
            return .projected(Array(members.values))
        case .value(let other):
            throw ExpressionError("cannot project \(other.typePhrase) with \".*\"; it takes a list or an object", at: range)
        }
    }
}
