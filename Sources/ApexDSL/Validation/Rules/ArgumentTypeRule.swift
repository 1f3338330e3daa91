/// `argument-type`: a function called with an argument it never accepts, which fails at run time
/// whatever the values: an argument whose type no overload of the function's
/// ``FunctionSignature`` takes (`lower(3)`, `length(steps.a.output.status)`, `min(split(s, ','))`),
/// or literal arguments the function rejects (`int('abc')`, `format('{1}', x)`, whose placeholders
/// are checked whatever the values are).
///
/// The types come from ``ExpressionTyper``: an argument whose type is unknown is never flagged.
enum ArgumentTypeRule: ValidationRule {
    static func check(_ context: ValidationContext, into diagnostics: inout DiagnosticBag) {
        context.forEachTypedNode { site, node in
            guard case .call(let name, let arguments) = node.expression.kind,
                  let signature = FunctionLibrary.signature(of: name), signature.arity.contains(arguments.count)
            else { return }
            let shapes = node.operands.map(\.value)
            if let mismatch = signature.mismatch(shapes.map(\.argumentKinds)) {
                let which = arguments.count == 1 ? "" : " as argument \(mismatch.position + 1)"
                let given = phrase(of: shapes[mismatch.position])
                diagnostics.error(.argumentType, "\(name)() expects \(mismatch.expected)\(which), not \(given)",
                                  at: site.fileRange(arguments[mismatch.position].range))
            } else if let error = literalFailure(name, arguments, call: node.expression.range) {
                diagnostics.error(.argumentType, error.message, at: site.fileRange(error.range ?? node.expression.range))
            }
        }
    }

    /// What an argument is, for the message: "an integer", "a list of strings", "null (…)".
    private static func phrase(of shape: ValueShape) -> String {
        if case .null(let reason) = shape { return "null (\(reason))" }
        let (kinds, elements) = shape.argumentKinds
        if kinds == .list, !elements.isEmpty, elements != .all { return "a list of \(elements.plural)" }
        return kinds.phrase
    }

    /// The error of a call whose arguments are literals, evaluated as the run would; `format`'s
    /// literal template is checked with null for the values, which its placeholders do not
    /// depend on.
    private static func literalFailure(_ name: String, _ arguments: [Expression], call: Range<Int>) -> ExpressionError? {
        var values: [JSONValue] = []
        for (position, argument) in arguments.enumerated() {
            if case .literal(let value) = argument.kind {
                values.append(value)
            } else if name == "format", position > 0 {
                values.append(.null)
            } else {
                return nil
            }
        }
        do throws(ExpressionError) {
            _ = try FunctionLibrary.call(FunctionArguments(function: name, values: values, ranges: arguments.map(\.range), callRange: call))
            return nil
        } catch {
            return error
        }
    }
}
