/// The values an expression can name: `input`, `vars`, `steps`, `run`, `secrets`, and inside a
/// `foreach` its element name and `index`. A name that is not a root is an ``ExpressionError``.
public struct EvaluationContext: Sendable {
    public var roots: [String: JSONValue]

    public init(roots: [String: JSONValue]) {
        self.roots = roots
    }
}
