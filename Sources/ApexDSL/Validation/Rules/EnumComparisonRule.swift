/// `enum-comparison` (warning): `==` or `!=` between a value and a literal that the value can
/// never equal, so that the comparison always gives the same result: a value limited to an
/// `enum` or a `const` (or to the few values a variable is ever set to) compared with a literal
/// outside them (`category == 'refund'` when the enum is `[bug, billing, other]`), or a value of
/// one type compared with a literal of another (`status == '200'` when the status is an integer;
/// `==` never converts).
///
/// A warning, not an error: the comparison is well defined and the run goes on, but one branch
/// is dead. Null is never taken for the literal (an optional value may be null), so only
/// non-null literals are checked.
enum EnumComparisonRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        context.forEachTypedNode { site, node in
            guard case .binary(let op, let left, let right) = node.expression.kind, op == .equal || op == .notEqual else { return }
            for (literal, other, shape) in [(right, left, node.operands[0].value), (left, right, node.operands[1].value)] {
                guard case .literal(let value) = literal.kind, !value.isNull, value.arrayValue == nil, value.objectValue == nil else { continue }
                if case .literal = other.kind { continue }
                guard let (why, hint) = whyNeverEqual(shape, value) else { continue }
                let always = op == .equal ? "false" : "true"
                diagnostics.warning(.enumComparison, "\(other.subject) \(why), so `\(op.rawValue)` is always \(always)\(hint)",
                                    at: site.fileRange(literal.range))
            }
        }
    }

    /// The most values a message lists.
    static let listedValues = 10

    /// Why a value of `shape` never equals `literal`, with a did-you-mean among the values it
    /// can have; nil when it may equal it.
    private static func whyNeverEqual(_ shape: ValueShape, _ literal: JSONValue) -> (String, String)? {
        let kinds = shape.kinds
        guard !kinds.isEmpty else { return nil }
        if let values = shape.possibleValues {
            guard !values.contains(where: { $0.equalsDeeply(literal) }) else { return nil }
            let shown = values.prefix(listedValues).map(\.compactJSON).joined(separator: ", ")
            let more = values.count > listedValues ? ", …" : ""
            let strings = values.compactMap(\.stringValue)
            // One letter from another says nothing about a typo in a short word.
            let hint = literal.stringValue.flatMap { $0.count >= 3 ? Suggestion.didYouMean($0, in: strings) : nil } ?? ""
            return ("can only be \(shown)\(more), never \(literal.compactJSON)", hint)
        }
        guard kinds.forEquality.isDisjoint(with: ValueKinds(of: literal).forEquality) else { return nil }
        return ("is \(kinds.phrase) and \(literal.compactJSON) is \(ValueKinds(of: literal).phrase) (`==` never converts)", "")
    }
}
