/// Static checks of an expression that need no knowledge of the workflow: unknown functions (with
/// a did-you-mean) and wrong argument counts. Contexts, step ids and properties are the
/// validator's, which knows the workflow.
public enum ExpressionChecker {
    /// The problems of every call in the expression, in source order, each at the function's name.
    public static func checkCalls(in expression: Expression) -> [ExpressionProblem] {
        expression.calls.compactMap { call in
            guard FunctionLibrary.arity(of: call.name) != nil else {
                return ExpressionProblem(rule: .unknownFunction, message: FunctionLibrary.unknownFunctionMessage(call.name), range: call.range)
            }
            return FunctionLibrary.arityMessage(call.name, argumentCount: call.argumentCount).map {
                ExpressionProblem(rule: .functionArity, message: $0, range: call.range)
            }
        }
    }
}
