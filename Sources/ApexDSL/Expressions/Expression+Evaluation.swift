extension Expression {
    /// Evaluates the expression. Pure: the result depends only on the expression and the context.
    ///
    /// Access is null-safe (`null.a`, a missing key and an index out of range give `null`),
    /// integers stay exact (overflow is an error, `/` gives a float only when inexact), `&&` and
    /// `||` return the deciding operand, and `==` compares deeply with `1 == 1.0`.
    ///
    /// - Throws: ``ExpressionError`` (error type `expression`) for a wrong type, an unknown context
    ///   or function, a division by zero, an integer overflow or a bad function argument.
    public func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSONValue {
        try ExpressionEvaluator(context: context).value(of: self, depth: 0)
    }
}
